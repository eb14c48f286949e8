/**
 * The admin HTTP port (fastify): `/healthz` (the process is alive), `/readyz` (the proxy serves:
 * configuration applied and every worker listening; during a soft stop it turns not ready so load
 * balancers stop sending), `/metrics` (Prometheus text from the process's own registry).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

export interface AdminOptions {
  readonly host: string;
  readonly port: number;
  readonly registry: Registry;
  /** Why the proxy is not ready, or null when it is. */
  readonly notReadyReason: () => string | null;
}

export async function startAdminServer(opts: AdminOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.get('/healthz', async () => 'ok\n');
  app.get('/readyz', async (_req, reply) => {
    const why = opts.notReadyReason();
    if (why === null) return 'ok\n';
    return reply.code(503).send(`not ready: ${why}\n`);
  });
  app.get('/metrics', async (_req, reply) => {
    const body = await opts.registry.metrics();
    return reply.header('content-type', opts.registry.contentType).send(body);
  });
  await app.listen({ host: opts.host, port: opts.port });
  return app;
}
