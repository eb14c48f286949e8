// Runs the kubectl built for the e2e control plane against a given kubeconfig.
import { execFile } from 'node:child_process';
import { ensureTool } from './tools.ts';

export interface KubectlOptions {
  /** Written to kubectl's stdin (for `apply -f -`). */
  readonly input?: string;
  readonly timeoutMs?: number;
}

export class KubectlError extends Error {
  readonly stderr: string;
  readonly exitCode: number | string | undefined;
  constructor(args: readonly string[], exitCode: number | string | undefined, stderr: string) {
    super(`kubectl ${args.join(' ')} failed (exit ${String(exitCode)}): ${stderr.trim()}`);
    this.name = 'KubectlError';
    this.stderr = stderr;
    this.exitCode = exitCode;
  }
}

/** Resolves with kubectl's stdout; rejects with a KubectlError carrying its stderr. */
export async function kubectl(kubeconfigPath: string, args: readonly string[], options: KubectlOptions = {}): Promise<string> {
  const bin = await ensureTool('kubectl');
  const fullArgs = ['--kubeconfig', kubeconfigPath, ...args];
  return new Promise((resolve, reject) => {
    const child = execFile(bin, fullArgs, { timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new KubectlError(args, err.code ?? err.signal ?? undefined, stderr));
      else resolve(stdout);
    });
    child.stdin?.end(options.input ?? '');
  });
}
