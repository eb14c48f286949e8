/**
 * HAProxy's "did you mean" heuristic (`make_word_fingerprint` / `word_fingerprint_distance`):
 * a word becomes counts of transitions between character classes (each letter, digit, other,
 * with start and end marks); the distance is the sum of absolute count differences.
 */

function cls(c: string): number {
  const l = c.toLowerCase();
  if (l >= 'a' && l <= 'z') return l.charCodeAt(0) - 96;
  if (c >= '0' && c <= '9') return 27;
  return 28;
}

function fingerprint(word: string): Map<number, number> {
  const fp = new Map<number, number>();
  let from = 28;
  for (const ch of word) {
    const to = cls(ch);
    const k = from * 32 + to;
    fp.set(k, (fp.get(k) ?? 0) + 1);
    from = to;
  }
  const k = from * 32 + 28;
  fp.set(k, (fp.get(k) ?? 0) + 1);
  return fp;
}

function distance(a: Map<number, number>, b: Map<number, number>): number {
  let d = 0;
  for (const [k, v] of a) d += Math.abs(v - (b.get(k) ?? 0));
  for (const [k, v] of b) if (!a.has(k)) d += v;
  return d;
}

/** The closest candidate (first one on ties), or null when none is close enough. */
export function bestMatch(word: string, candidates: readonly string[]): string | null {
  const fw = fingerprint(word);
  let best: string | null = null;
  let bestDist = Number.MAX_SAFE_INTEGER;
  for (const c of candidates) {
    const d = distance(fw, fingerprint(c));
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  if (best !== null && (bestDist > 2 * word.length || bestDist > 2 * best.length)) return null;
  return best;
}
