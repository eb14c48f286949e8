/**
 * Retry delays for the Kubernetes API: doubling from 1 s to 30 s (client-node's own bounds), with
 * jitter so that many controllers restarted together do not hammer a recovering API server in
 * step. Retries never stop: the proxy keeps serving what it has while the API is away.
 */
export interface Backoff {
  /** The delay before the next attempt, in ms; grows with each call. */
  next(): number;
  /** Called after a success: the next failure starts from the base again. */
  reset(): void;
}

export function exponentialBackoff(baseMs = 1000, maxMs = 30000, random: () => number = Math.random): Backoff {
  let attempt = 0;
  return {
    next() {
      const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
      attempt = Math.min(attempt + 1, 30);
      // Jitter in [ceiling/2, ceiling]: never below half the nominal delay.
      return Math.round(ceiling / 2 + (random() * ceiling) / 2);
    },
    reset() {
      attempt = 0;
    },
  };
}
