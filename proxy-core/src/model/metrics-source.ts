/** The model as seen by proxy-core's metrics (metrics/proxy-metrics.ts): names, GUIDs, slots, states. */
import type { MeteredProxy, MeteredServer, MetricsSource, ServerStateName } from '../metrics/proxy-metrics.ts';
import type { Model } from './model.ts';
import { planeAdmin } from './plane-records.ts';
import type { Server } from './server.ts';
import { CHK_ST_ENABLED, SRV_ST_RUNNING, SRV_ST_STARTING } from './server.ts';

function stateOf(s: Server): ServerStateName {
  const admin = planeAdmin(s);
  if (admin !== 'ready') return admin;
  return s.op === SRV_ST_RUNNING || s.op === SRV_ST_STARTING ? 'ready' : 'down';
}

export function modelMetricsSource(model: Model): MetricsSource {
  return {
    *proxies(): Iterable<MeteredProxy> {
      for (const p of model.proxies()) {
        const guid = p.guid ?? '';
        if (p.feSlot >= 0) yield { kind: 'frontend', name: p.name, guid, slot: p.feSlot };
        if (p.beSlot >= 0) yield { kind: 'backend', name: p.name, guid, slot: p.beSlot };
      }
    },
    *servers(): Iterable<MeteredServer> {
      for (const p of model.proxies()) {
        for (const s of p.servers.values()) {
          const checks = (s.checkState & CHK_ST_ENABLED) !== 0;
          yield {
            backend: p.name, name: s.name, guid: s.guid ?? '', slot: s.slot, state: stateOf(s),
            checkPassed: checks ? s.checkHealth >= s.rise : null,
          };
        }
      }
    },
  };
}
