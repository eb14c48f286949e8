/**
 * The contract between the runtime API's framing (socket, tokenizer, levels, prompt mode) and the
 * rooms that own commands (servers, backends, maps, certificates). Types only.
 */

/** HAProxy's CLI levels, lowest first. A command below its level answers `Permission denied`. */
export type Level = 'user' | 'operator' | 'admin';

export interface CommandContext {
  /** The level of the connection (from the `stats socket … level` line, lowered by `operator`/`user`). */
  readonly level: Level;
  /** The `<<` payload that followed the command line, without its terminating empty line. */
  readonly payload: string | undefined;
  /** Aborted when the client goes away; long commands (`wait …`) stop early. */
  readonly signal: AbortSignal;
}

export interface CommandSpec {
  /** The keywords that select the command, e.g. `['add', 'server']`; the longest match wins. */
  readonly words: readonly string[];
  /** The line `help` prints for this command (HAProxy's text where HAProxy has the command). */
  readonly help: string;
  /** Minimal level; a connection below it gets `Permission denied`. */
  readonly level: Level;
  /**
   * Runs the command. `args` are every word of the line, keywords included, already unescaped.
   * Returns the reply without the final empty line the framing adds in non-interactive mode;
   * a silent success returns ''.
   */
  run(args: readonly string[], ctx: CommandContext): string | Promise<string>;
  /**
   * Optional (added by the cli room, backwards compatible): true when `run` reads and changes
   * state only synchronously, before it returns, and its promise does nothing but wait until the
   * change is visible in every worker. The session may then start the next command of the same
   * connection before that promise settles; replies still leave in command order, each after its
   * own change is visible. Leave it unset for commands that read state after an `await` (`wait`).
   */
  readonly pipelinable?: boolean;
}
