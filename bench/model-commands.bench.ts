/**
 * `npm run bench:model`: the object model's share of the runtime API cost, without socket,
 * framing or workers: CommandSpec.run called directly, one model, no subscriber. Shows that a
 * command's cost does not depend on how many servers the backend holds, and the heap per server.
 * (The end-to-end figures, HAProxy side by side, come from `npm run bench:runtime`.)
 */
import { modelCommands } from '../proxy-core/src/commands/index.ts';
import { buildModel } from '../proxy-core/src/config/build-model.ts';
import { parseConfig } from '../proxy-core/src/config/parser.ts';
import type { CommandContext, CommandSpec } from '../proxy-core/src/runtime/command.ts';

const ctx: CommandContext = { level: 'admin', payload: undefined, signal: new AbortController().signal };
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

function setup(backends: number): Map<string, CommandSpec> {
  let text = '';
  for (let b = 0; b < backends; b++) text += `backend b${b}\n    balance roundrobin\n`;
  const r = parseConfig(text, 'bench.cfg');
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return new Map(modelCommands(buildModel(r.config)).map((c) => [c.words.join(' '), c]));
}

function run(c: Map<string, CommandSpec>, words: string, args: string[], want: string): void {
  const reply = c.get(words)?.run([...words.split(' '), ...args], ctx);
  if (reply !== want) throw new Error(`${words} ${args.join(' ')}: ${String(reply)}`);
}

function phase(backends: number, per: number): Record<string, number> {
  const c = setup(backends);
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  let t = performance.now();
  for (let b = 0; b < backends; b++) {
    for (let i = 0; i < per; i++) {
      run(c, 'add server', [`b${b}/s${i}`, '10.0.0.1:80', 'guid', `g-${b}-${i}`], 'New server registered.\n');
      run(c, 'enable server', [`b${b}/s${i}`], '');
    }
  }
  const add = performance.now() - t;
  gc();
  const heap1 = process.memoryUsage().heapUsed;
  t = performance.now();
  for (let b = 0; b < backends; b++) {
    for (let i = 0; i < per; i++) {
      run(c, 'disable server', [`b${b}/s${i}`], '');
      run(c, 'del server', [`b${b}/s${i}`], 'Server deleted.\n');
    }
  }
  const del = performance.now() - t;
  gc();
  const heap2 = process.memoryUsage().heapUsed;
  const n = backends * per;
  return {
    servers: n, addEnableCmdPerSec: Math.round((2 * n) / add * 1000), addEnableSeconds: +(add / 1000).toFixed(2),
    disableDelCmdPerSec: Math.round((2 * n) / del * 1000), heapBytesPerServer: Math.round((heap1 - heap0) / n),
    heapMBLeftAfterDelete: +((heap2 - heap0) / 1e6).toFixed(1),
  };
}

/** Median time of one `add server` into a backend that already holds `held` servers. */
function addInto(held: number): number {
  const c = setup(1);
  for (let i = 0; i < held; i++) run(c, 'add server', [`b0/f${i}`, '10.0.0.1:80'], 'New server registered.\n');
  const times: number[] = [];
  for (let i = 0; i < 201; i++) {
    const t = performance.now();
    run(c, 'add server', [`b0/p${i}`, '10.0.0.1:80'], 'New server registered.\n');
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return Math.round((times[100] ?? 0) * 1000 * 10) / 10;
}

const results = {
  spread: phase(1000, 100),
  single: phase(1, 20000),
  addIntoMicroseconds: { 1: addInto(1), 100: addInto(100), 10000: addInto(10000) },
};
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
