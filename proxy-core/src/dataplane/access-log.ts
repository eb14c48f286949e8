/**
 * The worker's two log streams (pino JSON on stdout, written from the worker thread itself):
 * - access lines, one per request, only for frontends with `accessLog` on (off by default);
 * - event lines (warn level), always: rejected requests, upstream failures, timeouts. These say
 *   why a client got an error or a closed connection, with the stable reason code.
 * Bindings are our constant keys; user-controlled bytes appear only as values.
 */
import pino, { type Logger } from 'pino';
import type { BackendEntry, FrontendEntry, ServerEntry } from './tables.ts';

/** What an access line carries; filled from the session's fields when the response ends. */
export interface AccessRecord {
  readonly fe: FrontendEntry;
  readonly be: BackendEntry | null;
  readonly server: ServerEntry | null;
  readonly routeGuid: string | null;
  readonly client: string;
  readonly method: string;
  readonly target: string;
  readonly status: number;
  readonly bytesOut: number;
  readonly ms: number;
  /** Why the exchange ended abnormally, or null. */
  readonly reason: string | null;
}

export class PlaneLog {
  readonly logger: Logger;

  constructor(worker: number, logger?: Logger) {
    this.logger = logger ?? pino({
      name: 'hawser-dataplane',
      level: process.env['HAWSER_LOG_LEVEL'] ?? 'info',
      base: { worker },
      timestamp: pino.stdTimeFunctions.isoTime,
    }, pino.destination({ fd: 1, sync: false }));
  }

  access(r: AccessRecord): void {
    this.logger.info({
      type: 'access',
      frontend: r.fe.name,
      frontend_guid: r.fe.guid,
      backend: r.be?.name ?? null,
      backend_guid: r.be?.guid ?? null,
      server: r.server?.name ?? null,
      server_guid: r.server?.guid ?? null,
      route_guid: r.routeGuid,
      client: r.client,
      method: r.method,
      target: r.target,
      status: r.status,
      bytes_out: r.bytesOut,
      ms: r.ms,
      reason: r.reason,
    });
  }

  /** A request refused before routing (bad head, limits, timeout waiting for the head). */
  rejected(fe: FrontendEntry, client: string, code: string, status: number): void {
    this.logger.warn({ type: 'rejected', frontend: fe.name, frontend_guid: fe.guid, client, code, status }, 'request rejected');
  }

  /** An exchange that failed on the upstream side. */
  upstream(fe: FrontendEntry, be: BackendEntry | null, server: ServerEntry | null, reason: string, status: number): void {
    this.logger.warn({
      type: 'upstream', frontend: fe.name, backend: be?.name ?? null, server: server?.name ?? null,
      server_guid: server?.guid ?? null, reason, status,
    }, 'upstream failure');
  }

  tcp(fe: FrontendEntry, be: BackendEntry | null, reason: string): void {
    this.logger.warn({ type: 'tcp', frontend: fe.name, backend: be?.name ?? null, reason }, 'tcp session ended');
  }

  flush(): void {
    this.logger.flush();
  }
}
