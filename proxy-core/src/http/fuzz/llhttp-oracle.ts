/**
 * Node's own HTTP/1.1 parser (llhttp, strict: no lenient flags) as a test oracle. It is reached
 * through `node:_http_common`, the binding node:http itself uses: synchronous, deterministic, no
 * sockets. Test support only: never imported by the data plane.
 */
import { createRequire } from 'node:module';

/** The part of the binding the oracle uses (Node does not publish types for it). */
interface LlhttpParser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  execute(buf: Buffer): number | (Error & { code: string; bytesParsed: number });
  finish(): undefined | (Error & { code: string });
  [slot: number]: unknown;
}
interface LlhttpBinding {
  HTTPParser: {
    new(): LlhttpParser;
    REQUEST: number;
    RESPONSE: number;
    kOnHeaders: number;
    kOnHeadersComplete: number;
    kOnBody: number;
    kOnMessageComplete: number;
    kOnExecute: number;
    kLenientNone: number;
  };
  methods: string[];
}

const binding = createRequire(import.meta.url)('node:_http_common') as LlhttpBinding;
const { HTTPParser, methods } = binding;

export interface OracleMessage {
  /** Requests: the method; responses: the status code as text. */
  method: string;
  url: string;
  versionMinor: number;
  /** Alternating names and values, as received (values trimmed by llhttp). */
  headers: string[];
  keepAlive: boolean;
  upgrade: boolean;
  /** Decoded body; null until the message is complete. */
  body: Buffer | null;
}

export interface OracleResult {
  /** Messages whose head was complete, in order; the last may lack its body. */
  messages: OracleMessage[];
  /** llhttp's error code (`HPE_*`), or null when it consumed everything it was given. */
  error: string | null;
}

/** Parses `input` as a stream of requests (or responses) and reports every message llhttp saw. */
export class LlhttpOracle {
  private readonly parser: LlhttpParser = new HTTPParser();
  private messages: OracleMessage[] = [];
  private pendingHeaders: string[] = [];
  private pendingUrl = '';
  private bodyParts: Buffer[] = [];
  private readonly resource = {};
  private type = 0;
  private headRequest = false;

  constructor() {
    const p = this.parser;
    p[HTTPParser.kOnHeaders] = (headers: string[], url: string): void => {
      // Node flushes the fields in batches of 32 when a head has many; the URL comes with the first.
      for (const h of headers) this.pendingHeaders.push(h);
      this.pendingUrl += url;
    };
    p[HTTPParser.kOnHeadersComplete] = (
      _major: number, minor: number, headers: string[] | undefined, method: number, url: string | undefined,
      status: number, _reason: string, upgrade: boolean, keepAlive: boolean,
    ): number => {
      const all = this.pendingHeaders;
      if (headers) for (const h of headers) all.push(h);
      this.messages.push({
        method: this.type === HTTPParser.RESPONSE ? String(status) : methods[method] ?? `#${method}`,
        url: this.pendingUrl + (url ?? ''), versionMinor: minor,
        headers: all, keepAlive, upgrade, body: null,
      });
      this.pendingHeaders = [];
      this.pendingUrl = '';
      this.bodyParts = [];
      // 1 tells llhttp the response has no body (what node:http returns for a response to HEAD).
      return this.type === HTTPParser.RESPONSE && this.headRequest ? 1 : 0;
    };
    p[HTTPParser.kOnBody] = (b: Buffer): void => {
      this.bodyParts.push(Buffer.from(b));
    };
    p[HTTPParser.kOnMessageComplete] = (): void => {
      const m = this.messages[this.messages.length - 1];
      if (m) m.body = Buffer.concat(this.bodyParts);
      // Trailer fields arrive through kOnHeaders after the body: they are not part of the next head.
      this.pendingHeaders = [];
      this.pendingUrl = '';
    };
    p[HTTPParser.kOnExecute] = (): void => {};
  }

  parseRequests(input: Buffer): OracleResult {
    return this.run(HTTPParser.REQUEST, input);
  }

  /**
   * Parses `input` as the responses of one connection, to requests that were all HEAD or all not,
   * then signals the end of the stream (so a body read until close completes).
   */
  parseResponses(input: Buffer, headRequest: boolean): OracleResult {
    this.headRequest = headRequest;
    const r = this.run(HTTPParser.RESPONSE, input);
    if (r.error === null && !this.messages[this.messages.length - 1]?.upgrade) {
      const f = this.parser.finish();
      if (f !== undefined) r.error = f.code;
    }
    return r;
  }

  private run(type: number, input: Buffer): OracleResult {
    this.type = type;
    this.messages = [];
    this.pendingHeaders = [];
    this.pendingUrl = '';
    this.bodyParts = [];
    this.parser.initialize(type, this.resource, 64 * 1024 * 1024, HTTPParser.kLenientNone);
    const r = this.parser.execute(input);
    return { messages: this.messages, error: typeof r === 'number' ? null : r.code };
  }
}
