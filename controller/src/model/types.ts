/**
 * Slim records: only what the model builder reads from each Kubernetes kind. The edge
 * (kube/convert.ts, or the --manifests reader) builds them; managedFields, status and everything
 * else the model does not read never reach here, which keeps the cache small and the model's
 * inputs obvious. Every field is a plain value, so a snapshot is cheap to compare and to log.
 *
 * Nothing here is trusted: with --manifests the objects skip the API server's validation, so the
 * model validates every field that becomes a runtime argument.
 */

export interface ObjectMeta {
  /** '' for cluster-scoped kinds (IngressClass). */
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  /** RFC 3339, as the API server writes it; compared as text (same format, same length). */
  readonly creationTimestamp: string;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface IngressClassRecord {
  readonly meta: ObjectMeta;
  /** spec.controller */
  readonly controller: string;
  /** The `ingressclass.kubernetes.io/is-default-class` annotation is exactly "true". */
  readonly isDefault: boolean;
}

export interface ServiceBackendRef {
  readonly name: string;
  /** Exactly one of number and name is set on a valid backend (API validation; re-checked). */
  readonly port: { readonly number?: number; readonly name?: string };
}

export interface BackendRef {
  /** Undefined when the backend is a `resource` backend, which Hawser does not serve. */
  readonly service?: ServiceBackendRef;
}

export interface IngressPathRecord {
  readonly path?: string;
  readonly pathType: string;
  readonly backend: BackendRef;
}

export interface IngressRuleRecord {
  readonly host?: string;
  readonly paths: readonly IngressPathRecord[];
}

export interface IngressTLSRecord {
  readonly hosts: readonly string[];
  readonly secretName?: string;
}

export interface IngressRecord {
  readonly meta: ObjectMeta;
  readonly ingressClassName?: string;
  readonly defaultBackend?: BackendRef;
  readonly rules: readonly IngressRuleRecord[];
  readonly tls: readonly IngressTLSRecord[];
}

export interface ServicePortRecord {
  /** '' when the port is unnamed (allowed when the Service has a single port). */
  readonly name: string;
  readonly port: number;
  readonly protocol: string;
}

export interface ServiceRecord {
  readonly meta: ObjectMeta;
  /** ClusterIP, NodePort, LoadBalancer or ExternalName. */
  readonly type: string;
  readonly externalName?: string;
  readonly ports: readonly ServicePortRecord[];
}

export interface EndpointConditionsRecord {
  /** Undefined means unknown; the API says consumers treat unknown `ready` as true. */
  readonly ready?: boolean;
  readonly serving?: boolean;
  readonly terminating?: boolean;
}

export interface EndpointRecord {
  readonly addresses: readonly string[];
  readonly conditions: EndpointConditionsRecord;
  /** The Pod behind the endpoint, when the slice says so. */
  readonly targetRef?: { readonly kind: string; readonly uid: string };
}

export interface EndpointPortRecord {
  /** '' when unnamed: it then matches the Service port whose name is ''. */
  readonly name: string;
  readonly port: number;
  readonly protocol: string;
}

export interface EndpointSliceRecord {
  readonly meta: ObjectMeta;
  /** The `kubernetes.io/service-name` label. */
  readonly serviceName: string;
  /** IPv4, IPv6 or FQDN. */
  readonly addressType: string;
  readonly ports: readonly EndpointPortRecord[];
  readonly endpoints: readonly EndpointRecord[];
}

/**
 * A certificate as the edge understood it. Parsing X.509 needs node:crypto, which the pure model
 * may not import, so the edge parses and the model only reads the verdict.
 */
export type CertificateVerdict =
  | {
      readonly ok: true;
      /** SHA-1 of the leaf's DER in upper-case hex, as `show ssl cert <name>` prints it. */
      readonly fingerprint: string;
      /** RFC 3339; for the expiry metric. */
      readonly notAfter: string;
    }
  | { readonly ok: false; readonly detail: string };

export interface SecretRecord {
  readonly meta: ObjectMeta;
  readonly type: string;
  /** data['tls.crt'] decoded, if present. */
  readonly tlsCrt?: string;
  /** data['tls.key'] decoded, if present. */
  readonly tlsKey?: string;
  /** Set by the edge when both tls.crt and tls.key are present. */
  readonly certificate?: CertificateVerdict;
}

/** One consistent view of the cache. Order of the arrays does not matter: the builder sorts. */
export interface Snapshot {
  readonly ingressClasses: readonly IngressClassRecord[];
  readonly ingresses: readonly IngressRecord[];
  readonly services: readonly ServiceRecord[];
  readonly endpointSlices: readonly EndpointSliceRecord[];
  readonly secrets: readonly SecretRecord[];
}

/** The flags that change what the model builds. */
export interface ModelOptions {
  /** IngressClass spec.controller that is ours (--controller-class). */
  readonly controllerName: string;
  /** Name honoured in the legacy kubernetes.io/ingress.class annotation (--ingress-class). */
  readonly ingressClass: string;
  readonly watchIngressWithoutClass: boolean;
  readonly allowExternalName: boolean;
  /** `namespace/name` of the --default-ssl-certificate Secret. */
  readonly defaultCertificateSecret?: string;
  /** Name of the route map the frontends use (`route-map <name>`). */
  readonly routeMap: string;
  /** Name of the crt-list on the HTTPS bind line. */
  readonly crtList: string;
  /** Name of the default certificate on the HTTPS bind line (`crt <name>`). */
  readonly defaultCertName: string;
}

export const DEFAULT_MODEL_OPTIONS: ModelOptions = {
  controllerName: 'hawser.dev/ingress-controller',
  ingressClass: 'hawser',
  watchIngressWithoutClass: false,
  allowExternalName: false,
  routeMap: 'ingress',
  crtList: 'ingress',
  defaultCertName: 'default.pem',
};
