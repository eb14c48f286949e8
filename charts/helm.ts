// Runs the real helm binary against charts/hawser: the edge where chart tests and the deploy
// renderer touch the file system and child processes. The binary comes from the project's shared
// tool builder (scripts/tools/ensure-tool.sh), so tests, CI and developers use the same helm.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const chartDir = join(repoRoot, 'charts', 'hawser');
/** The Kubernetes version templates are rendered for (capability checks, lint deprecations). */
export const kubeVersion = '1.32.0';

/** A rendered Kubernetes object; tests narrow the fields they assert on. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** The outcome of one helm run that may legitimately fail (a wrong value must fail). */
export interface HelmResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

let helmPath: string | undefined;

/**
 * The helm binary: $HELM when set, else the path printed by `scripts/tools/ensure-tool.sh helm`
 * (which builds it into .cache/tools/ the first time, so the first call can take minutes).
 */
export function helmBinary(): string {
  if (helmPath !== undefined) return helmPath;
  const fromEnv = process.env['HELM'];
  if (fromEnv !== undefined && fromEnv !== '') {
    helmPath = fromEnv;
    return helmPath;
  }
  const script = join(repoRoot, 'scripts', 'tools', 'ensure-tool.sh');
  const out = execFileSync('bash', [script, 'helm'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 20 * 60_000 });
  const lines = out.trim().split('\n');
  const last = lines[lines.length - 1];
  if (last === undefined || last === '') throw new Error(`${script} printed no helm path`);
  helmPath = last.trim();
  return helmPath;
}

/** Runs helm with `args`; never throws on a non-zero exit (the result says so). */
export function runHelm(args: readonly string[]): HelmResult {
  try {
    const stdout = execFileSync(helmBinary(), args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
    return { ok: true, stdout, stderr: '' };
  } catch (error: unknown) {
    const failed = error as { stdout?: string | Buffer; stderr?: string | Buffer };
    return { ok: false, stdout: String(failed.stdout ?? ''), stderr: String(failed.stderr ?? '') };
  }
}

/** Runs `fn` with a values file holding `values` (written as JSON, which is YAML). */
function withValuesFile<T>(values: object, fn: (valueArgs: string[]) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'hawser-chart-'));
  try {
    const file = join(dir, 'values.yaml');
    writeFileSync(file, JSON.stringify(values));
    return fn(['--values', file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface TemplateOptions {
  release?: string;
  namespace?: string;
}

/** `helm template` of the chart with `values`; the raw result, for tests of failures. */
export function templateRaw(values: object, options: TemplateOptions = {}): HelmResult {
  return withValuesFile(values, (valueArgs) => runHelm([
    'template', options.release ?? 'hawser', chartDir,
    '--namespace', options.namespace ?? 'hawser',
    '--kube-version', kubeVersion,
    ...valueArgs,
  ]));
}

/** `helm template` of the chart with `values`, parsed; throws with helm's message on failure. */
export function template(values: object, options: TemplateOptions = {}): K8sObject[] {
  const result = templateRaw(values, options);
  if (!result.ok) throw new Error(`helm template failed: ${result.stderr}`);
  return parseObjects(result.stdout);
}

/** `helm lint --strict` of the chart with `values`. */
export function lint(values: object): HelmResult {
  return withValuesFile(values, (valueArgs) => runHelm(['lint', '--strict', '--kube-version', kubeVersion, chartDir, ...valueArgs]));
}

/** Parses a multi-document YAML stream into objects, skipping empty documents. */
export function parseObjects(text: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors[0]?.message ?? ''}`);
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) objects.push(value as K8sObject);
  }
  return objects;
}
