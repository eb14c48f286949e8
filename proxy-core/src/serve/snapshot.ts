/**
 * The whole serving state as plane records: what a traffic worker is given when it starts or
 * restarts. The model's objects, then certificates and crt-lists, then route maps, and the
 * frontends last (a bind needs its certificates, a route its backend).
 */
import { certSetRecord, crtListRecord, type CertStore } from '../certs/cert-store.ts';
import type { MapStore } from '../maps/map-store.ts';
import type { Model } from '../model/model.ts';
import type { ChangeRecord } from '../workers/protocol.ts';

export function fullSnapshot(model: Model, maps: MapStore, certs: CertStore): ChangeRecord[] {
  const base = model.snapshot();
  const seq = model.bus.seq;
  const extra: ChangeRecord[] = [];
  for (const name of certs.certNames()) {
    const data = certs.cert(name)?.data;
    if (data !== undefined) extra.push({ ...certSetRecord(name, data), seq });
  }
  for (const listName of certs.listNames()) {
    const list = certs.list(listName);
    if (list === undefined) continue;
    for (const cert of new Set(list.entries.map((e) => e.cert))) extra.push({ ...crtListRecord(list, cert, certs.cert(cert)?.data), seq });
  }
  for (const ref of maps.all()) {
    extra.push({ kind: 'map.replace', map: ref.name, entries: maps.entriesOf(ref).map((e) => ({ key: e.key, value: e.value })), seq });
  }
  const firstFrontend = base.findIndex((r) => r.kind === 'frontend.add');
  const at = firstFrontend < 0 ? base.length : firstFrontend;
  return [...base.slice(0, at), ...extra, ...base.slice(at)];
}
