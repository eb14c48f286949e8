/**
 * Server state transitions (HAProxy's srv_set_admin_flag / srv_clr_admin_flag / srv_set_*),
 * as pure functions returning a patch for `model.updateServer`. The data plane's health checks
 * will drive `healthPatch` through the same writer section.
 */
import type { ServerPatch } from './model.ts';
import type { Server } from './server.ts';
import {
  ADMF_CMAINT, ADMF_FDRAIN, ADMF_FMAINT, ADMF_MAINT, CHK_ST_ENABLED, CHK_ST_PAUSED,
  SRV_ST_RUNNING, SRV_ST_STOPPED, SRV_ST_STOPPING,
} from './server.ts';

/**
 * Sets then clears admin flags. Entering maintenance stops the server and pauses its checks;
 * leaving it starts the server again (checks restart from `rise`, "start OK but check
 * immediately"). Clearing FMAINT also clears CMAINT (the config's `disabled`).
 */
export function adminPatch(srv: Server, set: number, clear: number): ServerPatch {
  let admin = (srv.admin | set) & ~clear;
  if ((clear & ADMF_FMAINT) !== 0) admin &= ~ADMF_CMAINT;
  const wasMaint = (srv.admin & ADMF_MAINT) !== 0;
  const isMaint = (admin & ADMF_MAINT) !== 0;
  const checksOn = (srv.checkState & CHK_ST_ENABLED) !== 0;
  if (isMaint && !wasMaint) {
    return checksOn
      ? { admin, op: SRV_ST_STOPPED, checkState: srv.checkState | CHK_ST_PAUSED, checkHealth: 0 }
      : { admin, op: SRV_ST_STOPPED };
  }
  if (!isMaint && wasMaint) {
    return {
      admin, op: SRV_ST_RUNNING, checkState: srv.checkState & ~CHK_ST_PAUSED, agentState: srv.agentState & ~CHK_ST_PAUSED,
      checkHealth: checksOn ? srv.rise : srv.checkHealth,
    };
  }
  return { admin };
}

export const readyPatch = (s: Server): ServerPatch => adminPatch(s, 0, ADMF_FMAINT | ADMF_FDRAIN);
export const drainPatch = (s: Server): ServerPatch => adminPatch(s, ADMF_FDRAIN, ADMF_FMAINT);
export const maintPatch = (s: Server): ServerPatch => adminPatch(s, ADMF_FMAINT, ADMF_FDRAIN);

/** `set server … health up|stopping|down` (and, later, check results). */
export function healthPatch(srv: Server, to: 'up' | 'stopping' | 'down'): ServerPatch {
  const inMaint = (srv.admin & ADMF_MAINT) !== 0;
  const full = srv.rise + srv.fall - 1;
  if (to === 'down') return inMaint ? { checkHealth: 0 } : { checkHealth: 0, op: SRV_ST_STOPPED };
  const op = to === 'up' ? SRV_ST_RUNNING : SRV_ST_STOPPING;
  return inMaint ? { checkHealth: full } : { checkHealth: full, op };
}

/**
 * One health check result (active, or a passive observation counted as one), HAProxy's
 * check_notify_success/failure: health runs 0..rise+fall-1 and the server is up from `rise`.
 * A success while down climbs one step and, on reaching `rise`, jumps to full health and starts
 * the server; a failure while up steps down and, from `rise`, drops to 0 and stops the server.
 * A server in maintenance keeps its op state (the change shows when it leaves maintenance).
 */
export function checkResultPatch(srv: Server, passed: boolean): ServerPatch | null {
  const full = srv.rise + srv.fall - 1;
  const h = srv.checkHealth;
  const inMaint = (srv.admin & ADMF_MAINT) !== 0;
  if (passed) {
    if (h >= full) return null;
    if (h + 1 < srv.rise) return { checkHealth: h + 1 };
    return inMaint || srv.op === SRV_ST_RUNNING ? { checkHealth: full } : { checkHealth: full, op: SRV_ST_RUNNING };
  }
  if (h > srv.rise) return { checkHealth: h - 1 };
  if (h === 0 && srv.op === SRV_ST_STOPPED) return null;
  return inMaint ? { checkHealth: 0 } : { checkHealth: 0, op: SRV_ST_STOPPED };
}

/**
 * HAProxy's `server_parse_weight_change_request`: `<w>` absolute (0..256) or `<w>%` of the
 * initial weight. Returns the new user weight or the exact error text.
 */
export function parseWeightChange(srv: Server, text: string | undefined, dynamicLb: boolean): number | { error: string } {
  if (text === undefined || text === '') return { error: 'Require <weight> or <weight%>.' };
  const m = /^\s*([+-]?[0-9]+)(.*)$/s.exec(text);
  if (m === null) return { error: 'Empty weight string empty or preceded by garbage' };
  let w = Number(m[1]);
  const rest = m[2] as string;
  if (rest === '%') {
    if (w < 0) return { error: 'Relative weight must be positive.' };
    w = Math.floor(srv.iweight * Math.min(w, 25600) / 100);
    if (w > 256) w = 256;
  } else if (w < 0 || w > 256) {
    return { error: 'Absolute weight can only be between 0 and 256 inclusive.' };
  } else if (rest !== '') {
    return { error: 'Trailing garbage in weight string' };
  }
  if (w !== 0 && w !== srv.iweight && !dynamicLb) {
    return { error: "Backend is using a static LB algorithm and only accepts weights '0%' and '100%'." };
  }
  return w;
}
