/**
 * Test helper: drives a CliSession without a socket and returns what it wrote.
 */
import type { CommandSpec, Level } from '../command.ts';
import { CommandTable } from '../command-table.ts';
import type { FramerLimits } from '../framer.ts';
import { CliSession } from '../session.ts';

export async function runSession(
  commands: readonly CommandSpec[],
  chunks: readonly Buffer[],
  opts: { level?: Level; limits?: FramerLimits; end?: boolean } = {},
): Promise<{ output: string; closed: boolean }> {
  let output = '';
  let closed = false;
  const session = new CliSession({
    commands: new CommandTable(commands),
    level: opts.level ?? 'admin',
    ...(opts.limits === undefined ? {} : { limits: opts.limits }),
    io: {
      write: (t) => {
        output += t;
      },
      close: () => {
        closed = true;
      },
      pauseInput: () => undefined,
      resumeInput: () => undefined,
    },
  });
  for (const c of chunks) session.push(c);
  if (opts.end ?? true) session.peerEnded();
  // let the session drain: every command here settles within a few turns
  for (let i = 0; i < 10_000 && !closed; i++) await new Promise((r) => setImmediate(r));
  return { output, closed };
}
