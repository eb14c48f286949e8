/**
 * Server state commands: `set server` (state, weight, health, agent), `enable|disable server`,
 * `enable|disable health`, `enable|disable agent`, `set weight`, `get weight`. Lookup first,
 * then the sub-command, as HAProxy's handlers do; silent on success.
 */
import type { Model } from '../model/model.ts';
import { balanceIsDynamic } from '../model/proxy.ts';
import type { Server } from '../model/server.ts';
import { CHK_ST_CONFIGURED, CHK_ST_ENABLED, SRV_ST_STOPPED } from '../model/server.ts';
import { drainPatch, healthPatch, maintPatch, parseWeightChange, readyPatch } from '../model/server-transitions.ts';
import type { ServerPatch } from '../model/model.ts';
import type { CommandSpec } from '../runtime/command.ts';
import { afterVisible, findServer, isFailure, line, refuse } from './lookup.ts';

const SET_SERVER_USAGE = 'usage: set server <backend>/<server> addr | agent | agent-addr | agent-port | agent-send | check-addr | check-port | fqdn | health | name | ssl | state | weight';
const NOT_SUPPORTED = new Set(['addr', 'agent-addr', 'agent-port', 'agent-send', 'check-addr', 'check-port', 'fqdn', 'name', 'ssl']);

function apply(model: Model, srv: Server, patch: ServerPatch): string | Promise<string> {
  model.write(() => model.updateServer(srv, patch));
  return afterVisible(model, '');
}

function setWeight(model: Model, srv: Server, text: string | undefined): string | Promise<string> {
  const w = parseWeightChange(srv, text, balanceIsDynamic(srv.backend.settings.balance));
  if (typeof w !== 'number') return refuse(model, 'PXY_ERR_WEIGHT', w.error);
  return apply(model, srv, { uweight: w });
}

/** A command `<verb> <object> <be>/<srv>` that applies `act` to the server. */
function serverVerb(model: Model, words: [string, string], help: string, act: (srv: Server) => ServerPatch | string | null): CommandSpec {
  return {
    words, help, level: 'admin',
    run(args) {
      const srv = findServer(model, args[2]);
      if (isFailure(srv)) return refuse(model, srv.code, srv.text);
      const r = act(srv);
      if (r === null) return '';
      return typeof r === 'string' ? refuse(model, 'PXY_ERR_NO_CHECK', r) : apply(model, srv, r);
    },
  };
}

export function serverStateCommands(model: Model): CommandSpec[] {
  return [
    {
      words: ['set', 'server'],
      help: "set server <bk>/<srv> [opts]            : change a server's state, weight, address or ssl",
      level: 'admin',
      run(args) {
        const srv = findServer(model, args[2]);
        if (isFailure(srv)) return refuse(model, srv.code, srv.text);
        const sub = args[3] ?? '';
        const v = args[4];
        switch (sub) {
          case 'state':
            if (v === 'ready') return apply(model, srv, readyPatch(srv));
            if (v === 'drain') return apply(model, srv, drainPatch(srv));
            if (v === 'maint') return apply(model, srv, maintPatch(srv));
            return refuse(model, 'PXY_ERR_STATE', "'set server <srv> state' expects 'ready', 'drain' and 'maint'.");
          case 'weight':
            return setWeight(model, srv, v);
          case 'health':
            if (v === 'up' || v === 'stopping' || v === 'down') return apply(model, srv, healthPatch(srv, v));
            return refuse(model, 'PXY_ERR_STATE', "'set server <srv> health' expects 'up', 'stopping', or 'down'.");
          case 'agent':
            return refuse(model, 'PXY_ERR_NO_CHECK', 'agent checks are not enabled on this server.');
        }
        if (NOT_SUPPORTED.has(sub)) return refuse(model, 'PXY_ERR_USAGE', `'set server <srv> ${sub}' is not supported by Hawser.`);
        return refuse(model, 'PXY_ERR_USAGE', SET_SERVER_USAGE);
      },
    },
    {
      words: ['set', 'weight'],
      help: "set weight <bk>/<srv>  (DEPRECATED)     : change a server's weight (use 'set server' instead)",
      level: 'admin',
      run(args) {
        const srv = findServer(model, args[2]);
        if (isFailure(srv)) return refuse(model, srv.code, srv.text);
        return setWeight(model, srv, args[3]);
      },
    },
    {
      words: ['get', 'weight'],
      help: "get weight <bk>/<srv>                   : report a server's current weight",
      level: 'user',
      run(args) {
        const srv = findServer(model, args[2], { noBackend: "Can't find backend.", noServer: "Can't find server." });
        if (isFailure(srv)) return refuse(model, srv.code, srv.text);
        return line(`${srv.uweight} (initial ${srv.iweight})`);
      },
    },
    serverVerb(model, ['enable', 'server'], "enable server  (DEPRECATED)             : enable a disabled server (use 'set server' instead)", readyPatch),
    serverVerb(model, ['disable', 'server'], "disable server (DEPRECATED)             : disable a server for maintenance (use 'set server' instead)", maintPatch),
    serverVerb(model, ['enable', 'health'], 'enable health                           : enable health checks', (srv) =>
      (srv.checkState & CHK_ST_CONFIGURED) === 0
        ? 'Health check was not configured on this server, cannot enable.'
        // A running server starts its checks from `rise` ("start OK but check immediately").
        : { checkState: srv.checkState | CHK_ST_ENABLED, checkHealth: srv.op !== SRV_ST_STOPPED && srv.checkHealth < srv.rise ? srv.rise : srv.checkHealth }),
    serverVerb(model, ['disable', 'health'], 'disable health                          : disable health checks', (srv) =>
      ({ checkState: srv.checkState & ~CHK_ST_ENABLED })),
    serverVerb(model, ['enable', 'agent'], 'enable agent                            : enable agent checks', () =>
      'Agent was not configured on this server, cannot enable.'),
    serverVerb(model, ['disable', 'agent'], 'disable agent                           : disable agent checks', () => null),
  ];
}
