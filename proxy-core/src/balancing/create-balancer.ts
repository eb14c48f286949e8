/**
 * From the `balance` keyword to a balancer: `roundrobin` (the default), `static-rr`, `leastconn`,
 * `random`, `random(<draws>)`, `source`, `hdr(<name>)`, `first`. The configuration parser owns
 * the keyword and its HAProxy error texts; `parseBalance` is for callers without it. Hashing algorithms are always consistent
 * (HAProxy's `hash-type consistent`, the only kind dynamic servers allow). Every balancer made
 * here handles backup servers.
 */
import type { Balancer, BalancerOptions, ServerView } from './balancer.ts';
import { ConsistentHash } from './consistent-hash.ts';
import { First } from './first.ts';
import { LeastConn } from './least-conn.ts';
import { PowerOfTwo } from './power-of-two.ts';
import { RoundRobin } from './round-robin.ts';
import { WithBackups } from './with-backups.ts';
import { routingError, type RoutingError } from '../routing/routing-errors.ts';

export type BalanceSpec =
  | { readonly kind: 'roundrobin' | 'static-rr' | 'leastconn' | 'source' | 'first' }
  | { readonly kind: 'random'; readonly draws: number | undefined }
  | { readonly kind: 'hdr'; readonly name: string };

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Parses the argument of `balance`. */
export function parseBalance(text: string): { ok: true; value: BalanceSpec } | { ok: false; error: RoutingError } {
  if (text === 'roundrobin' || text === 'static-rr' || text === 'leastconn' || text === 'source' || text === 'first' || text === 'random') {
    return { ok: true, value: text === 'random' ? { kind: 'random', draws: undefined } : { kind: text } };
  }
  const call = /^(hdr|random)\((.*)\)$/.exec(text);
  if (call === null) return { ok: false, error: routingError('PXY_ERR_BALANCE_UNKNOWN', text) };
  const [, fn, arg = ''] = call;
  if (fn === 'hdr') {
    if (!TOKEN.test(arg) || arg.length > 256) return { ok: false, error: routingError('PXY_ERR_BALANCE_HDR_NAME', text) };
    return { ok: true, value: { kind: 'hdr', name: arg } };
  }
  const draws = /^[0-9]{1,3}$/.test(arg) ? Number(arg) : 0;
  if (draws < 1 || draws > 100) return { ok: false, error: routingError('PXY_ERR_BALANCE_DRAWS', text) };
  return { ok: true, value: { kind: 'random', draws } };
}

export function createBalancer<S extends ServerView>(spec: BalanceSpec, options: BalancerOptions = {}): Balancer<S> {
  return new WithBackups<S>(() => createOne<S>(spec, options));
}

function createOne<S extends ServerView>(spec: BalanceSpec, options: BalancerOptions): Balancer<S> {
  switch (spec.kind) {
    case 'roundrobin': return new RoundRobin<S>(options);
    // HAProxy's static-rr is weighted round robin without live weight changes; the smooth
    // sequence is a fine static one too (the model refuses dynamic servers on such backends).
    case 'static-rr': return new RoundRobin<S>({ ...options, algorithm: 'static-rr' });
    case 'leastconn': return new LeastConn<S>(options);
    case 'random': return new PowerOfTwo<S>(spec.draws === undefined ? options : { ...options, draws: spec.draws });
    case 'source': return new ConsistentHash<S>({ kind: 'source' }, options);
    case 'hdr': return new ConsistentHash<S>({ kind: 'header', name: spec.name }, options);
    case 'first': return new First<S>(options);
  }
}
