/**
 * Test harness: a whole proxy-core runtime side (config file → model → maps and certificates →
 * every command table → runtime sockets), as the process entry wires it, for socket-level tests.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildModel } from '../../config/build-model.ts';
import { parseConfig } from '../../config/parser.ts';
import { CertStore } from '../../certs/cert-store.ts';
import { declareCertificates } from '../../certs/declare-certs.ts';
import { declareRouteMaps } from '../../maps/declare-maps.ts';
import { MapStore } from '../../maps/map-store.ts';
import type { Model } from '../../model/model.ts';
import { allCommands } from '../../main.ts';
import { startRuntimeServer, type RuntimeServer } from '../server.ts';
import type { Emit, WriterSection } from '../writer-section.ts';

/** The runtime's writer seam over the model's section (same order, same guard). */
function modelSection(model: Model): WriterSection {
  return {
    async write<T>(fn: (emit: Emit) => T): Promise<T> {
      const result = model.write(() => fn((change) => model.emit(change)));
      await model.whenVisible();
      return result;
    },
  };
}

export interface Harness {
  readonly model: Model;
  readonly maps: MapStore;
  readonly certs: CertStore;
  readonly sockets: readonly string[];
  stop(): Promise<void>;
}

/** Writes `config` (with `@DIR@` replaced by `dir`) to `dir/h.cfg` and serves it. */
export async function startHarness(dir: string, config: string, opts: { workerDelayMs?: number } = {}): Promise<Harness> {
  const file = path.join(dir, 'h.cfg');
  await writeFile(file, config.replaceAll('@DIR@', dir));
  const parsed = parseConfig(config.replaceAll('@DIR@', dir), file);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const cfg = parsed.config;
  const model = buildModel(cfg);
  const section = modelSection(model);
  const maps = new MapStore(section);
  const certs = new CertStore(section);
  declareRouteMaps(cfg, maps);
  const declared = declareCertificates(cfg, certs, (p) => {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  });
  if (declared.errors.length > 0) throw new Error(declared.errors.join('\n'));
  const commands = allCommands(model, maps, certs);
  if (opts.workerDelayMs !== undefined) {
    // a stand-in worker that acknowledges every batch late: replies must wait for it
    const delay = opts.workerDelayMs;
    const sub = {
      deliver: (records: readonly { seq: number }[]) => {
        const last = records[records.length - 1];
        if (last !== undefined) setTimeout(() => model.bus.ack(sub, last.seq), delay);
      },
    };
    model.bus.subscribe(sub);
  }
  const servers: RuntimeServer[] = [];
  for (const s of cfg.global.statsSockets) {
    const opts = { path: s.path, level: s.level, commands };
    servers.push(await startRuntimeServer(s.mode === null ? opts : { ...opts, mode: s.mode }));
  }
  const reaper = setInterval(() => model.reap(), 50);
  return {
    model,
    maps,
    certs,
    sockets: servers.map((s) => s.path),
    stop: async () => {
      clearInterval(reaper);
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}
