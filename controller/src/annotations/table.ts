/**
 * The annotations Hawser understands. Each one is a typed value with its own parser; none is
 * ever copied into configuration text: a parsed value reaches the proxy only as an argument of a
 * known runtime command. A value that does not parse drops that annotation (Event
 * HWS_ERR_ANNOTATION_INVALID) and the object keeps its other settings; no annotation here is
 * security-relevant, so none rejects its Ingress.
 */
import type { Balance, BackendSettings } from '../model/proxy-state.ts';
import { pathProblem } from '../model/validate.ts';
import { parseDurationMs } from './duration.ts';

export const ANNOTATION_PREFIX = 'hawser.dev/';

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

export interface AnnotationSpec {
  /** Where the value applies. All current annotations configure the Service port's backend. */
  readonly scope: 'backend';
  /** What a malicious value could do; `low`: at worst a badly tuned backend for its own routes. */
  readonly risk: 'low';
  /** Accepted syntax and default, for docs/controller.md (a test keeps both in step). */
  readonly doc: string;
  /** Parses the raw text and returns the settings it sets. */
  parse(raw: string): Parsed<BackendSettings>;
}

const ALGORITHMS = ['roundrobin', 'leastconn', 'random', 'source'] as const;

function parseBalance(raw: string): Parsed<BackendSettings> {
  const simple = ALGORITHMS.find((a) => a === raw);
  if (simple !== undefined) return { ok: true, value: { balance: { algorithm: simple } } };
  const hdr = /^hdr\(([A-Za-z0-9-]{1,64})\)$/.exec(raw);
  if (hdr !== null && hdr[1] !== undefined) {
    const balance: Balance = { algorithm: 'hdr', header: hdr[1].toLowerCase() };
    return { ok: true, value: { balance } };
  }
  return { ok: false, problem: 'expects roundrobin, leastconn, random, source or hdr(<header-name>)' };
}

function durationParser(min: number, max: number, set: (ms: number) => BackendSettings) {
  return (raw: string): Parsed<BackendSettings> => {
    const ms = parseDurationMs(raw);
    if (ms === undefined) return { ok: false, problem: 'expects a duration such as 500ms, 5s or 1m' };
    if (ms < min || ms > max) return { ok: false, problem: `must be between ${String(min)}ms and ${String(max)}ms` };
    return { ok: true, value: set(ms) };
  };
}

function parseCheckPath(raw: string): Parsed<BackendSettings> {
  if (raw.length > 256) return { ok: false, problem: 'must be at most 256 characters' };
  const problem = pathProblem(raw);
  return problem === undefined ? { ok: true, value: { checkPath: raw } } : { ok: false, problem };
}

const DAY = 86_400_000;

export const ANNOTATIONS: Readonly<Record<string, AnnotationSpec>> = {
  'hawser.dev/load-balance': {
    scope: 'backend',
    risk: 'low',
    doc: '`roundrobin` (default), `leastconn`, `random`, `source`, `hdr(<header>)`: the balancing algorithm.',
    parse: parseBalance,
  },
  'hawser.dev/timeout-connect': {
    scope: 'backend',
    risk: 'low',
    doc: 'Duration (`5s`, `500ms`; 1ms to 1d): time allowed to connect to a server.',
    parse: durationParser(1, DAY, (ms) => ({ timeoutConnectMs: ms })),
  },
  'hawser.dev/timeout-server': {
    scope: 'backend',
    risk: 'low',
    doc: 'Duration (1ms to 1d): inactivity allowed while waiting for the server.',
    parse: durationParser(1, DAY, (ms) => ({ timeoutServerMs: ms })),
  },
  'hawser.dev/health-check-path': {
    scope: 'backend',
    risk: 'low',
    doc: 'Absolute path (≤ 256 characters): turns on active HTTP checks (`GET <path>`) for every server.',
    parse: parseCheckPath,
  },
  'hawser.dev/health-check-interval': {
    scope: 'backend',
    risk: 'low',
    doc: 'Duration (100ms to 1h): turns on active checks (TCP unless a path is set) at that interval.',
    parse: durationParser(100, DAY / 24, (ms) => ({ checkIntervalMs: ms })),
  },
};
