/**
 * Fuzzes whole command lines (generated and mutated server, backend and map commands with
 * escapes, `;` splits and payloads) through a session holding every command table over a real
 * model: no crash, no hang, and the model's invariants hold after every input.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { buildModel } from '../config/build-model.ts';
import { parseConfig } from '../config/parser.ts';
import { CertStore } from '../certs/cert-store.ts';
import { allCommands } from '../main.ts';
import { MapStore } from '../maps/map-store.ts';
import { checkModelInvariants } from '../model/invariants.ts';
import { modelWriterSection } from '../model/writer-section-adapter.ts';
import { runSession } from './testing/fake-session.ts';

const CONFIG = 'frontend fe\n    bind :18099\n    route-map m\nbackend be\n    balance roundrobin\n    guid gbe\n    server s1 127.0.0.1:1 guid g1\nbackend st\n    balance static-rr\n';

const word = fc.constantFrom('add', 'del', 'set', 'show', 'enable', 'disable', 'server', 'servers', 'state', 'weight', 'map', 'backend', 'be/s1', 'be/s2', 'be/', 'st/x', 'be/s\\ 3', '127.0.0.1:80', 'guid', 'g1', 'g2', 'gbe', 'ready', 'maint', 'drain', '10', '300', 'm', 'exact:a/', 'b', '<<', 'publish', 'wait', '1ms', 'srv-removable');
const sep = fc.constantFrom(' ', ' ', '\t', ';', '\n', '\\', '\0', '\r\n');
const line = fc.array(fc.oneof({ weight: 3, arbitrary: word }, { weight: 1, arbitrary: sep }), { maxLength: 30 }).map((a) => a.join(' '));

describe('runtime fuzzing against a real model', function () {
  this.timeout(60000);

  it('keeps the model invariants after every generated input', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 6 }), async (inputs) => {
        const parsed = parseConfig(CONFIG, 'f.cfg');
        if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
        const model = buildModel(parsed.config);
        const section = modelWriterSection(model);
        const maps = new MapStore(section);
        maps.declare('m');
        const commands = allCommands(model, maps, new CertStore(section));
        for (const input of inputs) {
          await runSession(commands, [Buffer.from(`prompt\n${input}\n\nquit\n`)]);
          model.reap();
          expect(checkModelInvariants(model)).to.deep.equal([]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
