/**
 * The proxy-core process entry (`hawser-proxy`). The edge of the program: it reads the file,
 * prints, listens and handles signals; everything else is pure and lives in config/ and model/.
 *   hawser-proxy -f <file>      load the configuration, build the model, serve the runtime API
 *   hawser-proxy -c -f <file>   check the configuration and exit (0 valid, 1 with the errors)
 */
import { readFile } from 'node:fs/promises';
import { buildModel } from './config/build-model.ts';
import { parseConfig } from './config/parser.ts';
import type { ParsedConfig } from './config/types.ts';
import type { Model } from './model/model.ts';

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
  /** Stops serving and releases every resource; resolves when done. */
  stop(): Promise<void>;
}

/** Builds the model and starts what serves it. One place to wire the runtime API. */
export async function start(cfg: ParsedConfig, io: MainIO): Promise<Running> {
  const model = buildModel(cfg);
  // Deleted servers are destroyed (GUID and counter slot released) once every worker acked the
  // deletion and their last connection is gone.
  const reaper = setInterval(() => model.reap(), 250);
  let servers = 0;
  let backends = 0;
  for (const p of model.proxies()) {
    if (p.isBackend) backends++;
    servers += p.servers.size;
  }
  io.out(`hawser-proxy: ${backends} backends, ${servers} servers loaded from ${cfg.file}\n`);
  return {
    model,
    stop: async () => {
      clearInterval(reaper);
    },
  };
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
  const running = await start(cfg, io);
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
