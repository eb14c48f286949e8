// Requests through the proxy as a client would send them: a Host header (and an SNI name for TLS),
// one connection per request unless a load run says otherwise.
import { Agent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { connect as tlsConnect, type PeerCertificate } from 'node:tls';

export interface Reply {
  readonly status: number;
  /** The echo server's `name` when a backend answered, else ''. */
  readonly backend: string;
  /** The path the backend received ('' when no backend answered). */
  readonly backendPath: string;
  readonly body: string;
}

function toReply(status: number, body: string): Reply {
  try {
    const echo = JSON.parse(body) as { name?: unknown; path?: unknown };
    if (typeof echo.name === 'string') return { status, backend: echo.name, backendPath: typeof echo.path === 'string' ? echo.path : '', body };
  } catch {
    // Not an echo reply (a proxy error page).
  }
  return { status, backend: '', backendPath: '', body };
}

export interface RequestTarget {
  readonly port: number;
  readonly host: string;
  readonly path?: string;
  /** TLS with this SNI name (Host stays `host`); the certificate is not verified. */
  readonly tls?: { readonly servername: string };
  readonly agent?: Agent;
  readonly timeoutMs?: number;
}

/** One GET through the proxy; rejects on a connection error or timeout. */
export function get(target: RequestTarget): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const options = {
      host: '127.0.0.1', port: target.port, path: target.path ?? '/', method: 'GET',
      headers: { host: target.host }, timeout: target.timeoutMs ?? 5000,
      ...(target.agent === undefined ? { agent: false as const } : { agent: target.agent }),
      ...(target.tls === undefined ? {} : { servername: target.tls.servername, rejectUnauthorized: false }),
    };
    const req = (target.tls === undefined ? httpRequest : httpsRequest)(options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        if (body.length < 65536) body += c;
      });
      res.on('end', () => resolve(toReply(res.statusCode ?? 0, body)));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${String(target.timeoutMs ?? 5000)} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** The certificate the proxy presents for `servername` (a TLS handshake only). */
export function peerCertificate(port: number, servername: string): Promise<PeerCertificate> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false }, () => {
      const cert = socket.getPeerCertificate();
      socket.end();
      resolve(cert);
    });
    socket.setTimeout(5000, () => socket.destroy(new Error('TLS handshake timed out')));
    socket.on('error', reject);
  });
}

export interface LoadResult {
  readonly sent: number;
  readonly ok: number;
  /** Every non-2xx status or transport error, with when it happened (ms since start). */
  readonly failures: ReadonlyArray<{ readonly atMs: number; readonly what: string }>;
  readonly byBackend: ReadonlyMap<string, number>;
  readonly durationMs: number;
  /** Achieved rate. */
  readonly perSecond: number;
}

export interface LoadRun {
  /** Stops sending, waits for the requests in flight and returns the tally. */
  stop(): Promise<LoadResult>;
  /** The tally so far (requests in flight not counted). */
  snapshot(): LoadResult;
}

/**
 * Sends GETs at `ratePerSecond` (ticks of 10 ms) over a keep-alive pool until stopped. At most
 * `maxInFlight` requests are outstanding; a tick that finds the pool full counts as a failure,
 * so a stall shows up in the result instead of silently lowering the rate.
 */
export function startLoad(target: Omit<RequestTarget, 'agent'>, ratePerSecond: number, maxInFlight = 64): LoadRun {
  const agent = target.tls === undefined ? new Agent({ keepAlive: true, maxSockets: 32 }) : new HttpsAgent({ keepAlive: true, maxSockets: 32 });
  const started = Date.now();
  let sent = 0;
  let ok = 0;
  let inFlight = 0;
  const failures: Array<{ atMs: number; what: string }> = [];
  const byBackend = new Map<string, number>();
  const pending = new Set<Promise<void>>();
  let attempts = 0;
  const fire = (): void => {
    attempts++;
    if (inFlight >= maxInFlight) {
      failures.push({ atMs: Date.now() - started, what: `more than ${String(maxInFlight)} requests in flight` });
      return;
    }
    sent++;
    inFlight++;
    const p = get({ ...target, agent, timeoutMs: target.timeoutMs ?? 10_000 }).then((r) => {
      if (r.status >= 200 && r.status < 300) {
        ok++;
        byBackend.set(r.backend, (byBackend.get(r.backend) ?? 0) + 1);
      } else {
        failures.push({ atMs: Date.now() - started, what: `HTTP ${String(r.status)} ${r.body.slice(0, 120)}` });
      }
    }, (err: unknown) => {
      failures.push({ atMs: Date.now() - started, what: err instanceof Error ? err.message : String(err) });
    }).finally(() => {
      inFlight--;
      pending.delete(p);
    });
    pending.add(p);
  };
  // Catch up on ticks a busy event loop delayed, so the average rate holds.
  const timer = setInterval(() => {
    const want = Math.floor(((Date.now() - started) * ratePerSecond) / 1000);
    while (attempts < want) fire();
  }, 10);
  const tally = (): LoadResult => {
    const durationMs = Date.now() - started;
    return { sent, ok, failures: [...failures], byBackend: new Map(byBackend), durationMs, perSecond: (sent * 1000) / Math.max(1, durationMs) };
  };
  return {
    snapshot: tally,
    async stop() {
      clearInterval(timer);
      await Promise.all([...pending]);
      agent.destroy();
      return tally();
    },
  };
}

/** A short human summary of a load result for assertion messages. */
export function describeLoad(r: LoadResult): string {
  const spread = [...r.byBackend].map(([b, n]) => `${b || '(none)'}=${String(n)}`).join(' ');
  const first = r.failures.slice(0, 5).map((f) => `${String(f.atMs)}ms: ${f.what}`).join('; ');
  return `${String(r.sent)} sent in ${String(r.durationMs)} ms (${r.perSecond.toFixed(0)}/s), ${String(r.ok)} ok, ${String(r.failures.length)} failed [${first}] backends: ${spread}`;
}
