// Command lines of etcd and kube-apiserver for a test control plane; pure.
import type { Pki } from './pki.ts';

export interface EtcdArgsInput {
  readonly dataDir: string;
  readonly clientUrl: string;
  readonly peerUrl: string;
}

export function etcdArgs(input: EtcdArgsInput): string[] {
  return [
    '--name', 'e2e', '--data-dir', input.dataDir,
    '--listen-client-urls', input.clientUrl, '--advertise-client-urls', input.clientUrl,
    '--listen-peer-urls', input.peerUrl, '--initial-advertise-peer-urls', input.peerUrl,
    '--initial-cluster', `e2e=${input.peerUrl}`,
    // Test data need not survive a power cut; fsync would dominate on a shared disk.
    '--unsafe-no-fsync', '--logger', 'zap', '--log-level', 'warn',
  ];
}

export interface ApiServerArgsInput {
  readonly etcdUrl: string;
  readonly port: number;
  readonly pki: Pki;
  /** Appended last, so they override the defaults (kube-apiserver takes the last value). */
  readonly extra?: readonly string[];
}

export function apiServerArgs(input: ApiServerArgsInput): string[] {
  const { pki } = input;
  return [
    `--etcd-servers=${input.etcdUrl}`,
    '--bind-address=127.0.0.1', `--secure-port=${input.port}`,
    `--cert-dir=${pki.dir}`,
    `--tls-cert-file=${pki.serverCert}`, `--tls-private-key-file=${pki.serverKey}`,
    `--client-ca-file=${pki.caCert}`,
    `--service-account-issuer=https://127.0.0.1:${input.port}`,
    `--service-account-key-file=${pki.saPublicKey}`,
    `--service-account-signing-key-file=${pki.saPrivateKey}`,
    '--service-cluster-ip-range=10.0.0.0/24',
    '--authorization-mode=RBAC',
    // Nothing creates the default ServiceAccount per namespace without kube-controller-manager.
    '--disable-admission-plugins=ServiceAccount',
    '--allow-privileged=true',
    // Less CPU on shared cores; a handful of test clients need no fairness.
    '--enable-priority-and-fairness=false',
    '--profiling=false',
    '--v=1',
    ...(input.extra ?? []),
  ];
}
