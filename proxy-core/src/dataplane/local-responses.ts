/**
 * Responses the proxy answers itself (no route, no server, bad request, upstream failure,
 * timeouts), built once per status: the request path only picks a Buffer.
 */

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Content Too Large',
  414: 'URI Too Long',
  417: 'Expectation Failed',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
};

function build(status: number, close: boolean): Buffer {
  const reason = REASONS[status] ?? 'Error';
  const body = `${status} ${reason}\n`;
  return Buffer.from(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: text/plain\r\ncontent-length: ${body.length}\r\ncache-control: no-cache\r\n` +
    `${close ? 'connection: close\r\n' : ''}\r\n${body}`,
    'latin1',
  );
}

const KEEP = new Map<number, Buffer>();
const CLOSE = new Map<number, Buffer>();
for (const s of Object.keys(REASONS).map(Number)) {
  KEEP.set(s, build(s, false));
  CLOSE.set(s, build(s, true));
}

/** The canned response for `status` (one of REASONS' keys; others answer 500). */
export function localResponse(status: number, close: boolean): Buffer {
  return (close ? CLOSE : KEEP).get(status) ?? (close ? CLOSE : KEEP).get(500)!;
}
