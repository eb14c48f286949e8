/**
 * One active health check of one server: a TCP connect, or with `option httpchk` an HTTP/1.0
 * request whose status must be 2xx or 3xx (HAProxy's rule). The probe only answers passed or
 * failed with a short reason; the rise/fall logic lives in the model (server-transitions.ts).
 */
import { connect } from 'node:net';

export interface ProbeTarget {
  readonly host: string;
  readonly port: number;
  /** Null: a TCP check. */
  readonly http: { readonly method: string; readonly uri: string; readonly host: string } | null;
  readonly timeoutMs: number;
}

export interface ProbeResult {
  readonly passed: boolean;
  /** `L4OK`, `L4CON` (refused/unreachable), `L4TOUT`, `L7OK`, `L7STS` (bad status), `L7RSP` (not HTTP), `L7TOUT`: HAProxy's check status names. */
  readonly status: string;
}

const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})[ \r]/;

/** Never rejects: every failure is a result. */
export function probe(t: ProbeTarget): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let done = false;
    let connected = false;
    let head = '';
    const sock = connect({ host: t.host, port: t.port });
    const finish = (r: ProbeResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ passed: false, status: connected ? 'L7TOUT' : 'L4TOUT' }), t.timeoutMs);
    sock.on('error', () => finish({ passed: false, status: connected && t.http !== null ? 'L7RSP' : 'L4CON' }));
    sock.on('connect', () => {
      connected = true;
      if (t.http === null) {
        finish({ passed: true, status: 'L4OK' });
        return;
      }
      sock.write(`${t.http.method} ${t.http.uri} HTTP/1.0\r\nHost: ${t.http.host}\r\nUser-Agent: hawser-check\r\nConnection: close\r\n\r\n`);
    });
    sock.on('data', (b: Buffer) => {
      head += b.toString('latin1');
      const eol = head.indexOf('\n');
      if (eol < 0 && head.length < 1024) return;
      const m = STATUS_LINE.exec(head);
      if (m === null) return finish({ passed: false, status: 'L7RSP' });
      const code = Number(m[1]);
      finish(code >= 200 && code < 400 ? { passed: true, status: 'L7OK' } : { passed: false, status: 'L7STS' });
    });
    sock.on('end', () => finish({ passed: false, status: 'L7RSP' }));
  });
}
