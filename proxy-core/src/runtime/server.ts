/**
 * The runtime API on a UNIX socket (HAProxy's `stats socket`): accepts connections, gives each
 * one a CliSession, and keeps every connection bounded so no client can hurt the process or
 * the next client (line and payload limits in the framer, a queue bound with input pausing in
 * the session, an idle timeout, a connection cap).
 */
import { chmod, rm } from 'node:fs/promises';
import net from 'node:net';
import type { BusyPoll } from './busy-poll.ts';
import type { CommandSpec, Level } from './command.ts';
import { CommandTable } from './command-table.ts';
import { DEFAULT_LIMITS, type FramerLimits } from './framer.ts';
import { CliSession, type SessionLogger } from './session.ts';
import { adoptWithSharedBuffer } from '../dataplane/client-socket.ts';

export interface RuntimeLogger extends SessionLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface RuntimeServerOptions {
  /** UNIX socket path (`stats socket <path>`). An existing socket file there is replaced. */
  readonly path: string;
  /** File mode of the socket (`mode 600`), e.g. 0o600. */
  readonly mode?: number;
  /** Level of every connection (`level admin|operator|user`); HAProxy's default is operator. */
  readonly level?: Level;
  readonly commands: readonly CommandSpec[];
  readonly logger?: RuntimeLogger;
  readonly limits?: FramerLimits;
  /** Idle time after which a silent connection is closed (HAProxy's `stats timeout`, 10 s). */
  readonly idleTimeoutMs?: number;
  /** Connections above this are closed at once (bounded memory under a flood). */
  readonly maxConnections?: number;
  /** Keeps the thread polling after each read (shared by every runtime socket of the process). */
  readonly busyPoll?: BusyPoll;
}

export interface RuntimeServer {
  readonly path: string;
  /** Connections currently open. */
  connections(): number;
  /** Stops accepting, closes every connection, removes the socket file. */
  close(): Promise<void>;
}

export async function startRuntimeServer(opts: RuntimeServerOptions): Promise<RuntimeServer> {
  const table = new CommandTable(opts.commands);
  const level = opts.level ?? 'operator';
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const idleTimeoutMs = opts.idleTimeoutMs ?? 10_000;
  const startedAt = Date.now();
  const sockets = new Set<net.Socket>();

  const maxConnections = opts.maxConnections ?? 4096;
  // Connections read into one buffer (reads are handled one at a time and consumed at once): no
  // Buffer and no stream 'data' event per read, which showed on every sequential round trip.
  const readBuffer = Buffer.allocUnsafe(64 * 1024);
  const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (accepted) => {
    // adopted sockets no longer count in `server.maxConnections`: the limit is kept here
    if (sockets.size >= maxConnections) {
      accepted.destroy();
      return;
    }
    let onRead = (_n: number, _buf: Buffer): void => undefined;
    const socket = adoptWithSharedBuffer(accepted, readBuffer, (n, buf) => onRead(n, buf));
    if (socket === null) return;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    onRead = serveConnection(socket, { table, level, limits, idleTimeoutMs, startedAt, logger: opts.logger, busyPoll: opts.busyPoll });
    socket.resume();
  });
  server.maxConnections = maxConnections;
  server.on('error', (err) => opts.logger?.error({ err }, 'runtime socket error'));

  await rm(opts.path, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ path: opts.path, backlog: 1024 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (opts.mode !== undefined) await chmod(opts.path, opts.mode);
  // 'cliLevel': pino's own 'level' key would be shadowed.
  opts.logger?.info({ path: opts.path, cliLevel: level }, 'runtime API listening');

  return {
    path: opts.path,
    connections: () => sockets.size,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
      await rm(opts.path, { force: true });
    },
  };
}

interface ConnectionDeps {
  readonly table: CommandTable;
  readonly level: Level;
  readonly limits: FramerLimits;
  readonly idleTimeoutMs: number;
  readonly startedAt: number;
  readonly logger: RuntimeLogger | undefined;
  readonly busyPoll: BusyPoll | undefined;
}

/** Buffered reply text beyond which it is written at once rather than at the end of the turn. */
const FLUSH_AT = 64 * 1024;

/** Serves one connection; returns what to call with each read (`buf` is valid during the call only). */
function serveConnection(socket: net.Socket, deps: ConnectionDeps): (n: number, buf: Buffer) => void {
  let ending = false;
  // Replies of a `;`-joined line (or pipelined lines) leave as one string in one write: joining
  // them here costs less than handing the socket a hundred small chunks (it showed as a quarter of
  // the writer's time in the batched benchmark). Flushed once the chunk's synchronous commands
  // have run, else at the end of the event-loop turn, or as soon as a lot is waiting.
  let out = '';
  let scheduled = false;
  /** True while a read is being handled: its end flushes, no end-of-turn flush is needed. */
  let reading = false;
  const flush = (): void => {
    scheduled = false;
    if (out === '' || socket.destroyed) return;
    const text = out;
    out = '';
    socket.write(text);
  };
  const session = new CliSession({
    commands: deps.table,
    level: deps.level,
    limits: deps.limits,
    startedAt: deps.startedAt,
    ...(deps.logger === undefined ? {} : { logger: deps.logger }),
    io: {
      write: (text) => {
        if (socket.destroyed || ending) return undefined;
        out += text;
        if (out.length >= FLUSH_AT) flush();
        else if (!scheduled && !reading) {
          scheduled = true;
          setImmediate(flush);
        }
        // a peer that does not read holds the next replies back (and, through the session, its input)
        if (!socket.writableNeedDrain) return undefined;
        return new Promise<void>((resolve) => {
          const done = (): void => {
            socket.off('drain', done);
            socket.off('close', done);
            resolve();
          };
          socket.on('drain', done);
          socket.on('close', done);
        });
      },
      close: () => {
        ending = true;
        flush();
        // HAProxy closes both directions once the reply is flushed
        socket.end(() => socket.destroy());
        // a peer that never reads must not keep the socket forever
        socket.setTimeout(deps.idleTimeoutMs, () => socket.destroy());
      },
      pauseInput: () => socket.pause(),
      resumeInput: () => socket.resume(),
      busy: (running) => {
        if (!ending) socket.setTimeout(running ? 0 : deps.idleTimeoutMs);
      },
    },
  });
  socket.setTimeout(deps.idleTimeoutMs, () => socket.destroy());
  socket.on('end', () => session.peerEnded());
  socket.on('error', () => socket.destroy());
  socket.on('close', () => session.destroyed());
  return (n, buf) => {
    reading = true;
    try {
      session.push(buf.subarray(0, n));
    } finally {
      reading = false;
    }
    // the commands of this read that answer synchronously have run: their replies leave now, in
    // one write, without waiting for the end of the event-loop turn
    flush();
    deps.busyPoll?.touch();
  };
}
