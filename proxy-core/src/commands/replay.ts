/** Test helper: replays runtime commands both on the CommandSpec tables and over a real socket. */
import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { silentLogger } from '../log.ts';
import { loadConfig, start } from '../main.ts';
import { assertModelInvariants } from '../model/invariants.ts';
import { exchange, tempDir } from '../runtime/testing/cli-client.ts';
import { fixture } from './fixture.ts';
import type { Fixture } from './fixture.ts';

export type Step = readonly [send: string, expect: string];

/**
 * Each case runs twice: against the CommandSpec tables, and over a real stats socket of a
 * process started from a real config file (one connection per command, non-interactive mode,
 * so every reply is followed by the framing's empty line).
 */
export function replay(name: string, config: string, steps: readonly Step[], after?: (fx: Fixture) => void): void {
  it(name, async () => {
    const fx = fixture(config);
    for (const [send, want] of steps) {
      const got = await fx.send(send);
      expect(got, send).to.equal(want);
      assertModelInvariants(fx.model);
    }
    after?.(fx);
  });
  it(`${name} (over the stats socket)`, async function () {
    this.timeout(10000);
    const t = await tempDir('hawser-accept-');
    const sock = join(t.dir, 's.sock');
    const file = join(t.dir, 'h.cfg');
    // The global section goes last so the listener line numbers of the case stay as written.
    await writeFile(file, `${config}\nglobal\n    stats socket ${sock} level admin\n`);
    const cfg = await loadConfig(file, { out: () => undefined, err: () => undefined });
    if (cfg === null) throw new Error('config rejected');
    const running = await start(cfg, silentLogger());
    try {
      for (const [send, want] of steps) {
        const got = await exchange(sock, `${send}\n`, { halfClose: true });
        expect(got, send).to.equal(`${want.replaceAll('(h.cfg:', `(${file}:`)}\n`);
        assertModelInvariants(running.model);
      }
    } finally {
      await running.stop();
      await t.cleanup();
    }
  });
}

