/**
 * Controller flags → one frozen, validated configuration. Parsed once at start-up; a bad flag is
 * a clear error and exit code 2, before anything connects anywhere. Pure: the environment is
 * passed in.
 */

export interface ControllerConfig {
  readonly controllerName: string;
  /** Name honoured in the legacy `kubernetes.io/ingress.class` annotation. */
  readonly ingressClass: string;
  /** Empty: every namespace. */
  readonly watchNamespaces: readonly string[];
  readonly watchIngressWithoutClass: boolean;
  /** `namespace/name`. */
  readonly defaultSslCertificate: string | undefined;
  readonly allowExternalNameServices: boolean;
  readonly runtimeSocket: string;
  /** `namespace/name` of the Service whose load-balancer addresses go into Ingress status. */
  readonly publishService: string | undefined;
  /** Fixed addresses for Ingress status (used when no publish Service is given). */
  readonly publishStatusAddresses: readonly string[];
  readonly electionId: string;
  /** Namespace of the Lease and of the controller itself. */
  readonly namespace: string;
  readonly identity: string;
  readonly metricsPort: number;
  readonly healthPort: number;
  readonly kubeconfig: string | undefined;
  readonly logLevel: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const CONTROLLER_NAME = /^[a-z0-9.-]+\/[A-Za-z0-9._/-]+$/;

const BOOLEAN_FLAGS = new Set(['watch-ingress-without-class', 'allow-external-name-services']);
const REPEATABLE = new Set(['watch-namespace', 'publish-status-address']);
const VALUE_FLAGS = new Set([
  'ingress-class-controller', 'ingress-class', 'watch-namespace', 'default-ssl-certificate', 'runtime-socket', 'publish-service',
  'publish-status-address', 'election-id', 'metrics-port', 'health-port', 'kubeconfig', 'namespace', 'identity', 'log-level',
]);

export const USAGE = `usage: hawser-controller [flags]
  --ingress-class-controller NAME   IngressClass spec.controller that is ours (hawser.dev/ingress-controller)
  --ingress-class NAME              class honoured in the legacy kubernetes.io/ingress.class annotation (hawser)
  --watch-namespace NS              watch only this namespace (repeatable; default: all)
  --watch-ingress-without-class     serve Ingresses that name no class
  --default-ssl-certificate NS/NAME TLS Secret served for unknown names
  --allow-external-name-services    route to ExternalName Services (off: see docs/controller.md)
  --runtime-socket PATH             proxy-core's stats socket (/var/run/hawser/runtime.sock)
  --publish-service NS/NAME         Service whose load-balancer addresses go into Ingress status
  --publish-status-address ADDR     fixed address for Ingress status (repeatable)
  --election-id NAME                Lease name for leader election (hawser-leader)
  --namespace NS                    namespace of the Lease (env POD_NAMESPACE, else default)
  --identity ID                     leader election identity (env POD_NAME, else the host name)
  --metrics-port N                  /metrics port (10254)
  --health-port N                   /healthz and /readyz port (10254)
  --kubeconfig PATH                 kubeconfig file (default: in-cluster, then ~/.kube/config)
  --log-level LEVEL                 trace, debug, info, warn, error (info)`;

function nsName(flag: string, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const parts = v.split('/');
  if (parts.length !== 2 || !DNS_LABEL.test(parts[0] ?? '') || !DNS_SUBDOMAIN.test(parts[1] ?? '')) throw new ConfigError(`--${flag}: expected <namespace>/<name>, got '${v}'`);
  return v;
}

function port(flag: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!/^\d{1,5}$/.test(v) || Number(v) < 1 || Number(v) > 65535) throw new ConfigError(`--${flag}: expected a port number 1-65535, got '${v}'`);
  return Number(v);
}

export function parseControllerArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}, hostname = 'hawser'): ControllerConfig {
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) throw new ConfigError(`unexpected argument '${arg}'\n${USAGE}`);
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    if (BOOLEAN_FLAGS.has(name)) {
      if (eq >= 0) throw new ConfigError(`--${name} takes no value`);
      flags.add(name);
      continue;
    }
    if (!VALUE_FLAGS.has(name)) throw new ConfigError(`unknown flag --${name}\n${USAGE}`);
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '') throw new ConfigError(`--${name} needs a value`);
    const list = values.get(name) ?? [];
    if (list.length > 0 && !REPEATABLE.has(name)) throw new ConfigError(`--${name} given twice`);
    list.push(value);
    values.set(name, list);
  }
  const one = (n: string): string | undefined => values.get(n)?.[0];
  const controllerName = one('ingress-class-controller') ?? 'hawser.dev/ingress-controller';
  if (!CONTROLLER_NAME.test(controllerName) || controllerName.length > 250) throw new ConfigError(`--ingress-class-controller: expected a domain-prefixed path such as hawser.dev/ingress-controller, got '${controllerName}'`);
  const watchNamespaces = [...new Set(values.get('watch-namespace') ?? [])].sort();
  for (const ns of watchNamespaces) if (!DNS_LABEL.test(ns)) throw new ConfigError(`--watch-namespace: '${ns}' is not a namespace name`);
  const namespace = one('namespace') ?? env['POD_NAMESPACE'] ?? 'default';
  if (!DNS_LABEL.test(namespace)) throw new ConfigError(`--namespace: '${namespace}' is not a namespace name`);
  const electionId = one('election-id') ?? 'hawser-leader';
  if (!DNS_SUBDOMAIN.test(electionId)) throw new ConfigError(`--election-id: '${electionId}' is not a valid Lease name`);
  const ingressClass = one('ingress-class') ?? 'hawser';
  if (!DNS_SUBDOMAIN.test(ingressClass)) throw new ConfigError(`--ingress-class: '${ingressClass}' is not a valid class name`);
  const logLevel = one('log-level') ?? env['HAWSER_LOG_LEVEL'] ?? 'info';
  if (!['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].includes(logLevel)) throw new ConfigError(`--log-level: unknown level '${logLevel}'`);
  return Object.freeze({
    controllerName,
    ingressClass,
    watchNamespaces,
    watchIngressWithoutClass: flags.has('watch-ingress-without-class'),
    defaultSslCertificate: nsName('default-ssl-certificate', one('default-ssl-certificate')),
    allowExternalNameServices: flags.has('allow-external-name-services'),
    runtimeSocket: one('runtime-socket') ?? '/var/run/hawser/runtime.sock',
    publishService: nsName('publish-service', one('publish-service')),
    publishStatusAddresses: values.get('publish-status-address') ?? [],
    electionId,
    namespace,
    identity: one('identity') ?? env['POD_NAME'] ?? hostname,
    metricsPort: port('metrics-port', one('metrics-port'), 10254),
    healthPort: port('health-port', one('health-port'), 10254),
    kubeconfig: one('kubeconfig'),
    logLevel,
  });
}
