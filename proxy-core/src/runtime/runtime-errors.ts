/**
 * Error codes of the runtime API, maps and certificates, in the shape of proxy-core's catalogue
 * (`proxy-core/src/errors.ts`, owned by core-model) so the lead can fold them in. Operator-facing
 * texts are HAProxy's and live beside the code that prints them; these codes are for logs,
 * metrics and docs (docs/runtime-api.md lists them).
 */
export const RUNTIME_ERRORS = {
  PXY_ERR_CLI_TABLE: 'Two CommandSpecs claim the same keywords, or one has none (a start-up error).',
  PXY_ERR_CLI_LINE_TOO_BIG: 'A command line does not fit in the CLI buffer (tune.bufsize); the connection is closed.',
  PXY_ERR_CLI_PAYLOAD_TOO_BIG: 'A `<<` payload is larger than the payload limit; the connection is closed.',
  PXY_ERR_CLI_PERMISSION: 'A command above the level of the connection (Permission denied).',
  PXY_ERR_CLI_UNKNOWN: 'An unknown command (answered with the usage text).',
  PXY_ERR_CLI_COMMAND_FAILED: 'A command handler threw (answered `Internal error.`, logged).',
  PXY_ERR_MAP_UNKNOWN: 'A map identifier that no frontend declares.',
  PXY_ERR_MAP_ROUTE_KEY: 'A route map key outside `<exact|prefix>:<host><path>` or a value outside `<backend>[ <guid>]`.',
  PXY_ERR_MAP_VERSION: 'A map version that is in the future or out of range.',
  PXY_ERR_CERT_PAYLOAD: 'A `set ssl cert` payload without a readable certificate.',
  PXY_ERR_CERT_KEY: 'A certificate transaction without a private key, or with a key that is not the certificate\'s.',
  PXY_ERR_CERT_TRANSACTION: 'Another certificate transaction is ongoing, or none is.',
  PXY_ERR_CERT_IN_USE: 'A certificate still used by a bind or a crt-list cannot be deleted.',
  PXY_ERR_CRTLIST: 'A crt-list or crt-list entry that does not exist, or an unsupported entry option.',
} as const;

export type RuntimeErrorCode = keyof typeof RUNTIME_ERRORS;

/** A programming or start-up error in the runtime layer (never caused by a client's input). */
export class RuntimeError extends Error {
  readonly code: RuntimeErrorCode;
  constructor(code: RuntimeErrorCode, message: string) {
    super(message);
    this.name = 'RuntimeError';
    this.code = code;
  }
}
