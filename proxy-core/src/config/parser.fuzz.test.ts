/**
 * Property tests: the parser and the runtime commands never throw on input, and whatever they
 * accept keeps the model's invariants. Bounded runs, fixed seed: seconds, reproducible.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { A, fixture } from '../commands/fixture.ts';
import type { Subscriber } from '../model/change-bus.ts';
import { checkModelInvariants } from '../model/invariants.ts';
import { buildModel } from './build-model.ts';
import { parseConfig } from './parser.ts';

const WORDS = ['global', 'defaults', 'frontend', 'backend', 'listen', 'server', 'bind', 'guid', 'mode', 'http', 'tcp', 'balance',
  'roundrobin', 'static-rr', 'hdr(host)', 'hash-type', 'consistent', 'timeout', 'client', '5s', 'option', 'httpchk', 'redispatch',
  'default_backend', 'route-map', 'weight', 'check', 'inter', 'rise', 'fall', 'disabled', 'id', '1', '0', '300', 'g1', 'g2',
  'a/b', 'b1', 's1', ':80', '127.0.0.1:80', 'guid-prefix', 'p', 'ssl', 'crt', 'stats', 'socket', '/tmp/x', 'level', 'admin',
  '"q w"', "'x'", '\\', '#', '"', 'from', 'd', 'enabled', 'proto', 'h2'];

/** Files made of plausible lines: most are accepted, so the builder and the invariants are exercised. */
const SECTION = fc.constantFrom('backend b1', 'backend b2', 'frontend f', 'listen l', 'defaults d', 'defaults', 'global', 'backend b3 from d');
const KEYWORD = fc.constantFrom('guid g1', 'guid g2', 'guid a/b', 'server s1 127.0.0.1:80', 'server s1 127.0.0.1:80 guid g1',
  'server s2 1.2.3.4:1 id 1 weight 3 check', 'server s3 1.2.3.4:1 disabled guid g3', 'bind :80 guid-prefix g', 'bind :81,:82 guid-prefix p',
  'mode http', 'mode tcp', 'balance static-rr', 'default_backend b1', 'timeout client 3s', 'option httpchk', 'route-map m',
  'stats socket /tmp/s', 'hash-type consistent', 'balance source', 'option redispatch', 'retries 2');
const structured = fc.array(fc.oneof(SECTION, KEYWORD, KEYWORD), { maxLength: 20 }).map((l) => l.join('\n'));

const line = fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 6 })), { maxLength: 6 }).map((w) => w.join(' '));
const file = fc.array(line, { maxLength: 25 }).map((l) => l.join('\n'));

describe('configuration parser properties', () => {
  it('never throws, and every accepted file builds a model that keeps its invariants', () => {
    fc.assert(fc.property(file, (text) => {
      const r = parseConfig(text, 'f.cfg');
      if (!r.ok) {
        expect(r.errors.length).to.be.greaterThan(0);
        return;
      }
      expect(checkModelInvariants(buildModel(r.config))).to.deep.equal([]);
    }), { numRuns: 400, seed: 42 });
  });

  it('never throws on plausible files, and their models keep the invariants', () => {
    let accepted = 0;
    fc.assert(fc.property(structured, (text) => {
      const r = parseConfig(text, 'f.cfg');
      if (!r.ok) return;
      accepted++;
      expect(checkModelInvariants(buildModel(r.config))).to.deep.equal([]);
    }), { numRuns: 600, seed: 3 });
    expect(accepted).to.be.greaterThan(50);
  });
});

describe('runtime command properties', () => {
  const CMDS = ['add server', 'del server', 'set server', 'enable server', 'disable server', 'set weight', 'get weight',
    'enable health', 'show servers state', 'add backend', 'del backend', 'publish backend', 'unpublish backend'];
  const ARGS = ['b/s1', 'b/s2', 'b/#1', 'guid:g1', 'guid:gb', 'b', 'nb', A, 'guid', 'g1', 'g2', 'gb', 'state', 'ready', 'maint',
    'drain', 'weight', '50%', '300', 'id', '1', 'check', 'from', 'def', 'mode', 'http', 'enabled', 'proto', 'h2', '', 'x/y/z'];
  const command = fc.tuple(fc.constantFrom(...CMDS), fc.array(fc.oneof(fc.constantFrom(...ARGS), fc.string({ maxLength: 5 })), { maxLength: 6 }))
    .map(([c, a]) => `${c} ${a.join(' ')}`);

  it('never throws on command sequences and keeps the invariants after each one', async () => {
    await fc.assert(fc.asyncProperty(fc.array(command, { maxLength: 30 }), async (cmds) => {
      const fx = fixture('defaults def\n    mode http\nbackend b\n    guid gb\n    balance roundrobin\n    server s0 127.0.0.1:1\n');
      for (const c of cmds) {
        const reply = await fx.send(c);
        expect(typeof reply).to.equal('string');
        expect(checkModelInvariants(fx.model), c).to.deep.equal([]);
      }
    }), { numRuns: 200, seed: 7 });
  });

  it('keeps the invariants when a worker acknowledges late', async () => {
    await fc.assert(fc.asyncProperty(fc.array(command, { maxLength: 20 }), async (cmds) => {
      const fx = fixture('defaults def\n    mode http\nbackend b\n    guid gb\n    balance roundrobin\n    server s0 127.0.0.1:1\n');
      const worker: Subscriber = {
        deliver(records) {
          const last = records[records.length - 1];
          if (last !== undefined) setImmediate(() => fx.model.bus.ack(worker, last.seq));
        },
      };
      fx.model.bus.subscribe(worker);
      for (const c of cmds) {
        await fx.send(c);
        expect(checkModelInvariants(fx.model), c).to.deep.equal([]);
      }
    }), { numRuns: 60, seed: 11 });
  });
});
