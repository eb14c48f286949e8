/**
 * The admin HTTP server (fastify): /healthz (the process answers), /readyz (the first full sync
 * has been applied to the proxy), /metrics (Prometheus text).
 */
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

export interface AdminDeps {
  readonly ready: () => boolean;
  readonly registry: Registry;
}

export function adminServer(deps: AdminDeps): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/healthz', async () => 'ok');
  app.get('/readyz', async (_req, reply) => {
    if (deps.ready()) return 'ok';
    return reply.code(503).send('waiting for the first full sync');
  });
  app.get('/metrics', async (_req, reply) => {
    void reply.header('content-type', deps.registry.contentType);
    return deps.registry.metrics();
  });
  return app;
}
