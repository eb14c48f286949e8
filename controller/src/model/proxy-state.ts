/**
 * The proxy's state as the controller sees it: what it wants (built by the model from the
 * cluster) and what the proxy has (read back over the runtime API). One shape for both, so the
 * differ compares like with like. Every list is sorted by its key; builders and readers keep it so.
 */

export type ServerState = 'ready' | 'drain' | 'maint';

export type Balance =
  | { readonly algorithm: 'roundrobin' | 'leastconn' | 'random' | 'source' }
  | { readonly algorithm: 'hdr'; readonly header: string };

/** Backend-wide settings, from annotations. Undefined fields mean "the proxy's default". */
export interface BackendSettings {
  readonly balance?: Balance;
  readonly timeoutConnectMs?: number;
  readonly timeoutServerMs?: number;
  /** HTTP health check path (`option httpchk GET <path>`); undefined: TCP check when checks are on. */
  readonly checkPath?: string;
  readonly checkIntervalMs?: number;
}

export interface ServerSpec {
  /** Unique within its backend; derived from the GUID's identity part (see ids.ts). */
  readonly name: string;
  /** Undefined only in state read back from a proxy, which does not print GUIDs. */
  readonly guid?: string;
  readonly address: string;
  readonly port: number;
  readonly weight: number;
  readonly state: ServerState;
  /** Active health checks enabled (`enable health`). */
  readonly health: boolean;
}

export interface BackendSpec {
  /** `<namespace>_<service>_<port>`. */
  readonly name: string;
  readonly guid?: string;
  /** Undefined in read-back state when the proxy does not print settings. */
  readonly settings?: BackendSettings;
  /** Sorted by name. */
  readonly servers: readonly ServerSpec[];
}

export interface RouteEntry {
  /** `<match>:<host><path>`, see docs/design.md. */
  readonly key: string;
  /** `<backend>[ <route-guid>]`. */
  readonly value: string;
}

export interface CertificateSpec {
  readonly name: string;
  /** Normalised PEM (certificate chain then key); undefined in read-back state. */
  readonly pem?: string;
  readonly fingerprint: string;
}

export interface CrtListEntry {
  readonly cert: string;
  /** SNI filters, sorted; empty means "the names in the certificate". */
  readonly snis: readonly string[];
}

export interface ProxyState {
  /** Sorted by name; only the backends the controller owns. */
  readonly backends: readonly BackendSpec[];
  /** Sorted by key. */
  readonly routes: readonly RouteEntry[];
  /** Sorted by name; only the certificates the controller owns. */
  readonly certificates: readonly CertificateSpec[];
  /** Sorted by cert. */
  readonly crtList: readonly CrtListEntry[];
  /** The content for the default certificate (--default-ssl-certificate), if managed. */
  readonly defaultCertificate?: CertificateSpec;
}

export const EMPTY_PROXY_STATE: ProxyState = { backends: [], routes: [], certificates: [], crtList: [] };
