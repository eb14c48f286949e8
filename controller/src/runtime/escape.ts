/**
 * HAProxy CLI escaping: the only place where command text is assembled from arguments.
 *
 * How HAProxy reads a line (src/cli.c): a command ends at `\n` or at a `;` not preceded by `\`;
 * words split on unescaped spaces and tabs; `\x` stands for `x` (`\\` for `\`); a last word that
 * starts with `<<` switches to payload mode. So each argument is written with `\` before `\`,
 * space, tab, `;` and `<` (the last so that no argument can look like a payload marker). A
 * newline, a carriage return (stripped at a line end) or a NUL cannot be carried by escaping at
 * all, and an empty argument cannot be written: those are refused, never sent.
 */
import { HawserError } from '../errors.ts';

const SPECIAL = /[\\ \t;<]/g;
const UNSAFE = /[\n\r\0]/;

export function escapeArg(arg: string): string {
  if (arg.length === 0) throw new HawserError('HWS_ERR_RUNTIME_UNSAFE_ARGUMENT', 'an empty argument cannot be written on the runtime CLI');
  if (UNSAFE.test(arg)) throw new HawserError('HWS_ERR_RUNTIME_UNSAFE_ARGUMENT', 'an argument holds a newline, carriage return or NUL, which the runtime CLI cannot carry');
  return arg.replace(SPECIAL, (c) => `\\${c}`);
}

/** One command line without its terminator. */
export function formatWords(words: readonly string[]): string {
  return words.map(escapeArg).join(' ');
}

/**
 * A `<<` payload: sent after the command line, ended by an empty line. It is not escaped, so it
 * must not hold an empty line (which would end it early and let the rest be read as commands),
 * a carriage return or a NUL. Returns the payload text including its terminating empty line.
 */
export function formatPayload(payload: string): string {
  const body = payload.replace(/\n+$/, '');
  if (body.length === 0 || body.startsWith('\n') || body.includes('\n\n') || /[\r\0]/.test(body)) {
    throw new HawserError('HWS_ERR_RUNTIME_UNSAFE_PAYLOAD', 'a payload is empty or holds an empty line, a carriage return or a NUL');
  }
  return `${body}\n\n`;
}
