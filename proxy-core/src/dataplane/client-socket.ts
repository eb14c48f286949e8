/**
 * Client sockets that read into one shared buffer per worker, as upstream sockets do (`onread`).
 * Node offers `onread` only to sockets created by `new Socket()`/`connect()`, not to the ones a
 * server accepts; so a plain TCP listener accepts paused (`pauseOnConnect`) and its handle is
 * moved into a new Socket that has `onread`. This saves one Buffer allocation per read and the
 * garbage that goes with it. TLS sockets keep Node's `data` events.
 *
 * `_handle` is Node's internal but long-standing field for a socket's libuv handle; the original
 * wrapper gives it up (set to null) and is destroyed, which only updates the server's count.
 */
import { Socket } from 'node:net';

interface WithHandle {
  _handle: object | null;
}

/**
 * A socket reading `accepted`'s connection into `buffer`; every read calls `onRead(n, buffer)`
 * (bytes valid only during the call). Returns null when the connection is already gone.
 * Precondition: `accepted` came from a server with `pauseOnConnect: true` and was never read.
 */
export function adoptWithSharedBuffer(accepted: Socket, buffer: Buffer, onRead: (n: number, buf: Buffer) => void): Socket | null {
  const original = accepted as unknown as WithHandle;
  const handle = original._handle;
  if (handle === null) return null;
  const sock = new Socket({
    handle: handle as never,
    readable: true,
    writable: true,
    allowHalfOpen: true,
    onread: {
      buffer,
      callback: (n: number, buf: Uint8Array) => {
        onRead(n, buf as Buffer);
        return true;
      },
    },
  });
  original._handle = null;
  accepted.destroy();
  sock.setNoDelay(true);
  return sock;
}
