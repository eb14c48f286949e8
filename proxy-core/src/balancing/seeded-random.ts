/**
 * A deterministic random source (mulberry32) for tests and benchmarks: same seed, same sequence.
 * Not for anything secret. The state lives in a typed array: a closure variable holding a
 * 32-bit value would be re-boxed, i.e. allocated, on every call.
 */
import type { RandomSource } from './balancer.ts';

export function seededRandom(seed: number): RandomSource {
  const state = new Uint32Array([seed >>> 0]);
  return () => {
    const a = ((state[0] as number) + 0x6d2b79f5) >>> 0;
    state[0] = a;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
