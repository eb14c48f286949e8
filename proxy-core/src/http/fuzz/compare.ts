/**
 * The comparison rule of the differential fuzz, shared by the request and response runs. Test
 * support only.
 */
import type { OracleMessage, OracleResult } from './llhttp-oracle.ts';
import type { StreamResult } from './request-stream.ts';

export function show(input: Buffer): string {
  return JSON.stringify(input.toString('latin1'));
}

export function sameMessage(a: OracleMessage, b: OracleMessage): string | null {
  if (a.method !== b.method) return `method ${a.method} vs ${b.method}`;
  if (a.url !== b.url) return `target ${a.url} vs ${b.url}`;
  if (a.versionMinor !== b.versionMinor) return 'version';
  if (a.headers.length !== b.headers.length || a.headers.some((h, i) => h !== b.headers[i])) return `headers ${JSON.stringify(a.headers)} vs ${JSON.stringify(b.headers)}`;
  // After an upgrade the connection is a tunnel: Hawser says it is not reusable, llhttp reports the fields.
  if (a.keepAlive !== b.keepAlive && !(a.upgrade && b.upgrade)) return `keep-alive ${a.keepAlive} vs ${b.keepAlive}`;
  if (a.upgrade !== b.upgrade) return `upgrade ${a.upgrade} vs ${b.upgrade}`;
  if (!b.body || !a.body || !a.body.equals(b.body)) return `body ${a.body?.toString('latin1')} vs ${b.body?.toString('latin1')}`;
  return null;
}

/** null when the two parses agree under the rule of the differential tests, else what differs. */
export function disagreement(
  ours: StreamResult, theirs: OracleResult, divergesFrom?: (ours: OracleMessage, theirs: OracleMessage) => boolean,
): string | null {
  for (let i = 0; i < ours.messages.length; i++) {
    const o = theirs.messages[i];
    if (!o || o.body === null) return `Hawser accepted message ${i}, llhttp did not (${theirs.error})`;
    // A documented divergence: the two parsers part ways at this message; nothing after it compares.
    if (divergesFrom?.(ours.messages[i]!, o)) return null;
    // Divergence: llhttp honours Upgrade on HTTP/1.0 and stops there; Hawser does not (docs/http.md).
    if (o.upgrade && o.versionMinor === 0) return null;
    const a = ours.messages[i]!;
    // Closing where llhttp would keep the connection is always allowed (HTTP/1.0 with both close
    // and keep-alive: llhttp honours keep-alive, Hawser close). Compare the message, then stop.
    const closesEarlier = !a.keepAlive && o.keepAlive;
    const d = sameMessage(closesEarlier ? { ...a, keepAlive: true } : a, o);
    if (d) return `message ${i}: ${d}`;
    if (closesEarlier) return null;
  }
  const k = ours.messages.length;
  if (ours.outcome === 'incomplete' && theirs.messages[k]?.body) return `Hawser waits where llhttp completed message ${k}`;
  if (ours.outcome === 'done' && theirs.error !== null) return `llhttp rejected (${theirs.error}) what Hawser accepted`;
  return null;
}
