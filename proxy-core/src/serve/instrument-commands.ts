/**
 * Counts every runtime command in `hawser_runtime_commands_total{command,result}`. HAProxy's CLI
 * has no status codes: a command succeeds silently or with one of a few fixed texts, and fails
 * with a message. Reads (`show`, `get`, `help`) count as ok; a mutating command is ok when its
 * reply is empty or one of the success texts below, else error. Keep the list in step with the
 * commands' own texts (tests pin both).
 */
import type { Counter } from 'prom-client';
import type { CommandSpec } from '../runtime/command.ts';

const SUCCESS = [
  /^New server registered\./m,
  /^Server deleted\./,
  /^New backend registered\./,
  /^Backend (published|unpublished|deleted)\./,
  /^Done\./,
  /^New version created: /,
  /^New empty certificate store '/,
  /^Transaction (created|updated) for certificate /,
  /^Transaction aborted for certificate /,
  /^Success!$/m,
  /^Certificate '.*' deleted!/,
  /^Entry '.*' deleted in crtlist /,
];

const READS = new Set(['show', 'get', 'help', 'prompt', 'quit', 'operator', 'user', 'wait']);

export function commandResult(words: readonly string[], reply: string): 'ok' | 'error' {
  if (READS.has(words[0] ?? '') || reply === '') return 'ok';
  return SUCCESS.some((re) => re.test(reply)) ? 'ok' : 'error';
}

/**
 * Wraps each command's `run` to count its result. A command that answers synchronously still does
 * (the session's fast path: no promise per command). Counts are plain numbers added to the
 * prom-client counter when it is collected (a scrape): `inc()` with labels hashed them on every
 * command, about 200 bytes of garbage each.
 */
export function instrumentCommands(commands: readonly CommandSpec[], counter: Counter<'command' | 'result'>): CommandSpec[] {
  const flushes: (() => void)[] = [];
  const withCollect = counter as unknown as { collect?: () => void | Promise<void> };
  const previous = withCollect.collect;
  withCollect.collect = () => {
    for (const f of flushes) f();
    return previous?.call(counter);
  };
  return commands.map((c) => {
    const command = c.words.join(' ');
    const ok = counter.labels({ command, result: 'ok' });
    const error = counter.labels({ command, result: 'error' });
    let okN = 0;
    let errorN = 0;
    flushes.push(() => {
      if (okN > 0) ok.inc(okN);
      if (errorN > 0) error.inc(errorN);
      okN = 0;
      errorN = 0;
    });
    const count = (reply: string): string => {
      if (commandResult(c.words, reply) === 'ok') okN++;
      else errorN++;
      return reply;
    };
    const failed = (err: unknown): never => {
      errorN++;
      throw err;
    };
    return {
      ...c,
      run: (args, ctx) => {
        let reply: string | Promise<string>;
        try {
          reply = c.run(args, ctx);
        } catch (err) {
          return failed(err);
        }
        return typeof reply === 'string' ? count(reply) : reply.then(count, failed);
      },
    };
  });
}
