/**
 * Listening sockets, one per frontend bind in every worker, all with `reusePort` so the kernel
 * spreads new connections over the workers. A frontend change keeps the sockets of the binds it
 * still has (no connection is refused during the change) and closes the others.
 */
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer, type TLSSocket } from 'node:tls';
import { TLS_OPTIONS, type Certificates } from './certificates.ts';
import type { Bind } from './records.ts';
import type { FrontendEntry } from './tables.ts';

/**
 * Called for every accepted connection (after the handshake for TLS). A plain TCP connection
 * arrives paused (`pauseOnConnect`): the handler adopts it or resumes it.
 */
export type ConnectionHandler = (socket: Socket, fe: FrontendEntry, secure: boolean) => void;

interface Listener {
  readonly key: string;
  readonly server: Server | TlsServer;
  bind: Bind;
  frontend: FrontendEntry;
}

/** TLS handshakes that take longer than this are dropped (slowloris on the handshake). */
const HANDSHAKE_TIMEOUT_MS = 10_000;

function bindKey(b: Bind): string {
  return `${b.host}|${b.port}|${b.ssl === null ? 'tcp' : 'tls'}`;
}

function listenHost(host: string): string | undefined {
  return host === '' || host === '*' ? '0.0.0.0' : host;
}

export class Listeners {
  private readonly byKey = new Map<string, Listener>();
  private readonly certs: Certificates;
  private readonly onConnection: ConnectionHandler;

  constructor(certs: Certificates, onConnection: ConnectionHandler) {
    this.certs = certs;
    this.onConnection = onConnection;
    certs.onChange = () => this.refreshDefaults();
  }

  /** Makes the listening sockets match `fe.binds`; rejects when a new bind cannot listen. */
  async sync(fe: FrontendEntry): Promise<void> {
    const wanted = new Map(fe.binds.map((b) => [bindKey(b), b]));
    for (const l of [...this.byKey.values()]) {
      if (l.frontend.name === fe.name && !wanted.has(l.key)) this.closeOne(l);
    }
    const opening: Promise<void>[] = [];
    for (const [key, bind] of wanted) {
      const l = this.byKey.get(key);
      if (l !== undefined) {
        l.frontend = fe;
        l.bind = bind;
        this.refreshDefault(l);
      } else {
        opening.push(this.open(key, bind, fe));
      }
    }
    await Promise.all(opening);
  }

  /** Closes the listeners of a frontend (its open connections are not touched). */
  closeFrontend(name: string): void {
    for (const l of [...this.byKey.values()]) if (l.frontend.name === name) this.closeOne(l);
  }

  closeAll(): void {
    for (const l of [...this.byKey.values()]) this.closeOne(l);
  }

  get size(): number {
    return this.byKey.size;
  }

  private open(key: string, bind: Bind, fe: FrontendEntry): Promise<void> {
    let server: Server | TlsServer;
    const l: { -readonly [K in keyof Listener]: Listener[K] } = { key, server: undefined as unknown as Server, bind, frontend: fe };
    if (bind.ssl === null) {
      server = createTcpServer({ noDelay: true, allowHalfOpen: true, pauseOnConnect: true }, (s) => this.onConnection(s, l.frontend, false));
    } else {
      const tlsServer = createTlsServer({
        ...TLS_OPTIONS,
        allowHalfOpen: true,
        handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
        SNICallback: (name, cb) => cb(null, this.certs.select(l.bind.ssl?.crtList ?? null, name) ?? this.defaultContext(l)),
      }, (s: TLSSocket) => {
        s.setNoDelay(true);
        this.onConnection(s, l.frontend, true);
      });
      // A failed handshake is the client's problem: never let it surface as an unhandled error.
      tlsServer.on('tlsClientError', (_err, sock) => sock.destroy());
      server = tlsServer;
    }
    l.server = server;
    this.byKey.set(key, l);
    if (bind.ssl !== null) this.refreshDefault(l);
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => {
        this.byKey.delete(key);
        reject(err);
      };
      server.once('error', onError);
      server.listen({ host: listenHost(bind.host), port: bind.port, reusePort: true, backlog: 4096 }, () => {
        server.off('error', onError);
        // After listening, an error (EMFILE on accept, …) must not kill the worker.
        server.on('error', () => undefined);
        resolve();
      });
    });
  }

  private closeOne(l: Listener): void {
    this.byKey.delete(l.key);
    l.server.close();
  }

  private defaultContext(l: Listener): import('node:tls').SecureContext | undefined {
    const name = l.bind.ssl?.defaultCert;
    return name === undefined ? undefined : this.certs.context(name);
  }

  /** Points a TLS listener's no-SNI context at its default certificate's current version. */
  private refreshDefault(l: Listener): void {
    const name = l.bind.ssl?.defaultCert;
    if (name === undefined) return;
    const pem = this.certs.pem(name);
    if (pem !== undefined) (l.server as TlsServer).setSecureContext({ ...TLS_OPTIONS, cert: pem.cert, key: pem.key });
  }

  private refreshDefaults(): void {
    for (const l of this.byKey.values()) if (l.bind.ssl !== null) this.refreshDefault(l);
  }
}
