/**
 * Splits one CLI command line into words the way HAProxy's `cli_parse_request()` does.
 * Pure: no I/O. The framing (where a line ends, `;`, payloads) lives in `framer.ts`.
 *
 * HAProxy's rules, kept exactly:
 * - words are separated by spaces and tabs; leading blanks are skipped;
 * - a backslash protects the next character from splitting (`a\ b` is one word);
 * - unescaping then drops every backslash except that `\\` yields one backslash
 *   (`\;` → `;`, `\x` → `x`, a trailing lone `\` disappears);
 * - the line is a C string: everything after a NUL byte is ignored;
 * - at most `MAX_CLI_ARGS` words are read, the rest of the line is ignored;
 * - a word that starts with `<<` and is exactly `<<` + the payload pattern at the end of the
 *   line marks the payload and is not an argument.
 */

/** HAProxy's MAX_CLI_ARGS. */
export const MAX_CLI_ARGS = 64;

export interface TokenizedLine {
  /** Every word of the line, unescaped, without the `<<` payload marker. */
  readonly args: readonly string[];
}

function isBlank(c: string): boolean {
  return c === ' ' || c === '\t';
}

/** Drops backslashes as HAProxy does: `\\` → `\`, `\x` → `x`. */
export function unescapeWord(raw: string): string {
  // most words carry no escape: no character-by-character copy for them
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let k = 0; k < raw.length; k++) {
    const c = raw[k];
    if (c === '\\') {
      if (raw[k + 1] === '\\') {
        k++;
      } else {
        continue;
      }
    }
    out += raw[k];
  }
  return out;
}

/**
 * Precondition: `line` carries neither its delimiter (`\n` or `;`) nor a trailing `\r`.
 * `payloadPattern` is the pattern after `<<` when the framer switched to payload mode for this
 * line, `undefined` otherwise.
 */
export function tokenizeLine(line: string, payloadPattern?: string): TokenizedLine {
  const nul = line.indexOf('\0');
  const text = nul === -1 ? line : line.slice(0, nul);
  const args: string[] = [];
  let p = 0;
  while (args.length < MAX_CLI_ARGS && p < text.length) {
    while (p < text.length && isBlank(text[p] ?? '')) p++;
    if (p >= text.length) break;
    if (payloadPattern !== undefined && text.startsWith('<<', p) && text.slice(p + 2) === payloadPattern) {
      break;
    }
    const start = p;
    while (p < text.length) {
      const c = text[p];
      if (c === '\\') {
        p += 2;
        continue;
      }
      if (c !== undefined && isBlank(c)) break;
      p++;
    }
    const end = Math.min(p, text.length);
    args.push(unescapeWord(text.slice(start, end)));
    p = end + 1;
  }
  return { args };
}

/**
 * The payload pattern if this command line opens a payload: its last blank-separated word is
 * `<<` followed by 0 to 7 characters (HAProxy's `cli_payload_pat` holds 8 bytes with the NUL).
 * Returns `undefined` when the line opens no payload.
 */
export function payloadPatternOf(line: string): string | undefined {
  let i = line.length - 1;
  while (i >= 0 && line[i] !== ' ' && line[i] !== '\t') i--;
  const last = line.slice(i + 1);
  if (!last.startsWith('<<')) return undefined;
  const pattern = last.slice(2);
  return pattern.length < 8 ? pattern : undefined;
}

/**
 * Escapes one argument so that `tokenizeLine` gives it back unchanged: the inverse used by
 * clients and tests (the controller's runtime client has its own copy by design).
 */
export function escapeArg(word: string): string {
  return word.replace(/[\\ \t;\n\r]/g, (c) => `\\${c}`);
}
