// Backends with real, non-loopback addresses (EndpointSlices reject loopback): each runs the echo
// server inside its own network namespace, joined to the host by a veth pair on a /30 of
// 10.250.0.0/16: host side .1, backend .2. Needs root (CAP_NET_ADMIN) and iproute2.
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { registerExitCleanup } from '../control-plane/exit-cleanup.ts';
import { spawnGroup, type GroupProcess } from '../control-plane/process-group.ts';
import { ensureCommands } from '../control-plane/tools.ts';
import { E2eError } from '../control-plane/e2e-errors.ts';
import { waitFor200 } from '../control-plane/wait-ready.ts';
import { blockAddresses, blockOverlaps, parseIpv4Cidrs, BLOCK_COUNT, type Ipv4Cidr } from './netns-subnets.ts';

const run = promisify(execFile);
const echoServerPath = fileURLToPath(new URL('./echo-server.ts', import.meta.url));
/** Claims of /30 blocks, shared by every test process on this machine (other worktrees too). */
const claimsDir = join(tmpdir(), 'hawser-e2e-netns-claims');

export interface NetnsBackend {
  readonly name: string;
  readonly netns: string;
  /** The backend's address inside its namespace, reachable from the host. */
  readonly address: string;
  /** The host end of the veth pair: its address and interface name. */
  readonly hostAddress: string;
  readonly hostInterface: string;
  readonly port: number;
  /** `http://<address>:<port>` */
  readonly url: string;
  readonly process: GroupProcess;
  /** Stops the echo server, deletes the namespace (and with it the veth pair), frees the block. */
  stop(): Promise<void>;
}

export interface NetnsBackendOptions {
  /** What the echo server answers as its name. */
  readonly name: string;
  readonly port?: number;
  readonly readyTimeoutMs?: number;
}

async function ip(args: readonly string[]): Promise<void> {
  try {
    await run('ip', [...args]);
  } catch (err) {
    const stderr = ((err as { stderr?: string }).stderr ?? '').trim();
    const hint = /Operation not permitted|permission denied/i.test(stderr)
      ? ' (network namespaces need root or CAP_NET_ADMIN; see docs/e2e.md)' : '';
    throw new E2eError('HWS_E2E_ERR_NETNS', `ip ${args.join(' ')} failed: ${stderr || String(err)}${hint}`, { cause: err });
  }
}

function ipSyncQuiet(args: readonly string[]): void {
  spawnSync('ip', [...args], { stdio: 'ignore' });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface Claim { readonly index: number; readonly dir: string }

/** Removes what a dead process left behind for block `index`, then lets the caller retry. */
function reapStaleClaim(dir: string, index: number): boolean {
  let owner: { pid: number; netns: string } | undefined;
  try {
    owner = JSON.parse(readFileSync(join(dir, 'owner.json'), 'utf8')) as { pid: number; netns: string };
  } catch {
    // A claim without an owner file is either being written right now or was cut short; only a
    // claim old enough to be abandoned would be safe to reap, and a fresh block is cheaper.
    return false;
  }
  if (pidAlive(owner.pid)) return false;
  // The dead owner's echo server may still run inside the namespace.
  const pids = spawnSync('ip', ['netns', 'pids', owner.netns], { encoding: 'utf8' }).stdout ?? '';
  for (const pid of pids.split(/\s+/).filter((p) => /^\d+$/.test(p))) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  ipSyncQuiet(['netns', 'del', owner.netns]);
  ipSyncQuiet(['link', 'del', `hwsh${index}`]);
  rmSync(dir, { recursive: true, force: true });
  return true;
}

/** Claims a free /30 atomically (mkdir), skipping blocks that overlap an address on the host. */
async function claimBlock(netns: string): Promise<Claim> {
  mkdirSync(claimsDir, { recursive: true });
  // Blocks of runs that were killed outright (SIGKILL skips every cleanup) are freed here.
  for (const entry of readdirSync(claimsDir)) {
    if (/^\d+$/.test(entry)) reapStaleClaim(join(claimsDir, entry), Number(entry));
  }
  const { stdout } = await run('ip', ['-4', '-o', 'addr', 'show']);
  const used: Ipv4Cidr[] = parseIpv4Cidrs(stdout);
  const start = Math.floor(Math.random() * BLOCK_COUNT);
  for (let i = 0; i < BLOCK_COUNT; i++) {
    const index = (start + i) % BLOCK_COUNT;
    if (blockOverlaps(index, used)) continue;
    const dir = join(claimsDir, String(index));
    for (let tries = 0; tries < 2; tries++) {
      try {
        mkdirSync(dir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        if (reapStaleClaim(dir, index)) continue;
        break;
      }
      writeFileSync(join(dir, 'owner.json'), JSON.stringify({ pid: process.pid, netns }));
      return { index, dir };
    }
  }
  throw new E2eError('HWS_E2E_ERR_NETNS', 'no free /30 block left in 10.250.0.0/16 for a backend namespace');
}

/**
 * Precondition: running as root (or with CAP_NET_ADMIN). Creates the namespace and veth pair,
 * starts the echo server inside and resolves once it answers from the host.
 */
export async function startNetnsBackend(options: NetnsBackendOptions): Promise<NetnsBackend> {
  await ensureCommands(['ip=iproute2']);
  const port = options.port ?? 8080;
  const netns = `hawser-e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const claim = await claimBlock(netns);
  const { host, backend } = blockAddresses(claim.index);
  const hostIf = `hwsh${claim.index}`;
  const nsIf = `hwsb${claim.index}`;
  let proc: GroupProcess | undefined;
  const cleanupSync = (): void => {
    ipSyncQuiet(['netns', 'del', netns]);
    ipSyncQuiet(['link', 'del', hostIf]);
    rmSync(claim.dir, { recursive: true, force: true });
  };
  const forget = registerExitCleanup(cleanupSync);
  try {
    await ip(['netns', 'add', netns]);
    await ip(['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf, 'netns', netns]);
    await ip(['addr', 'add', `${host}/30`, 'dev', hostIf]);
    await ip(['link', 'set', hostIf, 'up']);
    await ip(['-n', netns, 'link', 'set', 'lo', 'up']);
    await ip(['-n', netns, 'addr', 'add', `${backend}/30`, 'dev', nsIf]);
    await ip(['-n', netns, 'link', 'set', nsIf, 'up']);
    proc = spawnGroup({
      name: `echo-server ${options.name}`,
      command: 'ip',
      args: ['netns', 'exec', netns, process.execPath, echoServerPath, '--name', options.name, '--host', backend, '--port', String(port)],
      // In the claim folder, so that whoever frees the block also removes the log.
      logPath: join(claim.dir, 'echo-server.log'),
    });
    const started = proc;
    const url = `http://${backend}:${port}`;
    await waitFor200({ url: `${url}/ready` }, {
      timeoutMs: options.readyTimeoutMs ?? 15_000,
      abortReason: () => (started.hasExited() ? `the echo server in ${netns} exited: ${readLog(started.logPath)}` : undefined),
    });
    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> => {
      stopping ??= (async () => {
        await started.stop(2000);
        await ip(['netns', 'del', netns]);
        // Deleting the namespace deletes its veth end, and a veth pair dies with either end.
        ipSyncQuiet(['link', 'del', hostIf]);
        rmSync(claim.dir, { recursive: true, force: true });
        forget();
      })();
      return stopping;
    };
    return { name: options.name, netns, address: backend, hostAddress: host, hostInterface: hostIf, port, url, process: started, stop };
  } catch (err) {
    await proc?.stop(1000);
    cleanupSync();
    forget();
    throw err;
  }
}

function readLog(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim().slice(-2000) || '(empty log)';
  } catch {
    return '(no log)';
  }
}
