/**
 * The text of `help`, `help <words>` and of an unknown command, built the way HAProxy's
 * `cli_gen_usage_msg()` builds it: an exact-prefix match on the first words, then a fuzzy match
 * on the remaining ones (two-letter transition fingerprints), then the matching usage lines
 * sorted byte-wise, then the three lines HAProxy always appends. Pure.
 */

/** HAProxy's CLI_PREFIX_KW_NB, CLI_MAX_MATCHES. */
const PREFIX_KW_NB = 5;
const MAX_MATCHES = 5;

export interface UsageKeyword {
  readonly words: readonly string[];
  /** The usage line; `undefined` for keywords HAProxy does not list (help, prompt, quit). */
  readonly help: string | undefined;
}

const ALWAYS_SHOWN =
  '  help [<command>]                        : list matching or all commands\n' +
  '  prompt [timed]                          : toggle interactive mode with prompt\n' +
  '  quit                                    : disconnect\n';

/** Fills the 32×32 letter-transition histogram of `word` into `fp` (HAProxy's update_word_fingerprint). */
function addFingerprint(fp: Uint8Array, word: string): void {
  let from = 28;
  for (const ch of word) {
    const c = ch.toLowerCase();
    let to: number;
    if (c >= 'a' && c <= 'z') to = c.charCodeAt(0) - 96;
    else if (c >= '0' && c <= '9') to = 27;
    else to = 28;
    const i = from * 32 + to;
    fp[i] = ((fp[i] ?? 0) + 1) & 0xff;
    from = to;
  }
  const i = from * 32 + 28;
  fp[i] = ((fp[i] ?? 0) + 1) & 0xff;
}

function distance(a: Uint8Array, b: Uint8Array): number {
  let d = 0;
  for (let i = 0; i < 1024; i++) d += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return d;
}

function nonEmpty(s: string | undefined): s is string {
  return s !== undefined && s !== '';
}

function prefixLength(kw: UsageKeyword, args: readonly string[], limit: number): number {
  let idx = 0;
  for (; idx < limit; idx++) {
    const w = kw.words[idx];
    const a = args[idx];
    if (w === undefined || !nonEmpty(a) || w !== a) break;
  }
  return idx;
}

function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `args` are the words of the line that was not understood (or of the `help` line).
 * `keywords` in registration order: ties in the fuzzy match keep that order, as in HAProxy.
 */
export function usageMessage(keywords: readonly UsageKeyword[], lineArgs: readonly string[]): string {
  let args = lineArgs;
  const isHelp = args[0] === 'help';
  if (isHelp) args = args.slice(1);

  let length = 0;
  for (const kw of keywords) {
    const n = prefixLength(kw, args, PREFIX_KW_NB);
    if (n > length) length = n;
  }

  let out: string;
  if (isHelp) {
    out = 'The following commands are valid at this level:\n';
  } else {
    out = `Unknown command: '${args[0] ?? ''}'`;
    out +=
      length === 0 && !nonEmpty(args[0])
        ? '. Please enter one of the following commands only:\n'
        : ', but maybe one of the following ones is a better match:\n';
  }

  const matches: { kw: UsageKeyword; dist: number }[] = [];
  if (nonEmpty(args[length])) {
    for (const kw of keywords) {
      if (kw.help === undefined) continue;
      if (prefixLength(kw, args, length) !== length) continue;
      const wordSig = new Uint8Array(1024);
      const listSig = new Uint8Array(1024);
      let totlen = 0;
      for (let i = length; i < PREFIX_KW_NB && nonEmpty(args[i]); i++) {
        addFingerprint(wordSig, args[i] ?? '');
        totlen += Buffer.byteLength(args[i] ?? '');
      }
      for (let i = length; i < PREFIX_KW_NB && kw.words[i] !== undefined; i++) {
        addFingerprint(listSig, kw.words[i] ?? '');
        totlen += Buffer.byteLength(kw.words[i] ?? '');
      }
      const dist = distance(wordSig, listSig);
      const worst = matches.length < MAX_MATCHES ? Infinity : (matches[MAX_MATCHES - 1]?.dist ?? Infinity);
      if (dist < Math.trunc((5 * totlen) / 2) && dist < worst) {
        if (matches.length === MAX_MATCHES) matches.pop();
        let at = matches.length;
        while (at > 0 && (matches[at - 1]?.dist ?? 0) > dist) at--;
        matches.splice(at, 0, { kw, dist });
      }
    }
  }

  const entries: UsageKeyword[] = [];
  if (matches.length > 0) {
    const best = matches[0]?.dist ?? 0;
    for (const m of matches) {
      if (m.dist > Math.trunc((5 * best) / 2)) break;
      entries.push(m.kw);
    }
  } else {
    for (const kw of keywords) {
      if (kw.help !== undefined && prefixLength(kw, args, length) === length) entries.push(kw);
    }
  }
  entries.sort((a, b) => compareBytes(a.help ?? '', b.help ?? ''));
  for (const e of entries) out += `  ${e.help ?? ''}\n`;
  return out + ALWAYS_SHOWN;
}
