/**
 * Flags → a frozen configuration, validated once at start. The flag table is the single source
 * for parsing, defaults and `--help`.
 */
import { parseArgs } from 'node:util';

interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly default?: string;
  readonly help: string;
}

export const FLAGS = {
  'controller-class': { type: 'string', default: 'hawser.dev/ingress-controller', help: 'IngressClass spec.controller value that this controller serves.' },
  'ingress-class': { type: 'string', default: 'hawser', help: 'Class name honoured in the legacy kubernetes.io/ingress.class annotation.' },
  'watch-ingress-without-class': { type: 'boolean', help: 'Also serve Ingresses without any class.' },
  'watch-namespace': { type: 'string', multiple: true, help: 'Namespace to watch (repeatable); all namespaces when absent.' },
  'allow-external-name': { type: 'boolean', help: 'Serve ExternalName Services (off by default: see docs/controller.md).' },
  'default-ssl-certificate': { type: 'string', help: '<namespace>/<name> of a kubernetes.io/tls Secret served for unknown SNI names.' },
  'runtime-socket': { type: 'string', default: '/var/run/hawser/runtime.sock', help: 'proxy-core runtime API UNIX socket.' },
  'route-map': { type: 'string', default: 'ingress', help: 'Name of the route map the proxy frontends use.' },
  'crt-list': { type: 'string', default: 'ingress', help: 'Name of the crt-list on the proxy HTTPS bind line.' },
  'default-cert-name': { type: 'string', default: 'default.pem', help: 'Name of the proxy default certificate (crt on the bind line).' },
  'backend-defaults': { type: 'string', default: 'ingress-defaults', help: 'defaults section new backends are created from.' },
  manifests: { type: 'string', help: 'Read objects from YAML files in this folder instead of a cluster (and watch it).' },
  kubeconfig: { type: 'string', help: 'kubeconfig file; in-cluster or $KUBECONFIG when absent.' },
  'admin-address': { type: 'string', default: '0.0.0.0', help: 'Address of the admin HTTP server (/healthz, /readyz, /metrics).' },
  'admin-port': { type: 'string', default: '10254', help: 'Port of the admin HTTP server.' },
  'publish-service': { type: 'string', help: '<namespace>/<name> of the Service whose address goes into Ingress status.' },
  'publish-status-address': { type: 'string', multiple: true, help: 'Address written into Ingress status (repeatable); overrides --publish-service.' },
  'update-status-on-shutdown': { type: 'boolean', help: 'Clear the status this controller wrote when it stops.' },
  'election-id': { type: 'string', default: 'hawser-leader', help: 'Name of the coordination.k8s.io Lease that elects the status writer.' },
  'election-namespace': { type: 'string', help: 'Namespace of the Lease; $POD_NAMESPACE when absent.' },
  holdoff: { type: 'string', default: '100', help: 'Milliseconds to wait after a route change for more changes.' },
  'max-holdoff': { type: 'string', default: '500', help: 'Longest wait, in milliseconds, after the first route change.' },
  'log-level': { type: 'string', default: 'info', help: 'pino log level.' },
  help: { type: 'boolean', help: 'Print this help and exit.' },
} as const satisfies Record<string, FlagSpec>;

export interface Config {
  readonly controllerClass: string;
  readonly ingressClass: string;
  readonly watchIngressWithoutClass: boolean;
  readonly watchNamespaces: readonly string[];
  readonly allowExternalName: boolean;
  readonly defaultSslCertificate?: string;
  readonly runtimeSocket: string;
  readonly routeMap: string;
  readonly crtList: string;
  readonly defaultCertName: string;
  readonly backendDefaults: string;
  readonly manifests?: string;
  readonly kubeconfig?: string;
  readonly adminAddress: string;
  readonly adminPort: number;
  readonly publishService?: string;
  readonly publishStatusAddresses: readonly string[];
  readonly updateStatusOnShutdown: boolean;
  readonly electionId: string;
  readonly electionNamespace: string;
  readonly holdoffMs: number;
  readonly maxHoldoffMs: number;
  readonly logLevel: string;
}

export function helpText(): string {
  const rows = Object.entries(FLAGS).map(([name, f]: [string, FlagSpec]) => {
    const arg = f.type === 'string' ? ' <value>' : '';
    const def = f.default === undefined ? '' : ` (default ${f.default})`;
    return `  --${name}${arg}\n      ${f.help}${def}`;
  });
  return `Usage: hawser-controller [flags]\n\nTurns Ingress objects into runtime commands for proxy-core.\n\nFlags:\n${rows.join('\n')}\n`;
}

export class ConfigError extends Error {}

const NS_NAME = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?\/[a-z0-9](?:[-.a-z0-9]*[a-z0-9])?$/;

function int(name: string, v: string, min: number, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`--${name}: expects an integer between ${String(min)} and ${String(max)}, got ${JSON.stringify(v)}`);
  return n;
}

/** Parses argv (without node and script); throws ConfigError with an operator-facing message. */
export function parseConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): Config | 'help' {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    values = parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new ConfigError(e instanceof Error ? e.message : String(e));
  }
  if (values.help === true) return 'help';
  const str = (k: keyof typeof FLAGS): string | undefined => { const v = values[k]; return typeof v === 'string' ? v : undefined; };
  const list = (k: keyof typeof FLAGS): string[] => { const v = values[k]; return Array.isArray(v) ? v : []; };
  const flag = (k: keyof typeof FLAGS): boolean => values[k] === true;
  for (const k of ['default-ssl-certificate', 'publish-service'] as const) {
    const v = str(k);
    if (v !== undefined && !NS_NAME.test(v)) throw new ConfigError(`--${k}: expects <namespace>/<name>, got ${JSON.stringify(v)}`);
  }
  const holdoffMs = int('holdoff', str('holdoff') ?? '100', 0, 60_000);
  const maxHoldoffMs = int('max-holdoff', str('max-holdoff') ?? '500', 0, 600_000);
  if (maxHoldoffMs < holdoffMs) throw new ConfigError('--max-holdoff must not be shorter than --holdoff');
  const optional = <K extends string>(key: K, v: string | undefined): { [P in K]?: string } => (v === undefined ? {} : { [key]: v }) as { [P in K]?: string };
  return Object.freeze({
    controllerClass: str('controller-class') ?? '',
    ingressClass: str('ingress-class') ?? '',
    watchIngressWithoutClass: flag('watch-ingress-without-class'),
    watchNamespaces: list('watch-namespace'),
    allowExternalName: flag('allow-external-name'),
    ...optional('defaultSslCertificate', str('default-ssl-certificate')),
    runtimeSocket: str('runtime-socket') ?? '',
    routeMap: str('route-map') ?? '',
    crtList: str('crt-list') ?? '',
    defaultCertName: str('default-cert-name') ?? '',
    backendDefaults: str('backend-defaults') ?? '',
    ...optional('manifests', str('manifests')),
    ...optional('kubeconfig', str('kubeconfig')),
    adminAddress: str('admin-address') ?? '',
    adminPort: int('admin-port', str('admin-port') ?? '10254', 0, 65535),
    ...optional('publishService', str('publish-service')),
    publishStatusAddresses: list('publish-status-address'),
    updateStatusOnShutdown: flag('update-status-on-shutdown'),
    electionId: str('election-id') ?? '',
    electionNamespace: str('election-namespace') ?? env.POD_NAMESPACE ?? 'default',
    holdoffMs,
    maxHoldoffMs,
    logLevel: str('log-level') ?? 'info',
  });
}
