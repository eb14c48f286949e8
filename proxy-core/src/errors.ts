/**
 * proxy-core's one error catalogue. Operator-facing runtime API texts are HAProxy's and live
 * beside the code that prints them; these stable codes are for logs, metrics and docs.
 * `proxy-core/README.md` lists every code (a test keeps the two in step).
 */

export const PXY_ERRORS = {
  PXY_ERR_GUID_LENGTH: 'A GUID is empty or longer than 127 characters.',
  PXY_ERR_GUID_CHAR: 'A GUID holds a character outside [A-Za-z0-9._:-].',
  PXY_ERR_GUID_DUPLICATE: 'A GUID is already held by another proxy, listener or server.',
  PXY_ERR_GUID_REPEATED: 'A second `guid` keyword on one server line or proxy section (rejected, HAProxy leaks the first).',
  PXY_ERR_CONFIG_READ: 'The configuration file cannot be read.',
  PXY_ERR_CONFIG_SYNTAX: 'An unknown keyword, a missing argument or a bad value in the configuration file.',
  PXY_ERR_CONFIG_REFERENCE: 'The configuration names an object that does not exist (default_backend, from).',
  PXY_ERR_USAGE: 'A runtime command is missing an argument or has an unknown sub-command.',
  PXY_ERR_NO_BACKEND: 'The named backend does not exist (or is a frontend).',
  PXY_ERR_NO_SERVER: 'The named server does not exist in the backend.',
  PXY_ERR_PROXY_DISABLED: 'The backend is disabled or stopped.',
  PXY_ERR_DYNAMIC_UNSUPPORTED: 'The backend cannot take dynamic servers (static load-balancing algorithm).',
  PXY_ERR_SERVER_EXISTS: 'A server with the same name already exists in the backend.',
  PXY_ERR_SERVER_NAME: 'The server name holds a character outside [A-Za-z0-9._:-].',
  PXY_ERR_SERVER_ADDRESS: 'The server address is missing or cannot be parsed.',
  PXY_ERR_SERVER_KEYWORD: 'An unknown, refused or badly valued server keyword.',
  PXY_ERR_SERVER_MUX: 'The requested multiplexer protocol does not fit the backend mode.',
  PXY_ERR_SERVER_ID: 'The custom server ID is out of range or already used.',
  PXY_ERR_NO_ID_LEFT: 'No free server ID is left in the backend.',
  PXY_ERR_SERVER_REFERENCED: 'Other configuration elements point to the server, it cannot be deleted.',
  PXY_ERR_SERVER_NOT_IN_MAINT: 'Only servers in maintenance mode can be deleted.',
  PXY_ERR_SERVER_BUSY: 'The server still has connections attached, it cannot be deleted yet.',
  PXY_ERR_WEIGHT: 'A weight that cannot be parsed or is out of range.',
  PXY_ERR_STATE: 'An unknown server state (expects ready, drain or maint).',
  PXY_ERR_NO_CHECK: 'Health check (or agent) was not configured on this server.',
  PXY_ERR_WAIT: 'A `wait` command with a bad duration, condition or an unmet condition.',
  PXY_ERR_BACKEND_CREATE: 'A new backend cannot be created (name, GUID, mode or defaults).',
  PXY_ERR_BACKEND_DELETE: 'A backend cannot be deleted (listen section, referenced, published or not empty).',
  PXY_ERR_WRITER: 'A model mutation was attempted outside the writer section, or inside a nested one.',
} as const;

export type PxyErrorCode = keyof typeof PXY_ERRORS;

/** An expected failure: a stable code for logs and metrics, and the exact text the operator sees. */
export interface Failure {
  readonly code: PxyErrorCode;
  readonly text: string;
}

export function fail(code: PxyErrorCode, text: string): Failure {
  return { code, text };
}

/** A programming error inside proxy-core (never caused by operator input). */
export class ProxyCoreError extends Error {
  readonly code: PxyErrorCode;
  constructor(code: PxyErrorCode, message: string) {
    super(message);
    this.name = 'ProxyCoreError';
    this.code = code;
  }
}

// ---- the whole package ------------------------------------------------------------------------
// Each room keeps its codes beside its code (with the extra fields it needs, such as the HTTP
// status); this is the one index of all of them. errors.test.ts checks that no two rooms reuse a
// code and that every code is documented.
import { HTTP_ERRORS } from './http/http-errors.ts';
import { ROUTING_ERRORS } from './routing/routing-errors.ts';
import { RUNTIME_ERRORS } from './runtime/runtime-errors.ts';

/** Every `PXY_ERR_*` code of proxy-core, by room, with its one-line description. */
export const PXY_CATALOGUE: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  core: PXY_ERRORS,
  runtime: RUNTIME_ERRORS,
  routing: ROUTING_ERRORS,
  http: Object.fromEntries(Object.entries(HTTP_ERRORS).map(([code, e]) => [code, `${String(e.status)} ${e.text}`])),
};
