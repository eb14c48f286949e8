/**
 * `wait {-h|<delay>} [srv-removable <be>/<srv> | be-removable <be>]`: waits up to <delay> for
 * the condition, polling it, as HAProxy does. Replies `Done.`, `Failed. <msg>` (a condition
 * that waiting cannot fix), `Wait delay expired. <msg>`, or `Interrupted. <msg>` when the
 * client goes away. A bare `wait <delay>` just waits and replies nothing.
 */
import { parseDuration } from '../config/values.ts';
import type { Model } from '../model/model.ts';
import type { CommandSpec } from '../runtime/command.ts';
import { backendRemovable } from './backend.ts';
import { checkRemovable } from './del-server.ts';
import { line, refuse } from './lookup.ts';

const POLL_MS = 10;

export const WAIT_USAGE = [
  'Usage: wait {-h|<duration>} [condition [args...]]',
  "  - '-h' displays this help",
  '  - <duration> is the maximum wait time, optionally suffixed by the unit among',
  "    'us', 'ms', 's', 'm', 'h', and 'd'. ; the default unit is milliseconds.",
  '  - <condition> indicates what to wait for, no longer than the specified',
  '    duration. Supported conditions are:',
  '    - <none> : by default the command will always wait for the specified duration.',
  "    - 'srv-removable' <px>/<sv> : wait for the server to be removable by 'del server'",
  '      (in maintenance and without any connection attached).',
  "    - 'be-removable' <px> : wait for the backend to be removable by 'del backend'.",
  '',
].join('\n');

type Probe = () => { done: true } | { done: false; msg: string; recoverable: boolean };

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = (): void => { clearTimeout(t); resolve(); };
    const t = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(); }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

async function waitFor(model: Model, probe: Probe | null, delayMs: number, signal: AbortSignal, clock: () => number): Promise<string> {
  const deadline = clock() + delayMs;
  let last = '(null)';
  while (true) {
    if (probe !== null) {
      const r = probe();
      if (r.done) return line('Done.');
      last = r.msg;
      if (!r.recoverable) return refuse(model, 'PXY_ERR_WAIT', `Failed. ${r.msg}`);
    }
    if (signal.aborted) return refuse(model, 'PXY_ERR_WAIT', `Interrupted. ${last}`);
    const left = deadline - clock();
    if (left <= 0) return probe === null ? '' : refuse(model, 'PXY_ERR_WAIT', `Wait delay expired. ${last}`);
    await sleep(Math.min(left, probe === null ? left : POLL_MS), signal);
  }
}

export function waitCommand(model: Model, clock: () => number = Date.now): CommandSpec {
  return {
    words: ['wait'],
    help: 'wait {-h|<delay_ms>} cond [args...]     : wait the specified delay or condition (-h to see list)',
    level: 'user',
    run(args, ctx) {
      const d = args[1];
      if (d === undefined || d === '-h') return WAIT_USAGE;
      const parsed = parseDuration(d);
      if ('error' in parsed) return refuse(model, 'PXY_ERR_WAIT', 'Invalid duration.');
      const cond = args[2];
      let probe: Probe | null = null;
      if (cond === 'srv-removable') {
        const spec = args[3];
        if (spec === undefined || spec === '') return refuse(model, 'PXY_ERR_WAIT', 'Missing server name (<backend>/<server>).');
        if (!spec.includes('/') && !spec.startsWith('guid:')) return refuse(model, 'PXY_ERR_USAGE', "Require 'backend/server'.");
        probe = () => {
          const r = checkRemovable(model, spec);
          return 'srv' in r ? { done: true } : { done: false, msg: r.failure.text, recoverable: r.recoverable };
        };
      } else if (cond === 'be-removable') {
        const ref = args[3];
        if (ref === undefined || ref === '') return refuse(model, 'PXY_ERR_WAIT', 'Missing backend name.');
        probe = () => {
          const err = backendRemovable(model, ref);
          return err === null ? { done: true } : { done: false, msg: err, recoverable: false };
        };
      } else if (cond !== undefined && cond !== '') {
        return WAIT_USAGE;
      }
      return waitFor(model, probe, parsed.ms, ctx.signal, clock);
    },
  };
}
