// Runs the kubectl and helm built for the e2e control plane against a given kubeconfig.
import { execFile } from 'node:child_process';
import { ensureTool } from './tools.ts';
import { E2eError } from './e2e-errors.ts';

export interface ToolRunOptions {
  /** Written to the tool's stdin (for `apply -f -`). */
  readonly input?: string;
  readonly timeoutMs?: number;
}

export class ToolRunError extends E2eError {
  readonly stderr: string;
  readonly exitCode: number | string | undefined;
  constructor(tool: string, args: readonly string[], exitCode: number | string | undefined, stderr: string) {
    super('HWS_E2E_ERR_TOOL_RUN', `${tool} ${args.join(' ')} failed (exit ${String(exitCode)}): ${stderr.trim()}`);
    this.name = 'ToolRunError';
    this.stderr = stderr;
    this.exitCode = exitCode;
  }
}

async function runWithKubeconfig(tool: 'kubectl' | 'helm', kubeconfigPath: string, args: readonly string[], options: ToolRunOptions): Promise<string> {
  const bin = await ensureTool(tool);
  const fullArgs = ['--kubeconfig', kubeconfigPath, ...args];
  // helm keeps caches and repository lists under $HOME unless told otherwise; keep them per run.
  const env = tool === 'helm' ? { ...process.env, HELM_CACHE_HOME: `${kubeconfigPath}.helm/cache`, HELM_CONFIG_HOME: `${kubeconfigPath}.helm/config`, HELM_DATA_HOME: `${kubeconfigPath}.helm/data` } : process.env;
  return new Promise((resolve, reject) => {
    const child = execFile(bin, fullArgs, { timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 << 20, env }, (err, stdout, stderr) => {
      if (err) reject(new ToolRunError(tool, args, err.code ?? err.signal ?? undefined, stderr));
      else resolve(stdout);
    });
    child.stdin?.end(options.input ?? '');
  });
}

/** Resolves with kubectl's stdout; rejects with a ToolRunError carrying its stderr. */
export function kubectl(kubeconfigPath: string, args: readonly string[], options: ToolRunOptions = {}): Promise<string> {
  return runWithKubeconfig('kubectl', kubeconfigPath, args, options);
}

/** Resolves with helm's stdout; rejects with a ToolRunError carrying its stderr. */
export function helm(kubeconfigPath: string, args: readonly string[], options: ToolRunOptions = {}): Promise<string> {
  return runWithKubeconfig('helm', kubeconfigPath, args, options);
}
