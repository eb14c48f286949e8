/**
 * Responses the proxy writes itself (rejections, routing failures, 100 Continue), built once at
 * startup: a rejected request costs one lookup and one write.
 */
import { HTTP_ERRORS, type HttpErrorCode } from './http-errors.ts';

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 408: 'Request Timeout',
  413: 'Content Too Large', 414: 'URI Too Long', 417: 'Expectation Failed', 431: 'Request Header Fields Too Large',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable',
  504: 'Gateway Timeout', 505: 'HTTP Version Not Supported',
};

function build(status: number, close: boolean): Buffer {
  const reason = REASONS[status] ?? 'Error';
  const body = `${status} ${reason}\n`;
  const extra = status === 405 ? 'Allow: GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH\r\n' : '';
  return Buffer.from(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n${extra}` +
    `${close ? 'Connection: close\r\n' : ''}Cache-Control: no-store\r\n\r\n${body}`,
    'latin1',
  );
}

const CLOSING = new Map<number, Buffer>();
const KEEPING = new Map<number, Buffer>();
for (const s of Object.keys(REASONS).map(Number)) {
  CLOSING.set(s, build(s, true));
  KEEPING.set(s, build(s, false));
}

/**
 * The complete response for `status` (one of the statuses above; others read 500). `close`: it
 * says Connection: close, as every rejection of a malformed request must (the proxy cannot know
 * where the next request would start). `head`: the request was HEAD, so the body is left out
 * (Content-Length stays): a body there would be read by the client as its next response.
 */
export function cannedResponse(status: number, close: boolean, head = false): Buffer {
  const full = (close ? CLOSING : KEEPING).get(status) ?? (close ? CLOSING : KEEPING).get(500)!;
  return head ? full.subarray(0, full.indexOf(HEAD_END) + 4) : full;
}

const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');

/** The closing response for a parser rejection. */
export function rejectionResponse(code: HttpErrorCode): Buffer {
  return cannedResponse(HTTP_ERRORS[code].status, true);
}

/** `HTTP/1.1 100 Continue` for a client that sent Expect: 100-continue. */
export const CONTINUE_100: Buffer = Buffer.from('HTTP/1.1 100 Continue\r\n\r\n', 'latin1');
