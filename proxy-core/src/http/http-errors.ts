/**
 * Reason codes of the HTTP/1.1 parsing core, in the shape of `proxy-core/src/errors.ts` (the lead
 * folds them into that catalogue). A parser that rejects input stores one of these codes (a constant
 * string, so rejecting allocates nothing); the data plane logs the code and answers `status`.
 *
 * Request codes answer the client with their status. Response codes (`PXY_ERR_HTTP_RESP_*`) describe
 * an upstream that broke the protocol: the client gets 502 before any byte was sent, a closed
 * connection after.
 */
export const HTTP_ERRORS = {
  // Request line.
  PXY_ERR_HTTP_BAD_REQUEST_LINE: { status: 400, text: 'invalid request line' },
  PXY_ERR_HTTP_BAD_METHOD: { status: 400, text: 'method is not a token' },
  PXY_ERR_HTTP_UNKNOWN_METHOD: { status: 501, text: 'method not implemented' },
  PXY_ERR_HTTP_CONNECT_REFUSED: { status: 405, text: 'CONNECT is not served by a reverse proxy' },
  PXY_ERR_HTTP_BAD_TARGET: { status: 400, text: 'invalid request target' },
  PXY_ERR_HTTP_BAD_VERSION: { status: 400, text: 'invalid HTTP version' },
  PXY_ERR_HTTP_VERSION_UNSUPPORTED: { status: 505, text: 'HTTP version not supported' },
  PXY_ERR_HTTP_URI_TOO_LONG: { status: 414, text: 'request line over the limit' },
  // Head framing and characters.
  PXY_ERR_HTTP_BARE_CR: { status: 400, text: 'CR not followed by LF in the head' },
  PXY_ERR_HTTP_BARE_LF: { status: 400, text: 'LF not preceded by CR in the head' },
  PXY_ERR_HTTP_NUL: { status: 400, text: 'NUL byte in the head' },
  PXY_ERR_HTTP_OBS_FOLD: { status: 400, text: 'obsolete line folding in a header' },
  PXY_ERR_HTTP_BAD_HEADER_NAME: { status: 400, text: 'invalid header name' },
  PXY_ERR_HTTP_BAD_HEADER_VALUE: { status: 400, text: 'invalid character in a header value' },
  PXY_ERR_HTTP_HEADER_TOO_LARGE: { status: 431, text: 'header field over the limit' },
  PXY_ERR_HTTP_HEAD_TOO_LARGE: { status: 431, text: 'header block over the limit' },
  PXY_ERR_HTTP_TOO_MANY_HEADERS: { status: 431, text: 'too many header fields' },
  // Header semantics.
  PXY_ERR_HTTP_HOST_MISSING: { status: 400, text: 'HTTP/1.1 request without Host' },
  PXY_ERR_HTTP_HOST_DUPLICATE: { status: 400, text: 'more than one Host header' },
  PXY_ERR_HTTP_BAD_HOST: { status: 400, text: 'invalid Host' },
  PXY_ERR_HTTP_BAD_CONTENT_LENGTH: { status: 400, text: 'invalid Content-Length' },
  PXY_ERR_HTTP_DUPLICATE_CONTENT_LENGTH: { status: 400, text: 'more than one Content-Length' },
  PXY_ERR_HTTP_CL_AND_TE: { status: 400, text: 'both Content-Length and Transfer-Encoding' },
  PXY_ERR_HTTP_TE_NOT_CHUNKED: { status: 400, text: 'Transfer-Encoding does not end with chunked' },
  PXY_ERR_HTTP_TE_UNSUPPORTED: { status: 501, text: 'transfer coding other than chunked' },
  PXY_ERR_HTTP_TE_ON_HTTP10: { status: 400, text: 'Transfer-Encoding in an HTTP/1.0 message' },
  PXY_ERR_HTTP_BAD_CONNECTION: { status: 400, text: 'invalid Connection header' },
  PXY_ERR_HTTP_EXPECTATION_FAILED: { status: 417, text: 'unsupported expectation' },
  // Chunked bodies.
  PXY_ERR_HTTP_BAD_CHUNK_SIZE: { status: 400, text: 'invalid chunk size' },
  PXY_ERR_HTTP_CHUNK_TOO_LARGE: { status: 400, text: 'chunk size over the limit' },
  PXY_ERR_HTTP_BAD_CHUNK_EXTENSION: { status: 400, text: 'invalid chunk extension' },
  PXY_ERR_HTTP_CHUNK_LINE_TOO_LONG: { status: 400, text: 'chunk size line over the limit' },
  PXY_ERR_HTTP_BAD_CHUNK_END: { status: 400, text: 'chunk data not followed by CRLF' },
  PXY_ERR_HTTP_BAD_TRAILER: { status: 400, text: 'invalid trailer field' },
  PXY_ERR_HTTP_TRAILERS_TOO_LARGE: { status: 400, text: 'trailer section over the limit' },
  // Upstream responses (answered 502 to the client).
  PXY_ERR_HTTP_RESP_BAD_STATUS_LINE: { status: 502, text: 'upstream sent an invalid status line' },
  PXY_ERR_HTTP_RESP_BAD_HEAD: { status: 502, text: 'upstream sent an invalid response head' },
  PXY_ERR_HTTP_RESP_HEAD_TOO_LARGE: { status: 502, text: 'upstream response head over the limit' },
  PXY_ERR_HTTP_RESP_BAD_FRAMING: { status: 502, text: 'upstream sent conflicting or invalid body framing' },
  PXY_ERR_HTTP_RESP_BAD_CHUNK: { status: 502, text: 'upstream sent an invalid chunked body' },
} as const satisfies Record<string, { readonly status: number; readonly text: string }>;

export type HttpErrorCode = keyof typeof HTTP_ERRORS;

/** The status a rejection answers with (502 for the upstream codes). */
export function httpErrorStatus(code: HttpErrorCode): number {
  return HTTP_ERRORS[code].status;
}
