/**
 * Holds the bytes of a head that did not arrive in one read, for a parser's next `execute`. The
 * fast path never touches it: a head that is whole in its read is parsed in place. One per
 * connection; its storage is allocated on first use and kept for the connection's life.
 *
 *   if (acc.length === 0) n = parser.execute(chunk, pos, chunk.length)   // in place
 *   if (n === NEED_MORE) acc.append(chunk, pos, chunk.length)            // keep the partial head
 *   ... next read:
 *   acc.append(chunk, 0, chunk.length); n = parser.execute(acc.bytes, 0, acc.length)
 *   if (n > 0) { use the head; rest = acc.bytes.subarray(n, acc.length) (copy or consume it); acc.clear() }
 */
export class HeadAccumulator {
  private storage: Buffer | null = null;
  /** Bytes held. */
  length = 0;
  /** The most bytes ever held: the head limit plus one read. */
  readonly capacity: number;

  /** Precondition: `maxHeadBytes` is the parser's limit, `maxRead` the largest socket read. */
  constructor(maxHeadBytes: number, maxRead = 65536) {
    this.capacity = maxHeadBytes + maxRead;
  }

  /** The held bytes are `bytes[0, length)`. Valid until the next append or clear. */
  get bytes(): Buffer {
    return this.storage ?? EMPTY;
  }

  /**
   * Appends `src[start, end)`; false (holding nothing more) when that would pass the capacity,
   * which only a client ignoring the head limit can cause: answer 431 and close.
   */
  append(src: Uint8Array, start: number, end: number): boolean {
    const n = end - start;
    const need = this.length + n;
    if (need > this.capacity) return false;
    let s = this.storage;
    if (s === null || s.length < need) {
      const grown = Buffer.allocUnsafe(Math.min(this.capacity, Math.max(need, (s?.length ?? 1024) * 2)));
      if (s !== null && this.length > 0) s.copy(grown, 0, 0, this.length);
      this.storage = s = grown;
    }
    s.set(src.subarray(start, end), this.length);
    this.length = need;
    return true;
  }

  /** Forgets the held bytes (keeps the storage). */
  clear(): void {
    this.length = 0;
  }

  /** Drops the storage too: for connections that go idle. */
  release(): void {
    this.length = 0;
    this.storage = null;
  }
}

const EMPTY = Buffer.alloc(0);
