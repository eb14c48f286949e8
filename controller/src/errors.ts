/**
 * The controller's one error catalogue. Codes are API: they appear in Events, logs, the
 * `hawser_controller_invalid_objects{reason}` metric and docs/controller.md (a test keeps the docs
 * and this table in step). Never reuse or rename a code; add new ones at the end of their area.
 */

export interface CatalogueEntry {
  /** Kubernetes Event reason (CamelCase, stable). */
  readonly reason: string;
  /** One sentence for the docs: what happened and what the controller did about it. */
  readonly doc: string;
}

export const HWS_ERR = {
  // Ingress validation: the whole Ingress is rejected, the rest keeps serving.
  HWS_ERR_INGRESS_INVALID_HOST: { reason: 'InvalidHost', doc: 'A rule or TLS host is not an RFC 1123 name or a one-label wildcard; the Ingress is rejected.' },
  HWS_ERR_INGRESS_INVALID_PATH: { reason: 'InvalidPath', doc: 'A path is not absolute, contains a character outside the allowed set, a dot segment or `//`, or is longer than 1024 characters; the Ingress is rejected.' },
  HWS_ERR_INGRESS_INVALID_PATH_TYPE: { reason: 'InvalidPathType', doc: 'pathType is not Exact, Prefix or ImplementationSpecific; the Ingress is rejected.' },
  HWS_ERR_INGRESS_INVALID_BACKEND: { reason: 'InvalidBackend', doc: 'A backend is not a Service backend with a valid name and exactly one of port number or port name; the Ingress is rejected.' },
  HWS_ERR_INVALID_OBJECT_META: { reason: 'InvalidObjectMeta', doc: 'A namespace, name or UID does not pass Kubernetes validation (possible with --manifests); the object is ignored.' },
  // Route-level problems: only the affected route is dropped.
  HWS_ERR_ROUTE_CONFLICT: { reason: 'RouteConflict', doc: 'Another Ingress claims the same host, path and match; the older one (then namespace/name) keeps it and this route is not served.' },
  HWS_ERR_SERVICE_NOT_FOUND: { reason: 'ServiceNotFound', doc: 'The backend Service does not exist; the route is not served until it does.' },
  HWS_ERR_SERVICE_PORT_NOT_FOUND: { reason: 'ServicePortNotFound', doc: 'The Service has no port with that number or name; the route is not served.' },
  HWS_ERR_SERVICE_NO_PORTS: { reason: 'ServiceNoPorts', doc: 'The Service declares no ports; routes to it are not served.' },
  HWS_ERR_EXTERNALNAME_DISABLED: { reason: 'ExternalNameDisabled', doc: 'The Service is of type ExternalName and --allow-external-name is off; the route is not served.' },
  HWS_ERR_EXTERNALNAME_UNSUPPORTED: { reason: 'ExternalNameUnsupported', doc: 'The ExternalName is not an IP literal; proxy-core does no DNS, so the route is not served.' },
  // TLS.
  HWS_ERR_TLS_SECRET_NOT_FOUND: { reason: 'TLSSecretNotFound', doc: 'A spec.tls Secret does not exist; its hosts are served with the default certificate.' },
  HWS_ERR_TLS_SECRET_INVALID: { reason: 'TLSSecretInvalid', doc: 'The Secret is not of type kubernetes.io/tls, lacks tls.crt/tls.key, or holds a certificate or key that does not parse or match; its hosts are served with the default certificate.' },
  HWS_ERR_DEFAULT_CERT_INVALID: { reason: 'DefaultCertificateInvalid', doc: 'The --default-ssl-certificate Secret is missing or invalid; the proxy keeps the certificate it has.' },
  // Endpoints.
  HWS_ERR_ENDPOINT_INVALID_ADDRESS: { reason: 'InvalidEndpointAddress', doc: 'An EndpointSlice address is not an IP of the slice\'s addressType; that endpoint is skipped.' },
  HWS_ERR_ENDPOINT_SLICE_UNSUPPORTED: { reason: 'UnsupportedEndpointSlice', doc: 'An EndpointSlice of addressType FQDN is skipped (proxy-core does no DNS).' },
  // Annotations: the annotation is dropped, the object keeps its other settings.
  HWS_ERR_ANNOTATION_UNKNOWN: { reason: 'UnknownAnnotation', doc: 'A hawser.dev/ annotation that the controller does not know; it is ignored.' },
  HWS_ERR_ANNOTATION_INVALID: { reason: 'InvalidAnnotation', doc: 'An annotation value does not parse or is out of range; it is ignored and the default applies.' },
  HWS_ERR_ANNOTATION_CONFLICT: { reason: 'AnnotationConflict', doc: 'Two Ingresses set different values for a backend annotation of the same Service port; the Service annotation, else the older Ingress, wins.' },
  // Runtime protocol (controller side).
  HWS_ERR_RUNTIME_UNSAFE_ARGUMENT: { reason: 'UnsafeRuntimeArgument', doc: 'An argument is empty or holds a newline, carriage return or NUL, which CLI escaping cannot carry; the command is not sent.' },
  HWS_ERR_RUNTIME_UNSAFE_PAYLOAD: { reason: 'UnsafeRuntimePayload', doc: 'A `<<` payload holds an empty line, a carriage return or a NUL, which would end it early; the command is not sent.' },
  HWS_ERR_RUNTIME_LINE_TOO_LONG: { reason: 'RuntimeLineTooLong', doc: 'One command is longer than the proxy\'s line buffer; it is not sent.' },
  HWS_ERR_RUNTIME_RETRYABLE: { reason: 'RuntimeRetryable', doc: 'The proxy answered with a condition that clears by itself (a server still has connections, the socket is down); the command is retried.' },
  HWS_ERR_RUNTIME_REJECTED: { reason: 'RuntimeRejected', doc: 'The proxy refused a command; the reply text is logged and the next sync tries again from the state read back.' },
  HWS_ERR_RUNTIME_UNEXPECTED_REPLY: { reason: 'RuntimeUnexpectedReply', doc: 'A show command answered in a format the controller cannot parse; the read-back is abandoned.' },
} as const satisfies Record<string, CatalogueEntry>;

export type HwsErrCode = keyof typeof HWS_ERR;

/** An error that carries a catalogue code; `instanceof` is not needed, test `code`. */
export class HawserError extends Error {
  readonly code: HwsErrCode;
  constructor(code: HwsErrCode, message: string) {
    super(message);
    this.name = 'HawserError';
    this.code = code;
  }
}
