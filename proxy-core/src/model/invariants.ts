/**
 * The model's invariants, checkable at any point between writer sections. Concurrency and fuzz
 * tests call `checkModelInvariants(model)` after every step; an empty list means all hold:
 * - the GUID tree and the model agree: every key maps to a live owner (proxy, listener of a live
 *   frontend, or live server; a deleted server gives its GUID back at once) whose `guid` is that key;
 * - every owner holding a GUID is in the tree under it: no GUID is held twice or leaked;
 * - the tree's count equals the number of owners holding a GUID;
 * - per backend, the name map, the ID index and the ID allocator agree; puids are unique;
 * - zombies are deleted and detached; no writer section is left open.
 */
import type { GuidOwner } from '../guid/tree.ts';
import type { Model } from './model.ts';

export function checkModelInvariants(model: Model): string[] {
  const errs: string[] = [];
  if (model.writing) errs.push('a writer section is still open');
  const owners = new Set<GuidOwner>();
  const note = (o: GuidOwner): void => {
    if (o.guid === null) return;
    if (owners.has(o)) errs.push(`${o.guidName} is counted twice`);
    owners.add(o);
    const held = model.guids.lookup(o.guid);
    if (held !== o) errs.push(`${o.guidName} claims GUID '${o.guid}' but the tree gives it to ${held === undefined ? 'nobody' : held.guidName}`);
  };
  for (const p of model.proxies()) {
    note(p);
    for (const l of p.listeners) note(l);
    if (!p.isBackend) continue;
    if (p.servers.size !== p.serversById.size) errs.push(`backend ${p.name}: ${p.servers.size} names but ${p.serversById.size} IDs`);
    if (p.serverIds.size !== p.servers.size) errs.push(`backend ${p.name}: allocator holds ${p.serverIds.size} IDs for ${p.servers.size} servers`);
    for (const [name, s] of p.servers) {
      if (s.name !== name) errs.push(`server ${p.name}/${s.name} is filed under '${name}'`);
      if (s.deleted) errs.push(`${s.guidName} is deleted but still listed`);
      if (s.backend !== p) errs.push(`${s.guidName} is listed in ${p.name} but points elsewhere`);
      if (p.serversById.get(s.puid) !== s) errs.push(`${s.guidName}: ID ${s.puid} does not map back to it`);
      if (!p.serverIds.isUsed(s.puid)) errs.push(`${s.guidName}: ID ${s.puid} is not reserved`);
      if (s.slot < 0) errs.push(`${s.guidName} has no counter slot`);
      if (model.serverByKey(s.key) !== s) errs.push(`${s.guidName}: key ${s.key} does not map back to it`);
      note(s);
    }
  }
  for (const z of model.zombies) {
    if (!z.deleted) errs.push(`${z.guidName} waits for destruction but is not deleted`);
    if (z.backend.servers.get(z.name) === z) errs.push(`${z.guidName} waits for destruction but is still listed`);
    if (model.serverByKey(z.key) === z) errs.push(`${z.guidName} waits for destruction but is still found by key`);
    note(z);
  }
  for (const [key, o] of model.guids.entries()) {
    if (o.guid !== key) errs.push(`tree key '${key}' points to ${o.guidName} whose GUID is '${String(o.guid)}'`);
    if (!owners.has(o)) errs.push(`tree key '${key}' is held by ${o.guidName}, which is not in the model (leaked)`);
  }
  if (model.guids.count !== owners.size) errs.push(`tree holds ${model.guids.count} GUIDs for ${owners.size} owners`);
  return errs;
}

/** Throws with every violated invariant listed. */
export function assertModelInvariants(model: Model): void {
  const errs = checkModelInvariants(model);
  if (errs.length > 0) throw new Error(`model invariants violated:\n  ${errs.join('\n  ')}`);
}
