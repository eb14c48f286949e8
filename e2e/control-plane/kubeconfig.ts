// Kubeconfig text for one cluster and one user; pure (the caller writes the file).
import { stringify } from 'yaml';

export type KubeconfigUser =
  | { readonly kind: 'client-certificate'; readonly certPath: string; readonly keyPath: string }
  | { readonly kind: 'token'; readonly token: string };

export interface KubeconfigInput {
  /** `https://127.0.0.1:<port>` */
  readonly server: string;
  /** Absolute path of the CA that signed the server's certificate. */
  readonly caPath: string;
  readonly userName: string;
  readonly user: KubeconfigUser;
}

/** Precondition: paths are absolute, so the file works from any working directory. */
export function renderKubeconfig(input: KubeconfigInput): string {
  const user = input.user.kind === 'token'
    ? { token: input.user.token }
    : { 'client-certificate': input.user.certPath, 'client-key': input.user.keyPath };
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'hawser-e2e', cluster: { server: input.server, 'certificate-authority': input.caPath } }],
    users: [{ name: input.userName, user }],
    contexts: [{ name: input.userName, context: { cluster: 'hawser-e2e', user: input.userName } }],
    'current-context': input.userName,
  });
}
