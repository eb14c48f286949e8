// A least-privileged identity: a ServiceAccount's token from the TokenRequest API (what the
// kubelet would mount into the pod) in a kubeconfig of its own, so a process run with it gets
// exactly the RBAC that the chart grants that ServiceAccount.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderKubeconfig } from './kubeconfig.ts';
import { kubectl } from './kubectl.ts';
import type { ControlPlane } from './control-plane.ts';

export interface ServiceAccountIdentity {
  readonly kubeconfigPath: string;
  readonly token: string;
  /** `system:serviceaccount:<namespace>:<name>`, the user name RBAC matches and `--as` takes. */
  readonly userName: string;
}

export interface ServiceAccountIdentityOptions {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Token lifetime; default 2 h (the API server's minimum is 10 min). */
  readonly durationSeconds?: number;
}

/**
 * Precondition: the ServiceAccount exists (no controller creates it here; `helm install` or the
 * test does). Writes `<plane.dir>/sa-<namespace>-<name>.kubeconfig`.
 */
export async function createServiceAccountIdentity(plane: ControlPlane, options: ServiceAccountIdentityOptions): Promise<ServiceAccountIdentity> {
  const duration = options.durationSeconds ?? 7200;
  const token = (await kubectl(plane.kubeconfigPath, [
    'create', 'token', options.serviceAccount, '--namespace', options.namespace, `--duration=${duration}s`,
  ])).trim();
  const userName = `system:serviceaccount:${options.namespace}:${options.serviceAccount}`;
  const kubeconfigPath = join(plane.dir, `sa-${options.namespace}-${options.serviceAccount}.kubeconfig`);
  await writeFile(kubeconfigPath, renderKubeconfig({
    server: plane.server, caPath: plane.caPath, userName, user: { kind: 'token', token },
  }), { mode: 0o600 });
  return { kubeconfigPath, token, userName };
}
