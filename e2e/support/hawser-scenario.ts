// Small helpers the scenario files share: a Service with its EndpointSlice pointing at echo
// backends, and "wait until the proxy routes this request to that backend".
import type { HawserStack } from './hawser-stack.ts';
import type { NetnsBackend } from './netns-backend.ts';
import { endpointSlice, pod, service, type PodEndpoint } from './hawser-objects.ts';
import type { Reply } from './hawser-traffic.ts';

/** The named port every echo backend serves on, behind a Service port 80 of the same name. */
export const BACKEND_PORT = { name: 'http', port: 8080 } as const;

/** A Service `name` (port 80 → 8080, named http) and one slice with a pod per backend. */
export function serviceFor(namespace: string, name: string, backends: readonly NetnsBackend[]): { objects: object[]; pods: PodEndpoint[] } {
  const pods = backends.map((b) => pod(`${name}-${b.name}`, b.address));
  return {
    pods,
    objects: [
      service(namespace, name, [{ name: BACKEND_PORT.name, port: 80, targetPort: BACKEND_PORT.port }]),
      endpointSlice(namespace, name, `${name}-1`, [BACKEND_PORT], pods),
    ],
  };
}

/** The stack's backend called `name`. */
export function backendNamed(stack: HawserStack, name: string): NetnsBackend {
  const b = stack.backends.find((x) => x.name === name);
  if (b === undefined) throw new Error(`no backend ${name} in this stack (have ${stack.backends.map((x) => x.name).join(', ')})`);
  return b;
}

export interface Expectation {
  readonly status: number;
  /** Backend name expected to answer ('' for a proxy-generated reply). */
  readonly backend?: string;
}

/**
 * Polls `request` until its reply matches, for at most `timeoutMs`; rejects with the last reply
 * (or error) so a failing scenario says what the proxy did instead.
 */
export async function waitForReply(what: string, request: () => Promise<Reply>, expected: Expectation, timeoutMs = 15_000): Promise<Reply> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let last: string;
    try {
      const r = await request();
      if (r.status === expected.status && (expected.backend === undefined || r.backend === expected.backend)) return r;
      last = `HTTP ${String(r.status)} from ${r.backend || 'the proxy'}: ${r.body.slice(0, 200)}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() >= deadline) {
      throw new Error(`${what}: expected HTTP ${String(expected.status)}${expected.backend === undefined ? '' : ` from ${expected.backend || 'the proxy'}`} within ${String(timeoutMs)} ms; last: ${last}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Holds `request` to the expectation for `ms` (sampled), to show something does NOT change. */
export async function holdsFor(what: string, request: () => Promise<Reply>, expected: Expectation, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const r = await request();
    if (r.status !== expected.status || (expected.backend !== undefined && r.backend !== expected.backend)) {
      throw new Error(`${what}: expected HTTP ${String(expected.status)}${expected.backend === undefined ? '' : ` from ${expected.backend || 'the proxy'}`}, got ${String(r.status)} from ${r.backend || 'the proxy'}: ${r.body.slice(0, 200)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
