/**
 * Differential fuzz against Node's llhttp (strict). Every input is either parsed by both to the same
 * method, target, version, headers, keep-alive, upgrade and body, or rejected (or left waiting) by
 * Hawser; nothing throws. The deliberate divergences are listed in docs/http.md.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { ChunkedDecoder } from '../chunked-decoder.ts';
import { ChunkedForwarder, REFRAME, UNCHUNK } from '../chunked-forwarder.ts';
import { RequestHeadParser, TARGET_ABSOLUTE } from '../request-head-parser.ts';
import { ForwardingContext, buildRequestHead } from '../request-head-writer.ts';
import { disagreement, show } from './compare.ts';
import { LlhttpOracle } from './llhttp-oracle.ts';
import { Rng, SMUGGLING_CORPUS, chunkedBody, mutate, requestCase } from './request-generator.ts';
import { parseRequestStream, type StreamResult } from './request-stream.ts';

const oracle = new LlhttpOracle();
const parser = new RequestHeadParser();
const decoder = new ChunkedDecoder();

/** Parses the first head whole and split at `cut` (the prefix in another buffer, at an offset). */
function splitDisagreement(input: Buffer, cut: number): string | null {
  const whole = new RequestHeadParser();
  const split = new RequestHeadParser();
  const a = whole.execute(input, 0, input.length);
  const prefix = Buffer.concat([Buffer.from('xyz'), input.subarray(0, cut)]);
  let b = split.execute(prefix, 3, prefix.length);
  if (b === 0) b = split.execute(input, 0, input.length);
  else if (b > 0 && a !== b) return `split parse ended early: ${b} vs ${a}`;
  if (a !== b || whole.error !== split.error) return `split at ${cut}: ${b}/${split.error} vs ${a}/${whole.error}`;
  if (a > 0 && (whole.target !== split.target || whole.headerCount !== split.headerCount)) return `split at ${cut}: different head`;
  for (let i = 0; a > 0 && i < whole.headerCount; i++) {
    if (whole.headerValue(i) !== split.headerValue(i) || whole.headerName(i) !== split.headerName(i)) return `split at ${cut}: header ${i}`;
  }
  return null;
}

const upstreamParser = new RequestHeadParser();
const contexts = [
  new ForwardingContext({ clientAddress: '192.0.2.1', proto: 'http', port: 80, forwarded: 'replace' }),
  new ForwardingContext({ clientAddress: '2001:db8::1', proto: 'https', port: 443, forwarded: 'append' }),
  new ForwardingContext({ clientAddress: '192.0.2.2', proto: 'http', port: 8080, forwarded: 'off' }),
];
let contextTurn = 0;

/**
 * The head sent upstream for an accepted request must parse (by Hawser and by llhttp) to the same
 * method, path, host and framing, without any hop-by-hop field but the ones the proxy emits.
 */
function checkUpstreamHead(p: RequestHeadParser): void {
  const out = buildRequestHead(p, contexts[contextTurn++ % contexts.length]!, p.upgrade);
  const q = upstreamParser;
  q.reset();
  const n = q.execute(out, 0, out.length);
  if (n !== out.length) throw new Error(`upstream head rejected (${q.error}): ${show(out)}`);
  let path = p.target;
  if (p.targetForm === TARGET_ABSOLUTE) {
    path = p.buf.toString('latin1', p.pathStart, p.targetEnd);
    if (!path.startsWith('/')) path = `/${path}`;
  }
  if (q.method !== p.method || q.target !== path || q.host !== p.host || q.bodyKind !== p.bodyKind ||
    q.contentLength !== p.contentLength || q.upgrade !== p.upgrade || q.connectionTokens !== null) {
    throw new Error(`upstream head differs: ${show(out)}`);
  }
  const theirs = oracle.parseRequests(out).messages[0];
  if (!theirs || theirs.method !== q.method || theirs.url !== q.target || theirs.headers.length !== q.headerCount * 2) {
    throw new Error(`llhttp reads the upstream head differently: ${show(out)}`);
  }
}

function check(input: Buffer): StreamResult {
  let ours: StreamResult;
  try {
    ours = parseRequestStream(input, parser, decoder, checkUpstreamHead);
  } catch (err) {
    throw new Error(`Hawser threw or wrote a bad upstream head on ${show(input)}: ${String(err)}`, { cause: err });
  }
  const d = disagreement(ours, oracle.parseRequests(input));
  if (d) throw new Error(`${d}\n  input: ${show(input)}`);
  return ours;
}

describe('differential fuzz of the request parser against llhttp (and of the upstream heads it writes)', function () {
  this.timeout(120_000);

  it('agrees with llhttp or rejects on every request of the smuggling corpus', () => {
    for (const s of SMUGGLING_CORPUS) check(Buffer.from(s, 'latin1'));
  });

  it('agrees with llhttp or rejects on 100 000 generated and mutated request streams, whole and split', () => {
    const rng = new Rng(0x5eed);
    let accepted = 0;
    let rejected = 0;
    for (let i = 0; i < 100_000; i++) {
      const input = requestCase(rng);
      const ours = check(input);
      accepted += ours.messages.length;
      if (ours.outcome === 'rejected') rejected++;
      if (input.length > 1) {
        const d = splitDisagreement(input, 1 + rng.int(input.length - 1));
        if (d) throw new Error(`${d}\n  input: ${show(input)}`);
      }
    }
    // The generator must exercise both sides, or the comparison proves nothing.
    expect(accepted, 'messages parsed by both').to.be.greaterThan(40_000);
    expect(rejected, 'streams rejected').to.be.greaterThan(20_000);
  });

  it('agrees with llhttp or rejects on streams of request fragments drawn by fast-check', () => {
    const fragments = [
      'GET / HTTP/1.1\r\n', 'POST /x HTTP/1.1\r\n', 'GET / HTTP/1.0\r\n', 'Host: a\r\n', 'Content-Length: 3\r\n',
      'Transfer-Encoding: chunked\r\n', 'Connection: close\r\n', 'Connection: keep-alive\r\n', '\r\n', 'abc',
      '3\r\nabc\r\n', '0\r\n\r\n', 'X: y\r\n', ' folded\r\n', '\n', '\r', '\0', ':', 'Content-Length: 0\r\n',
      'Upgrade: websocket\r\n', 'Connection: upgrade\r\n', 'Expect: 100-continue\r\n',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { maxLength: 16 }), (parts) => {
        check(Buffer.from(parts.join(''), 'latin1'));
      }),
      { seed: 4242, numRuns: 5000 },
    );
  });
});

describe('differential fuzz of the chunked decoder against llhttp', function () {
  this.timeout(120_000);
  const HEAD = 'POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n';

  /** Decodes `body` in random slices; returns the data, or null when rejected or incomplete. */
  function decodeSliced(rng: Rng, body: Buffer): Buffer | null {
    const dec = new ChunkedDecoder();
    const parts: Buffer[] = [];
    let pos = 0;
    while (pos < body.length && !dec.done) {
      const end = Math.min(body.length, pos + 1 + rng.int(8));
      let p = pos;
      while (p < end && !dec.done) {
        p = dec.execute(body, p, end);
        if (p < 0) return null;
        if (dec.dataEnd > dec.dataStart) parts.push(body.subarray(dec.dataStart, dec.dataEnd));
      }
      pos = p;
    }
    return dec.done ? Buffer.concat(parts) : null;
  }

  it('decodes 50 000 generated and mutated chunked bodies as llhttp does, whole, sliced and forwarded', () => {
    const rng = new Rng(0xc4c4);
    const forwarder = new ChunkedForwarder();
    let accepted = 0;
    for (let i = 0; i < 50_000; i++) {
      let body = chunkedBody(rng);
      if (rng.chance(0.5)) body = mutate(rng, body);
      const input = Buffer.from(HEAD + body + (rng.chance(0.3) ? 'GET /n HTTP/1.1\r\nHost: a\r\n\r\n' : ''), 'latin1');
      check(input);
      const whole = parseRequestStream(input, parser, decoder).messages[0]?.body ?? null;
      const bodyBytes = input.subarray(HEAD.length);
      const sliced = decodeSliced(rng, bodyBytes);
      if ((whole === null) !== (sliced === null) || (whole && sliced && !whole.equals(sliced))) {
        throw new Error(`sliced decode differs\n  input: ${show(input)}`);
      }
      if (!whole) continue;
      accepted++;
      forwarder.reset(REFRAME);
      const reframed = forwarder.transform(bodyBytes, 0, bodyBytes.length);
      const again = reframed && oracle.parseRequests(Buffer.concat([Buffer.from(HEAD), reframed]));
      if (!again || again.error || !again.messages[0]?.body?.equals(whole)) throw new Error(`reframed body differs\n  input: ${show(input)}`);
      // Reframing is the same whatever the slicing, whether the output is a view or a copy.
      forwarder.reset(REFRAME);
      const pieces: Buffer[] = [];
      for (let pos = 0; pos < bodyBytes.length && !forwarder.done;) {
        const piece = forwarder.transform(bodyBytes, pos, Math.min(bodyBytes.length, pos + 1 + rng.int(12)));
        if (!piece) throw new Error(`sliced reframe rejected\n  input: ${show(input)}`);
        pieces.push(Buffer.from(piece));
        pos += forwarder.consumed;
      }
      if (!Buffer.concat(pieces).equals(reframed)) throw new Error(`sliced reframe differs\n  input: ${show(input)}`);
      forwarder.reset(UNCHUNK);
      const raw = forwarder.transform(bodyBytes, 0, bodyBytes.length);
      if (!raw || !raw.equals(whole)) throw new Error(`unchunked body differs\n  input: ${show(input)}`);
    }
    expect(accepted).to.be.greaterThan(10_000);
  });
});
