/**
 * Test harness: a whole proxy-core runtime side (config file → model → maps and certificates →
 * every command table → runtime sockets), as the process entry wires it, for socket-level tests.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildModel } from '../../config/build-model.ts';
import { parseConfig } from '../../config/parser.ts';
import { certCommands } from '../../certs/cert-commands.ts';
import { CertStore } from '../../certs/cert-store.ts';
import { crtListCommands } from '../../certs/crtlist-commands.ts';
import { declareCertificates } from '../../certs/declare-certs.ts';
import { modelCommands } from '../../commands/index.ts';
import { declareRouteMaps } from '../../maps/declare-maps.ts';
import { mapCommands } from '../../maps/map-commands.ts';
import { MapStore } from '../../maps/map-store.ts';
import type { Model } from '../../model/model.ts';
import { builtinCommands } from '../builtin-commands.ts';
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
export async function startHarness(dir: string, config: string): Promise<Harness> {
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
  const commands = [...builtinCommands, ...modelCommands(model), ...mapCommands(maps), ...certCommands(certs), ...crtListCommands(certs)];
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
