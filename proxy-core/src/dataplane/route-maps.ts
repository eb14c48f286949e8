/**
 * The route maps of one worker: one builder and one compiled table per map name (`routing/`).
 * A frontend holds its map's slot, so a request reads `slot.table` (one reference) and a map swap
 * replaces that reference: a request sees the old table or the new one, never a mix.
 */
import { RouteTableBuilder } from '../routing/route-table-builder.ts';
import { RouteTable } from '../routing/route-table.ts';
import { parseRouteEntry, type RouteEntry } from '../routing/route-entry.ts';
import type { MapEntry } from './records.ts';

export interface RouteMapSlot {
  readonly name: string;
  table: RouteTable;
}

interface MapState {
  readonly slot: RouteMapSlot;
  readonly builder: RouteTableBuilder;
}

function parsed(key: string, value: string): RouteEntry {
  const p = parseRouteEntry(key, value);
  // The writer validated the entry already; reaching this is a writer bug worth reporting.
  if (!p.ok) throw new Error(`invalid route-map entry ${JSON.stringify(key)}: ${p.error.code}`);
  return p.value;
}

export class RouteMaps {
  private readonly maps = new Map<string, MapState>();

  /** The slot of a map, created empty when no record named it yet (a frontend may come first). */
  slot(name: string): RouteMapSlot {
    return this.state(name).slot;
  }

  replace(name: string, entries: readonly MapEntry[]): void {
    const st = this.state(name);
    // Parse everything before touching the live builder: a bad entry leaves the old table serving.
    const list = entries.map((e) => parsed(e.key, e.value));
    st.builder.clear();
    for (const e of list) st.builder.add(e);
    st.slot.table = st.builder.build();
  }

  add(name: string, key: string, value: string): void {
    const st = this.state(name);
    st.builder.add(parsed(key, value));
    st.slot.table = st.builder.build();
  }

  del(name: string, key: string): void {
    const st = this.state(name);
    st.builder.removeKey(key);
    st.slot.table = st.builder.build();
  }

  /**
   * `set map`: the entries with this key get the new value. They move behind the other entries,
   * which matters only against a different key with the same normalized path (`prefix:/a` and
   * `prefix:/a/`), where the first one wins.
   */
  set(name: string, key: string, value: string): void {
    const st = this.state(name);
    const entry = parsed(key, value);
    if (st.builder.removeKey(key) === 0) return;
    st.builder.add(entry);
    st.slot.table = st.builder.build();
  }

  clear(): void {
    for (const st of this.maps.values()) {
      st.builder.clear();
      st.slot.table = RouteTable.EMPTY;
    }
  }

  private state(name: string): MapState {
    let st = this.maps.get(name);
    if (st === undefined) {
      st = { slot: { name, table: RouteTable.EMPTY }, builder: new RouteTableBuilder() };
      this.maps.set(name, st);
    }
    return st;
  }
}
