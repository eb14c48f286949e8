/**
 * Test fixture: a model built from configuration text and a `send` that dispatches one command
 * line to the matching CommandSpec (longest keyword match), without the socket framing.
 * Words are split on blanks only: tests of escaping belong to the runtime API.
 */
import { buildModel } from '../config/build-model.ts';
import { parseConfig } from '../config/parser.ts';
import type { Model } from '../model/model.ts';
import type { CommandContext, CommandSpec, Level } from '../runtime/command.ts';
import { modelCommands } from './index.ts';

export interface Fixture {
  readonly model: Model;
  readonly commands: readonly CommandSpec[];
  /** Seconds on the model clock; tests move it forward. */
  now: number;
  send(cmd: string, level?: Level, signal?: AbortSignal): Promise<string>;
}

export function fixture(configText: string, file = 'h.cfg'): Fixture {
  const r = parseConfig(configText, file);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  const fx: Fixture = {
    model: undefined as unknown as Model,
    commands: [],
    now: 1_000_000,
    async send(cmd, level = 'admin', signal = new AbortController().signal) {
      const args = cmd.split(/\s+/).filter((w) => w !== '');
      let best: CommandSpec | undefined;
      for (const c of fx.commands) {
        if (c.words.every((w, i) => args[i] === w) && (best === undefined || c.words.length > best.words.length)) best = c;
      }
      if (best === undefined) return `Unknown command: '${cmd}'\n`;
      const order: Level[] = ['user', 'operator', 'admin'];
      if (order.indexOf(level) < order.indexOf(best.level)) return 'Permission denied\n';
      const ctx: CommandContext = { level, payload: undefined, signal };
      return await best.run(args, ctx);
    },
  };
  const model = buildModel(r.config, { clock: () => fx.now * 1000 });
  Object.assign(fx, { model, commands: modelCommands(model) });
  return fx;
}

export const A = '127.0.0.1:28081';
