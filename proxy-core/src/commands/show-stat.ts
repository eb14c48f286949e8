/**
 * `show stat` (CSV) and `show backend`. The CSV carries HAProxy's column header; Hawser fills the
 * identity, state, weight, check and configuration columns, and the traffic columns from the
 * counters the workers write (stats/counters.ts). Selector: `show stat [{<iid>|<proxy>} <type> <sid>] [up|no-maint]`
 * with type a bitmask (1 frontend, 2 backend, 4 server, 8 listener).
 */
import type { Model } from '../model/model.ts';
import { F } from '../stats/counters.ts';
import type { SharedCounters } from '../stats/counters.ts';
import type { Proxy } from '../model/proxy.ts';
import type { Server } from '../model/server.ts';
import { ADMF_DRAIN, ADMF_MAINT, CHK_ST_ENABLED, SRV_ST_RUNNING, SRV_ST_STARTING, SRV_ST_STOPPING } from '../model/server.ts';
import type { CommandSpec } from '../runtime/command.ts';
import { findBackend, refuse } from './lookup.ts';

export const STAT_COLUMNS = ('pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,' +
  'status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,' +
  'check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,' +
  'req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,' +
  'agent_code,agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr,' +
  'cookie,mode,algo,conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,reuse,cache_lookups,cache_hits,srv_icur,' +
  'src_ilim,qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,safe_conn_cur,used_conn_cur,need_conn_est,uweight,' +
  'agg_server_status,agg_server_check_status,agg_check_status,srid,sess_other,h1sess,h2sess,h3sess,req_other,h1req,h2req,h3req,proto').split(',');

const COL = new Map(STAT_COLUMNS.map((c, i) => [c, i]));
export const STAT_HEADER = `# ${STAT_COLUMNS.join(',')},\n`;

type Row = Partial<Record<string, string | number>>;

function csv(row: Row): string {
  const cells = new Array<string>(STAT_COLUMNS.length).fill('');
  for (const [k, v] of Object.entries(row)) {
    const i = COL.get(k);
    if (i !== undefined && v !== undefined) cells[i] = String(v);
  }
  return `${cells.join(',')},\n`;
}

const ZERO_COUNTERS = { stot: 0, bin: 0, bout: 0, scur: 0, smax: 0, rate: 0, rate_max: 0, conn_tot: 0 };

/**
 * Traffic columns from the shared counters the workers write (summed over workers). Frontends
 * count client connections; backends and servers count requests sent upstream.
 */
function traffic(counters: SharedCounters, slot: number, side: 'fe' | 'be', http: boolean): Row {
  if (slot < 0) return {};
  const sum = (f: number): number => counters.sum(slot, f);
  const row: Row = { bin: sum(F.BYTES_IN), bout: sum(F.BYTES_OUT) };
  if (side === 'fe') {
    Object.assign(row, { scur: sum(F.CONN_CUR), stot: sum(F.CONN_TOTAL), conn_tot: sum(F.CONN_TOTAL), dreq: sum(F.DENIED_REQ) });
    if (http) row['req_tot'] = sum(F.REQ_TOTAL);
  } else {
    Object.assign(row, {
      scur: sum(F.REQ_CUR), stot: sum(F.REQ_TOTAL), lbtot: sum(F.REQ_TOTAL), econ: sum(F.CONNECT_ERRORS), eresp: sum(F.RESPONSE_ERRORS),
      wretr: sum(F.RETRIES), wredis: sum(F.REDISPATCHES), connect: sum(F.CONN_TOTAL),
    });
  }
  if (http) {
    Object.assign(row, {
      hrsp_1xx: sum(F.RESP_1XX), hrsp_2xx: sum(F.RESP_2XX), hrsp_3xx: sum(F.RESP_3XX), hrsp_4xx: sum(F.RESP_4XX),
      hrsp_5xx: sum(F.RESP_5XX), hrsp_other: sum(F.RESP_OTHER),
    });
  }
  return row;
}

/** HAProxy's server status text (stats_fill_sv_stats), without tracking. */
export function serverStatus(s: Server): string {
  if ((s.admin & ADMF_MAINT) !== 0) return 'MAINT';
  const checks = (s.checkState & CHK_ST_ENABLED) !== 0;
  if (s.op === SRV_ST_RUNNING || s.op === SRV_ST_STARTING) {
    const goingDown = checks && s.checkHealth < s.rise + s.fall - 1;
    if ((s.admin & ADMF_DRAIN) !== 0) return 'DRAIN';
    if (goingDown) return `UP ${s.checkHealth - s.rise + 1}/${s.fall}`;
    return checks ? 'UP' : 'no check';
  }
  if (s.op === SRV_ST_STOPPING) return 'NOLB';
  if (checks && s.checkHealth !== 0) return `DOWN ${s.checkHealth}/${s.rise}`;
  return 'DOWN';
}

function serverRow(p: Proxy, s: Server, now: number, counters: SharedCounters): string {
  const checks = (s.checkState & CHK_ST_ENABLED) !== 0;
  const addr = s.family === 6 ? `[${s.host}]:${s.port}` : `${s.host}:${s.port}`;
  return csv({
    ...ZERO_COUNTERS, pxname: p.name, svname: s.name, qcur: 0, qmax: 0, slim: s.maxconn > 0 ? s.maxconn : '',
    dresp: 0, econ: 0, eresp: 0, wretr: 0, wredis: 0, status: serverStatus(s), weight: s.uweight,
    act: s.backup ? 0 : 1, bck: s.backup ? 1 : 0, chkfail: checks ? 0 : '', chkdown: checks ? 0 : '',
    lastchg: now - s.lastChange, downtime: checks ? 0 : '', pid: 1, iid: p.uuid, sid: s.puid, lbtot: 0, type: 2,
    check_status: checks ? 'INI' : '', check_rise: checks ? s.rise : '', check_fall: checks ? s.fall : '',
    check_health: checks ? s.checkHealth : '', addr, mode: p.settings.mode, cli_abrt: 0, srv_abrt: 0,
    lastsess: -1, qtime: 0, ctime: 0, rtime: 0, ttime: 0, wrew: 0, connect: 0, reuse: 0, eint: 0,
    safe_conn_cur: 0, need_conn_est: 0, uweight: s.uweight, srid: s.rid,
    proto: s.proto ?? '',
    ...traffic(counters, s.slot, 'be', p.settings.mode === 'http'),
    idle_conn_cur: s.slot < 0 ? 0 : counters.sum(s.slot, F.CONN_IDLE),
    used_conn_cur: s.slot < 0 ? 0 : counters.sum(s.slot, F.CONN_CUR) - counters.sum(s.slot, F.CONN_IDLE),
  });
}

function backendRow(p: Proxy, now: number, counters: SharedCounters): string {
  let act = 0, bck = 0, weight = 0, lastChange = 0;
  for (const s of p.servers.values()) {
    if (s.lastChange > lastChange) lastChange = s.lastChange;
    if (!s.usable) continue;
    if (s.backup) bck++;
    else act++;
    weight += s.uweight;
  }
  return csv({
    ...ZERO_COUNTERS, pxname: p.name, svname: 'BACKEND', qcur: 0, qmax: 0, slim: 0, dreq: 0, dresp: 0, econ: 0, eresp: 0,
    wretr: 0, wredis: 0, status: act + bck > 0 ? 'UP' : 'DOWN', weight, act, bck, chkdown: 0,
    lastchg: lastChange === 0 ? '' : now - lastChange, downtime: 0, pid: 1, iid: p.uuid, sid: 0, lbtot: 0, type: 1,
    cli_abrt: 0, srv_abrt: 0, lastsess: -1, qtime: 0, ctime: 0, rtime: 0, ttime: 0, mode: p.settings.mode,
    algo: p.settings.balance.algo, wrew: 0, connect: 0, reuse: 0, eint: 0, uweight: weight,
    ...traffic(counters, p.beSlot, 'be', p.settings.mode === 'http'),
  });
}

function frontendRow(p: Proxy, counters: SharedCounters): string {
  return csv({
    ...ZERO_COUNTERS, pxname: p.name, svname: 'FRONTEND', slim: 0, dreq: 0, dresp: 0, ereq: 0, status: 'OPEN',
    pid: 1, iid: p.uuid, sid: 0, type: 0, rate_lim: 0, req_rate: p.settings.mode === 'http' ? 0 : '', mode: p.settings.mode,
    conn_rate: 0, conn_rate_max: 0, intercepted: 0, dcon: 0, dses: 0, wrew: 0, eint: 0,
    ...traffic(counters, p.feSlot, 'fe', p.settings.mode === 'http'),
  });
}

export function showStatCommand(model: Model): CommandSpec {
  return {
    words: ['show', 'stat'],
    help: 'show stat [desc|json|no-maint|typed|up]*: report counters for each proxy and server',
    level: 'user',
    run(args) {
      let words = args.slice(2);
      const onlyUp = words.includes('up');
      const noMaint = words.includes('no-maint');
      words = words.filter((w) => !['up', 'no-maint', 'desc', 'typed', 'json'].includes(w));
      let only: Proxy | null = null;
      let type = -1;
      let sid = -1;
      if (words.length >= 3) {
        const [px, t, s] = words as [string, string, string];
        if (px !== '-1') {
          const byId = /^[0-9]+$/.test(px) ? findBackend(model, `#${px}`) ?? [...model.proxies()].find((p) => p.uuid === Number(px)) : undefined;
          const found = byId ?? findBackend(model, px) ?? model.frontend(px);
          if (found === undefined) return refuse(model, 'PXY_ERR_NO_BACKEND', 'No such proxy.');
          only = found;
        }
        type = Number(t);
        sid = Number(s);
        if (!Number.isInteger(type) || !Number.isInteger(sid)) return refuse(model, 'PXY_ERR_USAGE', 'Usage: show stat [{<iid>|<proxy>} <type> <sid>] [typed|json] [desc] [up|no-maint]');
      }
      const now = model.nowSec();
      const out = [STAT_HEADER];
      for (const p of model.proxies()) {
        if (only !== null && p !== only) continue;
        if (p.isFrontend && (type & 1) !== 0 && (sid === -1 || sid === 0)) out.push(frontendRow(p, model.counters));
        if (!p.isBackend) continue;
        if ((type & 4) !== 0) {
          for (const s of p.servers.values()) {
            if (sid !== -1 && s.puid !== sid) continue;
            if (noMaint && (s.admin & ADMF_MAINT) !== 0) continue;
            if (onlyUp && !(s.op === SRV_ST_RUNNING || s.op === SRV_ST_STARTING)) continue;
            out.push(serverRow(p, s, now, model.counters));
          }
        }
        if ((type & 2) !== 0 && (sid === -1 || sid === 0)) out.push(backendRow(p, now, model.counters));
      }
      return out.join('');
    },
  };
}

export function showBackendCommand(model: Model): CommandSpec {
  return {
    words: ['show', 'backend'],
    help: 'show backend                            : list backends in the current running config',
    level: 'user',
    run() {
      const out = ['# name\n'];
      for (const p of model.proxies()) if (p.isBackend) out.push(`${p.name}\n`);
      return out.join('');
    },
  };
}
