/**
 * Heap limits of the traffic workers (workers/pool.ts passes them as `resourceLimits`).
 *
 * V8 grows a young generation to 64 MB when many objects survive (here: while a burst of changes
 * builds a large table) and keeps it until a reclaim, and every worker is an isolate of its own.
 * 24 MB (two 8 MB semi-spaces plus room for large young objects) measured 40 MB less RSS per
 * worker at 100 000 servers, and a worker's per-request garbage is short-lived, so scavenges stay
 * cheap. docs/runtime-api.md (Memory) has the figures.
 */
export const WORKER_YOUNG_GENERATION_MB = 24;
