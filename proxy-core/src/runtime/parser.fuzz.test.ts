import { expect } from 'chai';
import fc from 'fast-check';
import { mapCommands } from '../maps/map-commands.ts';
import { MapStore } from '../maps/map-store.ts';
import { builtinCommands } from './builtin-commands.ts';
import { CliFramer } from './framer.ts';
import { runSession } from './testing/fake-session.ts';
import { escapeArg, tokenizeLine } from './tokenizer.ts';
import { createLocalWriterSection, type ChangeRecord } from './writer-section.ts';

const limits = { bufsize: 256, maxPayload: 512 };

/** Characters that matter to the framing, plus ordinary ones. */
const cliChar = fc.constantFrom(' ', '\t', '\\', ';', '\n', '\r', '<', '<<', '\0', 'a', 'b', 'm', 'x', '#', '@', '/', ':', 'é');
const cliText = fc.array(cliChar, { maxLength: 120 }).map((a) => a.join(''));

/** Splits a buffer at arbitrary points, as TCP may deliver it. */
function chunked(buf: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((x, y) => x - y);
  const out: Buffer[] = [];
  let last = 0;
  for (const p of points) {
    out.push(buf.subarray(last, p));
    last = p;
  }
  out.push(buf.subarray(last));
  return out;
}

describe('runtime parser fuzzing', function () {
  this.timeout(60000);

  it('the framer never throws, never holds more than its limits, and gives the same events however bytes are cut', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 900 }), fc.array(fc.nat(), { maxLength: 8 }), (bytes, cuts) => {
        const whole = new CliFramer(limits);
        const a = whole.push(Buffer.from(bytes));
        const pieces = new CliFramer(limits);
        const b = chunked(Buffer.from(bytes), cuts).flatMap((c) => pieces.push(c));
        expect(b).to.deep.equal(a);
        expect(whole.pendingBytes).to.be.at.most(Math.max(limits.bufsize, limits.maxPayload));
      }),
      { numRuns: 3000 },
    );
  });

  it('escaped words always come back unchanged', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !s.includes('\0')), { minLength: 1, maxLength: 8 }), (words) => {
        expect(tokenizeLine(words.map(escapeArg).join(' ')).args).to.deep.equal(words);
      }),
      { numRuns: 3000 },
    );
  });

  it('a session answers any generated input without throwing or hanging', async () => {
    const table = [...builtinCommands, { words: ['show', 'x'], help: 'show x : x', level: 'user' as const, run: () => 'x\n' }];
    await fc.assert(
      fc.asyncProperty(cliText, fc.array(fc.nat(), { maxLength: 4 }), fc.boolean(), async (text, cuts, prompt) => {
        const input = Buffer.from((prompt ? 'prompt\n' : '') + text, 'utf8');
        const { output } = await runSession(table, chunked(input, cuts), { limits });
        expect(output).to.be.a('string');
      }),
      { numRuns: 1500 },
    );
  });

  it('after any sequence of map commands, a worker applying the records holds exactly the current table', async () => {
    const keys = fc.constantFrom('exact:a.com/', 'prefix:*/', 'prefix:*.b.com/api', 'exact:c.com/x', 'bad key', '#0x7f3a00000000');
    const values = fc.constantFrom('be1', 'be2 g-1', 'be3', 'b/x');
    const command = fc.oneof(
      fc.tuple(keys, values).map(([k, v]) => `add map m ${escapeArg(k)} ${escapeArg(v)}`),
      fc.tuple(keys, values).map(([k, v]) => `add map m <<\n${k} ${v}\n`),
      fc.tuple(fc.nat(3), keys, values).map(([g, k, v]) => `add map @${g} m <<\n${k} ${v}\n`),
      keys.map((k) => `del map m ${escapeArg(k)}`),
      fc.tuple(keys, values).map(([k, v]) => `set map m ${escapeArg(k)} ${escapeArg(v)}`),
      fc.constant('prepare map m'),
      fc.nat(4).map((g) => `commit map @${g} m`),
      fc.nat(3).map((g) => `clear map @${g} m`),
      fc.constant('clear map m'),
      fc.constant('show map m'),
    );
    let withRecords = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 25 }), async (cmds) => {
        const records: ChangeRecord[] = [];
        const store = new MapStore(createLocalWriterSection((r) => void records.push(...r)));
        store.declare('m');
        const input = `prompt\n${cmds.join('\n')}\nquit\n`;
        await runSession([...builtinCommands, ...mapCommands(store)], [Buffer.from(input)], { limits: { bufsize: 16384, maxPayload: 131072 } });
        // a worker's table, built only from records, with the data plane's semantics
        let worker: { key: string; value: string }[] = [];
        let lastSeq = 0;
        for (const r of records) {
          expect(r.seq).to.equal(lastSeq + 1);
          lastSeq = r.seq;
          const key = r.key as string;
          if (r.kind === 'map.add') worker.push({ key, value: r.value as string });
          else if (r.kind === 'map.del') worker = worker.filter((e) => e.key !== key);
          else if (r.kind === 'map.set') worker = worker.map((e) => (e.key === key ? { key, value: r.value as string } : e));
          else if (r.kind === 'map.replace') worker = [...(r.entries as { key: string; value: string }[])];
          else throw new Error(`unexpected record ${r.kind}`);
        }
        if (records.length > 0) withRecords++;
        const ref = store.lookup('m');
        if (ref === undefined) throw new Error('map vanished');
        const current = store.entriesOf(ref).map((e) => ({ key: e.key, value: e.value }));
        expect(worker).to.deep.equal(current);
      }),
      { numRuns: 400 },
    );
    expect(withRecords, 'the generator reaches the live table').to.be.greaterThan(100);
  });
});
