// Finds control-plane processes whose private folder is gone: what a broken teardown leaves.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** pids of processes whose command line names a `hawser-e2e-cp-*` folder that no longer exists. */
export function orphanedControlPlaneProcesses(): number[] {
  const orphans: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const dir = /(\/[^\0=]*\/hawser-e2e-cp-[A-Za-z0-9]+)/.exec(cmdline)?.[1];
    if (dir !== undefined && !existsSync(dir)) orphans.push(Number(entry));
  }
  return orphans;
}
