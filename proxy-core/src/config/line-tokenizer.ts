/**
 * Splits one configuration line into words the way HAProxy does: blanks separate words, `#`
 * starts a comment, single quotes are literal, double quotes group words and allow escapes,
 * a backslash escapes the next character (`\t`, `\n`, `\r`, `\xNN` are decoded). Environment
 * variables are not expanded: nothing a user writes is evaluated.
 */

export type Tokenized = { readonly words: string[] } | { readonly error: string };

function hex(c: string): number {
  const n = parseInt(c, 16);
  return Number.isNaN(n) ? -1 : n;
}

export function tokenizeLine(line: string): Tokenized {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '' | "'" | '"' = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote === "'") {
      if (c === "'") quote = '';
      else cur += c;
      continue;
    }
    if (c === '\\') {
      const n = line[i + 1];
      if (n === undefined) return { error: 'a backslash ends the line' };
      i++;
      inWord = true;
      if (n === 't') cur += '\t';
      else if (n === 'n') cur += '\n';
      else if (n === 'r') cur += '\r';
      else if (n === 'x') {
        const hi = hex(line[i + 1] ?? ''), lo = hex(line[i + 2] ?? '');
        if (hi < 0 || lo < 0) return { error: `truncated or invalid hexadecimal sequence at position ${i}` };
        cur += String.fromCharCode(hi * 16 + lo);
        i += 2;
      } else cur += n;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = '';
      else cur += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
      continue;
    }
    if (c === '#') break;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      continue;
    }
    cur += c;
    inWord = true;
  }
  if (quote !== '') return { error: `unmatched quote` };
  if (inWord) words.push(cur);
  return { words };
}
