// Finds (building on first use) the binaries the control plane runs, and the host commands it needs.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { E2eError } from './e2e-errors.ts';

export type ToolName = 'etcd' | 'kube-apiserver' | 'kubectl' | 'helm';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const scripts = join(repoRoot, 'scripts', 'tools');

/** Runs a script whose stdout is the answer, letting its progress on stderr reach the terminal. */
function runScript(script: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(join(scripts, script), [...args], { maxBuffer: 1 << 20 }, (err, stdout) => {
      if (err) reject(new E2eError('HWS_E2E_ERR_TOOL', `${script} ${args.join(' ')} failed (exit ${String(err.code)}); its messages are above`, { cause: err }));
      else resolve(stdout.trim());
    });
    child.stderr?.pipe(process.stderr);
  });
}

const ensured = new Map<ToolName, Promise<string>>();

/** Absolute path of the tool's binary; the first call in a cold cache builds it (minutes). */
export function ensureTool(name: ToolName): Promise<string> {
  let found = ensured.get(name);
  if (!found) {
    found = runScript('ensure-tool.sh', [name]);
    ensured.set(name, found);
    found.catch(() => ensured.delete(name));
  }
  return found;
}

/** `command=debian-package` pairs; installs missing packages as root, else fails naming them. */
export async function ensureCommands(pairs: readonly string[]): Promise<void> {
  await runScript('ensure-commands.sh', pairs);
}
