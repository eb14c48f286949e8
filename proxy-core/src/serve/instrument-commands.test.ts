import { expect } from 'chai';
import { Counter, Registry } from 'prom-client';
import type { CommandContext, CommandSpec } from '../runtime/command.ts';
import { instrumentCommands } from './instrument-commands.ts';

const ctx: CommandContext = { level: 'admin', payload: undefined, signal: new AbortController().signal };

function wrapped(run: CommandSpec['run']): { spec: CommandSpec; counts: () => Promise<Record<string, number>> } {
  const registry = new Registry();
  const counter = new Counter({ name: 'c', help: 'h', labelNames: ['command', 'result'] as const, registers: [registry] });
  const [spec] = instrumentCommands([{ words: ['add', 'server'], help: '', level: 'admin', run }], counter);
  const counts = async (): Promise<Record<string, number>> => {
    const out: Record<string, number> = { ok: 0, error: 0 };
    for (const v of (await counter.get()).values) out[String(v.labels.result)] = v.value;
    return out;
  };
  return { spec: spec as CommandSpec, counts };
}

describe('runtime command instrumentation', () => {
  const cases: { name: string; run: CommandSpec['run']; reply: string | null; sync?: true; counts: Record<string, number> }[] = [
    { name: 'counts a synchronous success and still answers synchronously', run: () => 'New server registered.\n', reply: 'New server registered.\n', sync: true, counts: { ok: 1, error: 0 } },
    { name: 'counts an asynchronous success once it settles', run: () => Promise.resolve(''), reply: '', counts: { ok: 1, error: 0 } },
    { name: 'counts a refusal text as an error', run: () => 'No such backend.\n', reply: 'No such backend.\n', counts: { ok: 0, error: 1 } },
    { name: 'counts a command that throws as an error and rethrows', run: () => { throw new Error('bug'); }, reply: null, counts: { ok: 0, error: 1 } },
    { name: 'counts a command whose promise rejects as an error', run: () => Promise.reject(new Error('bug')), reply: null, counts: { ok: 0, error: 1 } },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { spec, counts } = wrapped(c.run);
      let reply: string | null;
      try {
        const r = spec.run(['add', 'server'], ctx);
        if (c.sync === true) expect(r).to.be.a('string');
        reply = await r;
      } catch {
        reply = null;
      }
      expect(reply).to.equal(c.reply);
      expect(await counts()).to.deep.equal(c.counts);
    });
  }
});
