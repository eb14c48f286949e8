/**
 * A model of how HAProxy's CLI reads what a client sends (src/cli.c: `cli_snd_buf` splits
 * commands, `cli_parse_request` splits words and unescapes). It exists to test the escaping
 * (format, then tokenize, must give the arguments back) and to drive the fake proxy; proxy-core
 * has its own parser. Kept close to the C on purpose, including its quirks:
 * - a command ends at `\n` or `;`; a `\` makes the next character literal for that split;
 * - a `\r` just before the terminator is dropped;
 * - payload mode starts when the text after the last raw space or tab starts with `<<`, and ends
 *   at a line equal to the pattern after `<<` (an empty line for plain `<<`);
 * - words split on spaces and tabs not escaped; `\\` gives `\`, `\x` gives `x`.
 */

export interface Tokenized {
  readonly args: readonly string[];
  readonly payload?: string;
}

function splitWords(line: string): string[] {
  const args: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (i >= line.length) break;
    if (line.startsWith('<<', i) && i + 2 === line.length) break; // the payload marker is not an argument
    let raw = '';
    while (i < line.length && line[i] !== ' ' && line[i] !== '\t') {
      if (line[i] === '\\') {
        raw += line.slice(i, i + 2);
        i += 2;
      } else {
        raw += line[i];
        i++;
      }
    }
    i++;
    let word = '';
    for (let k = 0; k < raw.length; k++) {
      if (raw[k] === '\\') {
        if (raw[k + 1] === '\\') k++;
        else continue;
      }
      word += raw[k] ?? '';
    }
    args.push(word);
  }
  return args;
}

/** Every command in `input`, in order. Text after the last terminator is ignored (incomplete). */
export function tokenize(input: string): Tokenized[] {
  const out: Tokenized[] = [];
  let i = 0;
  while (i < input.length) {
    let line = '';
    let ended = false;
    while (i < input.length) {
      const c = input[i] ?? '';
      if (c === '\\' && i + 1 < input.length) {
        line += input.slice(i, i + 2);
        i += 2;
        continue;
      }
      i++;
      if (c === '\n' || c === ';') { ended = true; break; }
      line += c;
    }
    if (!ended) break;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const lastSpace = Math.max(line.lastIndexOf(' '), line.lastIndexOf('\t'));
    const last = line.slice(lastSpace + 1);
    if (last.startsWith('<<') && last.length - 2 < 8) {
      const pattern = last.slice(2);
      const lines: string[] = [];
      let closed = false;
      while (i < input.length) {
        const nl = input.indexOf('\n', i);
        if (nl < 0) { i = input.length; break; }
        const l = input.slice(i, nl);
        i = nl + 1;
        if (l === pattern) { closed = true; break; }
        lines.push(l);
      }
      if (!closed) break;
      out.push({ args: splitWords(line.slice(0, lastSpace + 1).trimEnd() + ' <<'), payload: lines.join('\n') });
      continue;
    }
    const args = splitWords(line);
    if (args.length > 0) out.push({ args });
  }
  return out;
}
