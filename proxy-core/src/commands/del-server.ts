/**
 * `del server <backend>/<server>` and the removability check `wait … srv-removable` polls.
 * HAProxy's order: backend/server syntax, backend, server, references, maintenance, live
 * connections (the only recoverable case). The server is detached at once (its name, ID and
 * GUID are free again); its counter slot is released when it is destroyed, once every worker
 * applied the deletion and its connection counters read 0 (`model.reap()`, run periodically).
 */
import type { Failure } from '../errors.ts';
import { fail } from '../errors.ts';
import type { Model } from '../model/model.ts';
import type { Server } from '../model/server.ts';
import type { CommandSpec } from '../runtime/command.ts';
import { afterVisible, findServer, isFailure, line, refuse } from './lookup.ts';

export const TEXT_REFERENCED = 'This server cannot be removed at runtime due to other configuration elements pointing to it.';
export const TEXT_NOT_MAINT = 'Only servers in maintenance mode can be deleted.';
export const TEXT_BUSY = 'Server still has connections attached to it, cannot remove it.';

/** Checks 2–6 of HAProxy's `srv_check_for_deletion`; `recoverable` only for live connections. */
export function checkRemovable(model: Model, spec: string | undefined): { srv: Server } | { failure: Failure; recoverable: boolean } {
  const srv = findServer(model, spec);
  if (isFailure(srv)) return { failure: srv, recoverable: false };
  if (srv.referenced) return { failure: fail('PXY_ERR_SERVER_REFERENCED', TEXT_REFERENCED), recoverable: false };
  if (!srv.inMaint) return { failure: fail('PXY_ERR_SERVER_NOT_IN_MAINT', TEXT_NOT_MAINT), recoverable: false };
  if (model.attachedConnections(srv) > 0) return { failure: fail('PXY_ERR_SERVER_BUSY', TEXT_BUSY), recoverable: true };
  return { srv };
}

export function delServerCommand(model: Model): CommandSpec {
  return {
    words: ['del', 'server'],
    help: 'del server <bk>/<srv>                   : remove a dynamically added server',
    level: 'admin',
    run(args) {
      const r = checkRemovable(model, args[2]);
      if ('failure' in r) return refuse(model, r.failure.code, r.failure.text);
      model.write(() => model.deleteServer(r.srv));
      // Without workers the deletion is applied everywhere already: destroy it now.
      if (model.bus.subscriberCount === 0) model.reap();
      return afterVisible(model, line('Server deleted.'));
    },
  };
}
