/**
 * The in-memory RuntimeClient: the real CLI client over a transport that hands the text to a
 * FakeProxy. Tests of the sync path use it; the contract suite runs it like the socket client.
 */
import type { Transport } from './client.ts';
import { CliRuntimeClient, DEFAULT_CLIENT_OPTIONS } from './client.ts';
import type { ClientOptions } from './client.ts';
import { FakeProxy } from './fake-proxy.ts';
import { HawserError } from '../errors.ts';

export class FakeTransport implements Transport {
  readonly proxy: FakeProxy;
  /** Every text written, in order: what went over the wire. */
  readonly writes: string[] = [];
  constructor(proxy: FakeProxy) { this.proxy = proxy; }
  send(text: string, commands: number): Promise<string[]> {
    this.writes.push(text);
    const replies = this.proxy.handle(text);
    if (replies.length !== commands) {
      return Promise.reject(new HawserError('HWS_ERR_RUNTIME_UNEXPECTED_REPLY', `expected ${String(commands)} replies, got ${String(replies.length)}`));
    }
    return Promise.resolve(replies);
  }
  close(): Promise<void> { return Promise.resolve(); }
}

export interface FakeRuntime {
  readonly client: CliRuntimeClient;
  readonly proxy: FakeProxy;
  readonly transport: FakeTransport;
}

/** A fresh fake proxy (with a static backend and the default certificate) and a client on it. */
export function fakeRuntime(options: Partial<ClientOptions> = {}, defaultCertPem = ''): FakeRuntime {
  const o = { ...DEFAULT_CLIENT_OPTIONS, ...options };
  const proxy = new FakeProxy({ routeMap: o.routeMap, crtList: o.crtList, defaultCertName: o.defaultCertName, defaultCertPem });
  const transport = new FakeTransport(proxy);
  return { client: new CliRuntimeClient(transport, o), proxy, transport };
}
