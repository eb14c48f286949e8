/**
 * CLI commands of HAProxy's cli.c that are not about any object: `echo`, `show cli level`.
 * (`help`, `prompt`, `quit`, `operator` and `user` change the session and live in session.ts.)
 */
import type { CommandSpec } from './command.ts';

export const builtinCommands: readonly CommandSpec[] = [
  {
    words: ['echo'],
    help: 'echo <text>                             : print text to the output',
    level: 'user',
    pipelinable: true,
    run: (args) => `${args.slice(1).join(' ')}\n`,
  },
  {
    words: ['show', 'cli', 'level'],
    help: 'show cli level                          : display the level of the current CLI session',
    level: 'user',
    pipelinable: true,
    run: (_args, ctx) => `${ctx.level}\n`,
  },
];
