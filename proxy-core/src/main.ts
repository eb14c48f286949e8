/**
 * The proxy-core process entry (`hawser-proxy`). The edge of the program: it reads the file,
 * prints, listens and handles signals; everything else is pure and lives in config/ and model/.
 *   hawser-proxy -f <file>      load the configuration, build the model, serve the runtime API
 *   hawser-proxy -c -f <file>   check the configuration and exit (0 valid, 1 with the errors)
 */
import { readFile } from 'node:fs/promises';
import { certCommands } from './certs/cert-commands.ts';
import { CertStore } from './certs/cert-store.ts';
import { crtListCommands } from './certs/crtlist-commands.ts';
import { modelCommands } from './commands/index.ts';
import { buildModel } from './config/build-model.ts';
import { parseConfig } from './config/parser.ts';
import type { ParsedConfig } from './config/types.ts';
import { createRootLogger, type Logger } from './log.ts';
import { mapCommands } from './maps/map-commands.ts';
import { MapStore } from './maps/map-store.ts';
import type { Model } from './model/model.ts';
import { modelWriterSection } from './model/writer-section-adapter.ts';
import { builtinCommands } from './runtime/builtin-commands.ts';
import type { CommandSpec } from './runtime/command.ts';
import { startRuntimeServer, type RuntimeServer } from './runtime/server.ts';
import { SharedCounters } from './stats/counters.ts';

export interface MainIO {
  out(text: string): void;
  err(text: string): void;
}

const defaultIO: MainIO = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

const USAGE = 'Usage : hawser-proxy [-c] -f <cfgfile>\n' +
  '        -f <cfgfile> loads the configuration file (HAProxy subset)\n' +
  '        -c checks the configuration and exits (0 when valid)\n';

interface Args {
  readonly file: string | null;
  readonly check: boolean;
}

function parseArgs(argv: readonly string[]): Args | null {
  let file: string | null = null;
  let check = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-c') check = true;
    else if (a === '-f' && argv[i + 1] !== undefined) file = argv[++i] ?? null;
    else return null;
  }
  return { file, check };
}

function alert(io: MainIO, text: string): void {
  io.err(`[ALERT]    (${process.pid}) : config : ${text}\n`);
}

/** Reads and parses the file; prints HAProxy-style alerts and returns null on any error. */
export async function loadConfig(file: string, io: MainIO): Promise<ParsedConfig | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    alert(io, `Cannot open configuration file/directory ${file} : ${code === 'ENOENT' ? 'No such file or directory' : code}`);
    return null;
  }
  const r = parseConfig(text, file);
  for (const w of r.warnings) io.err(`[WARNING]  (${process.pid}) : config : ${w}\n`);
  if (!r.ok) {
    for (const e of r.errors) alert(io, e);
    alert(io, 'Fatal errors found in configuration.');
    return null;
  }
  return r.config;
}

export interface Running {
  readonly model: Model;
  readonly maps: MapStore;
  readonly certs: CertStore;
  readonly commands: readonly CommandSpec[];
  readonly sockets: readonly RuntimeServer[];
  /** Stops serving and releases every resource; resolves when done. */
  stop(): Promise<void>;
}

/** Every runtime command of the process: framing built-ins, the model's, maps, certificates. */
export function allCommands(model: Model, maps: MapStore, certs: CertStore): CommandSpec[] {
  return [...builtinCommands, ...modelCommands(model), ...mapCommands(maps), ...certCommands(certs), ...crtListCommands(certs)];
}

/**
 * Builds the model and starts what serves it: one runtime API server per `stats socket`.
 * The traffic workers (next issue) subscribe to `model.bus` (model/pool-subscriber.ts).
 */
export async function start(cfg: ParsedConfig, logger: Logger): Promise<Running> {
  const counters = new SharedCounters(cfg.global.nbthread ?? 1);
  const model = buildModel(cfg, { counters });
  const writer = modelWriterSection(model);
  const maps = new MapStore(writer);
  const certs = new CertStore(writer);
  const commands = allCommands(model, maps, certs);
  const sockets: RuntimeServer[] = [];
  // Deleted servers are destroyed (GUID and counter slot released) once every worker acked the
  // deletion and their last connection is gone.
  const reaper = setInterval(() => model.reap(), 250);
  const stop = async (): Promise<void> => {
    clearInterval(reaper);
    await Promise.all(sockets.map((s) => s.close()));
  };
  try {
    for (const s of cfg.global.statsSockets) {
      const opts = { path: s.path, level: s.level, commands, logger: logger.child({ module: 'runtime' }) };
      sockets.push(await startRuntimeServer(s.mode === null ? opts : { ...opts, mode: s.mode }));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  let servers = 0;
  let backends = 0;
  for (const p of model.proxies()) {
    if (p.isBackend) backends++;
    servers += p.servers.size;
  }
  logger.info({ file: cfg.file, backends, servers, sockets: sockets.map((s) => s.path) }, 'proxy-core started');
  return { model, maps, certs, commands, sockets, stop };
}

export async function main(argv: readonly string[], io: MainIO = defaultIO): Promise<number> {
  const args = parseArgs(argv);
  if (args === null || args.file === null) {
    io.err(USAGE);
    return 1;
  }
  const cfg = await loadConfig(args.file, io);
  if (cfg === null) return 1;
  if (args.check) {
    io.out('Configuration file is valid\n');
    return 0;
  }
  const logger = createRootLogger('hawser-proxy');
  let running: Running;
  try {
    running = await start(cfg, logger);
  } catch (err) {
    alert(io, `Starting proxy: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await running.stop();
  return 0;
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
