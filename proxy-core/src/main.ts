/**
 * The proxy-core process entry (`hawser-proxy`). The edge of the program: it reads the file,
 * prints, listens and handles signals; everything else is pure and lives in config/ and model/.
 *   hawser-proxy -f <file>      load the configuration, build the model, serve the runtime API
 *   hawser-proxy -c -f <file>   check the configuration and exit (0 valid, 1 with the errors)
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { startAdminServer } from './admin/server.ts';
import { createProxyMetrics } from './metrics/proxy-metrics.ts';
import { modelMetricsSource } from './model/metrics-source.ts';
import { fillStandInCertificates } from './serve/stand-in-certs.ts';
import { startTraffic, type Traffic } from './serve/traffic.ts';
import { instrumentCommands } from './serve/instrument-commands.ts';
import { HealthChecker } from './health/checker.ts';
import { Reclaimer } from './memory/reclaimer.ts';
import { applyPlaneReport } from './model/passive-health.ts';
import { certCommands } from './certs/cert-commands.ts';
import { CertStore } from './certs/cert-store.ts';
import { crtListCommands } from './certs/crtlist-commands.ts';
import { declareCertificates } from './certs/declare-certs.ts';
import { modelCommands } from './commands/index.ts';
import { buildModel } from './config/build-model.ts';
import { parseConfig } from './config/parser.ts';
import type { ParsedConfig } from './config/types.ts';
import { createRootLogger, type Logger } from './log.ts';
import { declareRouteMaps } from './maps/declare-maps.ts';
import { mapCommands } from './maps/map-commands.ts';
import { MapStore } from './maps/map-store.ts';
import type { Model } from './model/model.ts';
import { modelWriterSection } from './model/writer-section-adapter.ts';
import { builtinCommands } from './runtime/builtin-commands.ts';
import type { CommandSpec } from './runtime/command.ts';
import { startRuntimeServer, type RuntimeServer } from './runtime/server.ts';
import { BusyPoll, DEFAULT_BUSY_POLL_US } from './runtime/busy-poll.ts';
import { registerCollected } from './metrics/collected-metric.ts';
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

export interface StartOptions {
  /** Start the traffic workers (the process does; tests of the runtime API alone do not). */
  readonly traffic?: boolean;
  /** Serve /healthz, /readyz and /metrics here. */
  readonly admin?: { readonly host: string; readonly port: number };
  readonly planeOptions?: Readonly<Record<string, unknown>>;
}

export interface Running {
  readonly model: Model;
  readonly traffic: Traffic | null;
  readonly admin: FastifyInstance | null;
  readonly maps: MapStore;
  readonly certs: CertStore;
  readonly commands: readonly CommandSpec[];
  readonly sockets: readonly RuntimeServer[];
  /** Stops serving and releases every resource; resolves when done. */
  stop(): Promise<void>;
}

/** Every runtime command of the process: framing built-ins, the model's, maps, certificates. */
export function allCommands(model: Model, maps: MapStore, certs: CertStore): CommandSpec[] {
  // The model's commands change state synchronously and then only wait until the change is
  // visible in every worker, so a connection may start its next command meanwhile
  // (runtime/command.ts `pipelinable`). Not `wait`: it reads the state again later.
  const sequential = new Set(['wait']);
  const modelSpecs = modelCommands(model).map((c) => (sequential.has(c.words.join(' ')) || c.pipelinable !== undefined ? c : { ...c, pipelinable: true }));
  return [...builtinCommands, ...modelSpecs, ...mapCommands(maps), ...certCommands(certs), ...crtListCommands(certs)];
}

function readTextFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Builds the model and starts what serves it: one runtime API server per `stats socket`.
 * The traffic workers (next issue) subscribe to `model.bus` (model/pool-subscriber.ts).
 */
export async function start(cfg: ParsedConfig, logger: Logger, opts: StartOptions = {}): Promise<Running> {
  const workers = cfg.global.nbthread ?? (opts.traffic === true ? availableParallelism() : 1);
  const counters = new SharedCounters(workers);
  const model = buildModel(cfg, { counters });
  const writer = modelWriterSection(model);
  const maps = new MapStore(writer);
  const certs = new CertStore(writer);
  // route maps named by frontends, bind certificates and crt-lists exist before any command
  declareRouteMaps(cfg, maps);
  const declared = declareCertificates(cfg, certs, readTextFile);
  for (const w of declared.warnings) logger.warn({ module: 'certs' }, w);
  if (declared.errors.length > 0) throw new Error(declared.errors.join('\n'));
  const metrics = createProxyMetrics(counters, modelMetricsSource(model));
  const commands = instrumentCommands(allCommands(model, maps, certs), metrics.runtimeCommands);
  const sockets: RuntimeServer[] = [];
  const busyPoll = new BusyPoll(cfg.global.statsBusyPollUs ?? DEFAULT_BUSY_POLL_US);
  registerCollected(metrics.registry, {
    name: 'hawser_runtime_busy_poll_seconds_total', type: 'counter',
    help: 'Time the runtime API thread spent polling for the next command instead of sleeping (global `stats busy-poll`).',
    collect: () => [{ labels: {}, value: busyPoll.spentSeconds() }],
  });
  let traffic: Traffic | null = null;
  let admin: FastifyInstance | null = null;
  let checker: HealthChecker | null = null;
  let reclaimer: Reclaimer | null = null;
  let stopping = false;
  // Deleted servers are destroyed (GUID and counter slot released) once every worker acked the
  // deletion and their last connection is gone.
  // Destroys deleted servers in slices of 256 (~0.1 ms each here) with I/O in between: one pass
  // over thousands of deletions would hold every runtime reply back for milliseconds.
  const reapSlice = (): void => {
    if (model.reap(256) === 256) setImmediate(reapSlice);
  };
  const reaper = setInterval(reapSlice, 250);
  const stop = async (): Promise<void> => {
    stopping = true;
    clearInterval(reaper);
    reclaimer?.stop();
    checker?.stop();
    // Soft stop: the runtime API stays up while traffic drains, so operators can still look.
    if (traffic !== null) await traffic.stop((cfg.global.hardStopAfter ?? 30) * 1000);
    await Promise.all(sockets.map((s) => s.close()));
    busyPoll.stop();
    if (admin !== null) await admin.close();
  };
  try {
    if (opts.traffic === true) await fillStandInCertificates(certs, logger, (reason) => metrics.fallbacks.inc({ reason }));
    if (opts.traffic === true) {
      traffic = await startTraffic({
        model, maps, certs, counters, workers, logger,
        onWorkerEvent: (event, reason) => metrics.workerEvents.inc({ event, reason }),
        onReport: (message) => applyPlaneReport(model, message),
        ...(opts.planeOptions !== undefined ? { planeOptions: opts.planeOptions } : {}),
      });
    }
    if (opts.traffic === true) {
      checker = new HealthChecker({ model });
      checker.start();
    }
    // Gives memory back after mass deletions (docs/runtime-api.md, Memory).
    reclaimer = new Reclaimer({ source: model, workers: traffic?.pool ?? null, registry: metrics.registry, logger });
    reclaimer.start();
    if (opts.admin !== undefined) {
      admin = await startAdminServer({
        ...opts.admin, registry: metrics.registry,
        notReadyReason: () => (stopping ? 'stopping' : null),
      });
    }
    for (const s of cfg.global.statsSockets) {
      const opts = {
        path: s.path, level: s.level, commands, busyPoll, logger: logger.child({ module: 'runtime' }),
        ...(cfg.global.statsTimeout === null ? {} : { idleTimeoutMs: cfg.global.statsTimeout }),
      };
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
  return { model, maps, certs, commands, sockets, traffic, admin, stop };
}

/** The admin port: HAWSER_ADMIN_PORT (default 8404; 0 picks a free port) on HAWSER_ADMIN_ADDRESS. */
function adminAddress(): { host: string; port: number } {
  const port = Number(process.env['HAWSER_ADMIN_PORT'] ?? '8404');
  return { host: process.env['HAWSER_ADMIN_ADDRESS'] ?? '0.0.0.0', port: Number.isInteger(port) && port >= 0 && port < 65536 ? port : 8404 };
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
    running = await start(cfg, logger, { traffic: true, admin: adminAddress() });
  } catch (err) {
    alert(io, `Starting proxy: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.off('SIGUSR1', stop);
      resolve();
    };
    // SIGUSR1 is HAProxy's soft-stop signal; SIGTERM is what Kubernetes sends.
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    process.on('SIGUSR1', stop);
  });
  await running.stop();
  return 0;
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
