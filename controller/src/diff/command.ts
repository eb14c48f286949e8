/**
 * Runtime commands as data: what the differ decides and the runtime client formats (in one
 * place, runtime/format.ts). Types only. Each variant maps to one HAProxy CLI command, except
 * `replace-map`, which the client runs as `prepare map` / `add map @<ver>` … / `commit map @<ver>`
 * because the version number is only known from the proxy's reply, and `del-server`, which the
 * client runs as HAProxy's deletion protocol (retry while connections are attached).
 */
import type { Balance, RouteEntry, ServerState } from '../model/proxy-state.ts';

/** One backend-wide setting; `undefined` values reset the setting to the proxy's default. */
export type BackendSetting =
  | { readonly kind: 'balance'; readonly value: Balance }
  | { readonly kind: 'timeout-connect'; readonly ms: number | undefined }
  | { readonly kind: 'timeout-server'; readonly ms: number | undefined }
  | { readonly kind: 'httpchk'; readonly path: string | undefined }
  | { readonly kind: 'check-inter'; readonly ms: number | undefined };

export type Command =
  | { readonly op: 'add-backend'; readonly backend: string; readonly guid: string }
  | { readonly op: 'set-backend'; readonly backend: string; readonly setting: BackendSetting }
  | { readonly op: 'publish-backend'; readonly backend: string }
  | { readonly op: 'unpublish-backend'; readonly backend: string }
  | { readonly op: 'del-backend'; readonly backend: string }
  | {
      readonly op: 'add-server';
      readonly backend: string;
      readonly server: string;
      readonly address: string;
      readonly port: number;
      readonly guid: string;
      readonly weight: number;
    }
  | { readonly op: 'set-server-state'; readonly backend: string; readonly server: string; readonly state: ServerState }
  | { readonly op: 'set-server-weight'; readonly backend: string; readonly server: string; readonly weight: number }
  | { readonly op: 'set-server-addr'; readonly backend: string; readonly server: string; readonly address: string; readonly port: number }
  | { readonly op: 'enable-health' | 'disable-health'; readonly backend: string; readonly server: string }
  | { readonly op: 'del-server'; readonly backend: string; readonly server: string }
  | { readonly op: 'new-ssl-cert'; readonly name: string }
  | { readonly op: 'set-ssl-cert'; readonly name: string; readonly pem: string }
  | { readonly op: 'commit-ssl-cert'; readonly name: string }
  | { readonly op: 'del-ssl-cert'; readonly name: string }
  | { readonly op: 'add-crt-list'; readonly list: string; readonly cert: string; readonly snis: readonly string[] }
  | { readonly op: 'del-crt-list'; readonly list: string; readonly cert: string }
  | { readonly op: 'replace-map'; readonly map: string; readonly entries: readonly RouteEntry[] };

export type Op = Command['op'];
