/**
 * `show servers state [<backend>]`: HAProxy's server-state file format, version 1, 25 fields.
 * Check status stays HCHK_STATUS_INI (1) and result UNKNOWN (0) until the data plane's checks
 * report. Servers in list order; backends in declaration order.
 */
import type { Model } from '../model/model.ts';
import type { Proxy } from '../model/proxy.ts';
import type { CommandSpec } from '../runtime/command.ts';
import { findBackend, refuse } from './lookup.ts';

export const SERVERS_STATE_HEADER = '1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n';

const HCHK_STATUS_INI = 1;
const CHK_RES_UNKNOWN = 0;

function dumpBackend(be: Proxy, now: number, out: string[]): void {
  const head = `${be.uuid} ${be.name} `;
  const bkForced = be.forcedId ? 1 : 0;
  for (const s of be.servers.values()) {
    const addr = s.family === 0 ? '-' : s.host;
    out.push(`${head}${s.puid} ${s.name} ${addr} ${s.op} ${s.admin} ${s.uweight} ${s.iweight} ${now - s.lastChange} ` +
      `${HCHK_STATUS_INI} ${CHK_RES_UNKNOWN} ${s.checkHealth} ${s.checkState & 0x0f} ${s.agentState & 0x1f} ${bkForced} ${s.forcedId ? 1 : 0} ` +
      `- ${s.port} - 0 0 - - 0\n`);
  }
}

export function showServersStateCommand(model: Model): CommandSpec {
  return {
    words: ['show', 'servers', 'state'],
    help: 'show servers state [<backend>]          : dump volatile server information (all or for a single backend)',
    level: 'user',
    run(args) {
      const ref = args[3];
      const now = model.nowSec();
      const out: string[] = [SERVERS_STATE_HEADER];
      if (ref !== undefined && ref !== '') {
        const be = findBackend(model, ref);
        if (be === undefined) return refuse(model, 'PXY_ERR_NO_BACKEND', "Can't find backend.");
        dumpBackend(be, now, out);
      } else {
        for (const p of model.proxies()) if (p.isBackend) dumpBackend(p, now, out);
      }
      return out.join('');
    },
  };
}
