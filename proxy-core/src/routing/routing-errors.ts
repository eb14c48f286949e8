/**
 * Reason codes of the routing and balancing rooms, in the shape of the package catalogue (`PXY_ERR_*`): a stable
 * code and the one-line text an operator reads in the reply to `add map` / `set map`. The lead folds
 * them into `proxy-core/src/errors.ts`.
 */
export const ROUTING_ERRORS = {
  PXY_ERR_ROUTE_KEY_MATCH: "route key must start with 'exact:' or 'prefix:'",
  PXY_ERR_ROUTE_KEY_NO_PATH: "route key has no path: the path must start with '/' right after the host",
  PXY_ERR_ROUTE_KEY_HOST: 'route key host must be a lower-case DNS name, a one-label wildcard (*.example.com) or *',
  PXY_ERR_ROUTE_KEY_PATH: 'route key path must be printable ASCII without spaces, ? or #',
  PXY_ERR_ROUTE_KEY_TOO_LONG: 'route key is longer than 4096 characters',
  PXY_ERR_ROUTE_VALUE_FORMAT: "route value must be '<backend>' or '<backend> <route-guid>'",
  PXY_ERR_ROUTE_VALUE_BACKEND: 'route value backend name must be 1 to 255 characters of [A-Za-z0-9._:-]',
  PXY_ERR_ROUTE_VALUE_GUID: 'route value GUID must be 1 to 127 characters of [A-Za-z0-9._:-]',
  PXY_ERR_BALANCE_UNKNOWN: "'balance' supports 'roundrobin', 'static-rr', 'leastconn', 'random', 'random(<draws>)', 'source', 'hdr(<name>)' and 'first'",
  PXY_ERR_BALANCE_HDR_NAME: "'balance hdr(<name>)' needs a header name made of token characters",
  PXY_ERR_BALANCE_DRAWS: "'balance random(<draws>)' needs a number of draws from 1 to 100",
} as const;

export type RoutingErrorCode = keyof typeof ROUTING_ERRORS;

/** A rejected key or value: the stable code and the operator-facing text (which quotes the input). */
export interface RoutingError {
  readonly code: RoutingErrorCode;
  readonly message: string;
}

/**
 * Builds the error for `input`. The input is quoted with non-printable characters escaped and cut
 * at 100 characters, so a hostile key cannot inject lines or control codes into a CLI reply or log.
 */
export function routingError(code: RoutingErrorCode, input: string): RoutingError {
  return { code, message: `${ROUTING_ERRORS[code]} (got '${quoteInput(input)}')` };
}

function quoteInput(input: string): string {
  const cut = input.length > 100 ? input.slice(0, 100) : input;
  let out = '';
  for (let i = 0; i < cut.length; i++) {
    const c = cut.charCodeAt(i);
    if (c > 0xff) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else if (c < 0x20 || c >= 0x7f || c === 0x27 || c === 0x5c) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += cut[i];
  }
  return cut.length < input.length ? `${out}...` : out;
}
