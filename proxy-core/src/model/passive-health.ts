/**
 * The writer's side of passive health: workers report failed and recovered upstream connects
 * (`plane.observe`, dataplane/records.ts); each report counts as one check result for the
 * server's rise/fall logic (`checkResultPatch`), and a resulting state change is published as
 * `server.update` like any other. Reports apply only to servers whose health checks are enabled:
 * a server marked down by traffic alone would get no traffic and never be seen to recover, so
 * active checks must be there to bring it back (HAProxy's `observe layer4` has the same rule).
 */
import type { PlaneReport } from '../dataplane/records.ts';
import type { Model } from './model.ts';
import { CHK_ST_ENABLED } from './server.ts';
import { checkResultPatch } from './server-transitions.ts';

function isReport(m: unknown): m is PlaneReport {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as Record<string, unknown>;
  return r['type'] === 'plane.observe' && typeof r['key'] === 'number' && (r['event'] === 'connect-failed' || r['event'] === 'connect-ok');
}

/** What happened to a report, for metrics and tests. */
export type ReportOutcome = 'not-a-report' | 'unknown-server' | 'checks-disabled' | 'no-change' | 'applied';

/** Applies one message a worker posted (see WorkerPool's `onReport`). Never throws on input. */
export function applyPlaneReport(model: Model, message: unknown): ReportOutcome {
  if (!isReport(message)) return 'not-a-report';
  const srv = model.serverByKey(message.key);
  if (srv === undefined) return 'unknown-server';
  if ((srv.checkState & CHK_ST_ENABLED) === 0) return 'checks-disabled';
  const patch = checkResultPatch(srv, message.event === 'connect-ok');
  if (patch === null) return 'no-change';
  model.write(() => model.updateServer(srv, patch));
  return 'applied';
}
