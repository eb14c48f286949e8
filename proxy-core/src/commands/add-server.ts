/**
 * `add server <backend>/<server> <addr>[:port] [kw args]*`, with HAProxy's checks in HAProxy's
 * order (3.3+: the duplicate name wins over any keyword or GUID error). Everything is validated
 * before the writer section opens, so a failure reserves nothing (GUID, ID, name, slot).
 */
import { parseServerKeywords, DYNAMIC_SERVER_KEYWORDS } from '../config/server-keywords.ts';
import { backendCheckInterval } from './set-backend.ts';
import { invalidNameChar, parseAddress } from '../config/values.ts';
import type { Model } from '../model/model.ts';
import { balanceIsDynamic } from '../model/proxy.ts';
import type { CommandSpec } from '../runtime/command.ts';
import { afterVisible, findBackend, line, refuse } from './lookup.ts';

export function addServerCommand(model: Model): CommandSpec {
  return {
    words: ['add', 'server'],
    help: 'add server <bk>/<srv>                   : create a new server',
    level: 'admin',
    run(args) {
      const spec = args[2] ?? '';
      if (spec === 'help') return line('List of keywords supported for dynamic server:') + DYNAMIC_SERVER_KEYWORDS.map(line).join('');
      const slash = spec.indexOf('/');
      if (slash < 0 || slash === spec.length - 1) return refuse(model, 'PXY_ERR_USAGE', "Require 'backend/server'.");
      const be = findBackend(model, spec.slice(0, slash));
      if (be === undefined) return refuse(model, 'PXY_ERR_NO_BACKEND', 'No such backend.');
      if (!balanceIsDynamic(be.settings.balance)) {
        return refuse(model, 'PXY_ERR_DYNAMIC_UNSUPPORTED', `Backend does not support dynamic servers : ${be.capName} '${be.name}' uses a non dynamic load balancing method.`);
      }
      const name = spec.slice(slash + 1);
      if (be.servers.has(name)) return refuse(model, 'PXY_ERR_SERVER_EXISTS', 'Already exists a server with the same name in backend.');
      const badChar = invalidNameChar(name);
      if (badChar !== null) return refuse(model, 'PXY_ERR_SERVER_NAME', `character '${badChar}' is not permitted in server name '${name}'.`);
      const addrText = args[3];
      if (addrText === undefined || addrText === '') return refuse(model, 'PXY_ERR_SERVER_ADDRESS', "'server' expects <name> and <addr>[:<port>] as arguments.");
      const addr = parseAddress(addrText, false);
      if (addr === null) return refuse(model, 'PXY_ERR_SERVER_ADDRESS', `'server ${be.name}/${name}' : invalid address: '${addrText}'.`);
      const kw = parseServerKeywords(args, 4, {
        name, dynamic: true,
        checkGuid: (key) => model.guids.check(key),
        checkId: (id) => {
          const other = be.serversById.get(id);
          return other === undefined ? null : `${other.dynamic ? '(cli)' : `${be.file}:${other.line}`} ('server ${other.name}')`;
        },
      });
      if (!kw.ok) return refuse(model, kw.code, kw.error);
      // The keyword parser returned a fresh object: completed in place (hot path).
      const settings = kw.settings;
      // `set backend … check-inter` gives new servers their check interval unless they name one.
      const inter = backendCheckInterval(be);
      if (inter !== null && !args.includes('inter')) settings.inter = inter;
      settings.host = addr.host;
      settings.port = addr.port;
      settings.family = addr.family;
      if (settings.proto !== null && be.settings.mode === 'tcp') return refuse(model, 'PXY_ERR_SERVER_MUX', 'MUX protocol is not usable for server.');
      if (settings.id === null && be.serverIds.peek() === 0) return refuse(model, 'PXY_ERR_NO_ID_LEFT', 'Cannot attach server : no id left in proxy');
      model.write(() => model.addServer(be, name, settings, true));
      return afterVisible(model, line('New server registered.'));
    },
  };
}
