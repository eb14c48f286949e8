/**
 * Resolving the objects a runtime command names. HAProxy's syntax: `<backend>/<server>` split at
 * the first `/`, backend by name or `#<uuid>`, server by name or `#<puid>`. Hawser adds GUIDs:
 * `guid:<GUID>` in place of `<backend>/<server>` names a server, and in place of `<backend>`
 * names a backend. A GUID never holds `/`, so `guid:<GUID>` cannot be read as `<be>/<srv>`;
 * for backend arguments the `guid:` prefix always means a GUID (a backend whose name starts
 * with `guid:` stays reachable as `#<uuid>`). Lookups are plain reads between writer sections.
 */
import type { Failure, PxyErrorCode } from '../errors.ts';
import { fail } from '../errors.ts';
import type { Model } from '../model/model.ts';
import { Proxy } from '../model/proxy.ts';
import { Server } from '../model/server.ts';

export const GUID_PREFIX = 'guid:';

/** A live backend (or listen section) by name, `#<uuid>` or `guid:<GUID>`. */
export function findBackend(model: Model, ref: string): Proxy | undefined {
  if (ref.startsWith(GUID_PREFIX)) {
    const o = model.byGuid(ref.slice(GUID_PREFIX.length));
    return o instanceof Proxy && o.isBackend ? o : undefined;
  }
  return model.backend(ref);
}

export function findServerIn(be: Proxy, ref: string): Server | undefined {
  if (ref.startsWith('#')) {
    const id = Number(ref.slice(1));
    return Number.isInteger(id) ? be.serversById.get(id) : undefined;
  }
  return be.servers.get(ref);
}

/** A live server (not deleted) holding `guid`. */
function serverByGuid(model: Model, key: string): Server | undefined {
  const o = model.byGuid(key);
  return o instanceof Server && !o.deleted ? o : undefined;
}

export interface ServerRefTexts {
  readonly noBackend: string;
  readonly noServer: string;
}

const CLI_FIND_SERVER: ServerRefTexts = { noBackend: 'No such backend.', noServer: 'No such server.' };

/**
 * HAProxy's `cli_find_server` order: `Require 'backend/server'.`, `No such backend.`,
 * `No such server.`, then `Proxy is disabled.` (`texts` lets `get weight` use its own wording).
 */
export function findServer(model: Model, spec: string | undefined, texts: ServerRefTexts = CLI_FIND_SERVER): Server | Failure {
  const s = spec ?? '';
  if (s.startsWith(GUID_PREFIX) && !s.includes('/')) {
    const srv = serverByGuid(model, s.slice(GUID_PREFIX.length));
    if (srv === undefined) return fail('PXY_ERR_NO_SERVER', texts.noServer);
    return checkEnabled(srv);
  }
  const slash = s.indexOf('/');
  if (slash < 0 || slash === s.length - 1) return fail('PXY_ERR_USAGE', "Require 'backend/server'.");
  const be = findBackend(model, s.slice(0, slash));
  if (be === undefined) return fail('PXY_ERR_NO_BACKEND', texts.noBackend);
  const srv = findServerIn(be, s.slice(slash + 1));
  if (srv === undefined) return fail('PXY_ERR_NO_SERVER', texts.noServer);
  return checkEnabled(srv);
}

function checkEnabled(srv: Server): Server | Failure {
  if (srv.backend.disabled) return fail('PXY_ERR_PROXY_DISABLED', 'Proxy is disabled.');
  return srv;
}

export function isFailure(x: unknown): x is Failure {
  return typeof x === 'object' && x !== null && 'code' in x && 'text' in x && !(x instanceof Server) && !(x instanceof Proxy);
}

/** A refused command: counts the refusal by code (for logs and metrics), replies the text. */
export function refuse(model: Model, code: PxyErrorCode, text: string): string {
  model.refusals.set(code, (model.refusals.get(code) ?? 0) + 1);
  return `${text}\n`;
}

/** A reply line: HAProxy's messages end with a newline; the framing adds the empty line. */
export function line(text: string): string {
  return `${text}\n`;
}

/** Replies once every worker has applied the change (at once when nobody subscribes). */
export function afterVisible(model: Model, reply: string): string | Promise<string> {
  const p = model.whenVisible();
  return p === null ? reply : p.then(() => reply);
}
