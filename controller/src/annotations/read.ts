/**
 * Reads the hawser.dev/ annotations of one object into backend settings, and merges the settings
 * several objects ask for on one backend. Pure.
 */
import type { BackendSettings } from '../model/proxy-state.ts';
import type { ModelWarning, ObjectRef } from '../model/warnings.ts';
import { cmp } from '../model/warnings.ts';
import { preview } from '../model/validate.ts';
import { ANNOTATION_PREFIX, ANNOTATIONS } from './table.ts';

export interface ReadResult {
  readonly settings: BackendSettings;
  readonly warnings: readonly ModelWarning[];
}

/** Results by annotation-map identity (records are immutable), checked against the object. */
const memo = new WeakMap<object, ReadResult & { uid: string }>();

/** Precondition: none; any annotation map is fine, including hostile keys and values. */
export function readAnnotations(annotations: Readonly<Record<string, string>>, object: ObjectRef): ReadResult {
  const hit = memo.get(annotations);
  if (hit !== undefined && hit.uid === object.uid) return hit;
  const result = readAnnotationsUncached(annotations, object);
  memo.set(annotations, { ...result, uid: object.uid });
  return result;
}

function readAnnotationsUncached(annotations: Readonly<Record<string, string>>, object: ObjectRef): ReadResult {
  const warnings: ModelWarning[] = [];
  let settings: BackendSettings = {};
  for (const key of Object.keys(annotations).sort(cmp)) {
    if (!key.startsWith(ANNOTATION_PREFIX)) continue;
    const raw = annotations[key] ?? '';
    const spec = ANNOTATIONS[key];
    if (spec === undefined) {
      warnings.push({ object, code: 'HWS_ERR_ANNOTATION_UNKNOWN', message: `annotation ${preview(key)} is not known to Hawser; it is ignored` });
      continue;
    }
    const parsed = spec.parse(raw);
    if (!parsed.ok) {
      warnings.push({ object, code: 'HWS_ERR_ANNOTATION_INVALID', message: `annotation ${key}: ${preview(raw)} ${parsed.problem}; the default applies` });
      continue;
    }
    settings = { ...settings, ...parsed.value };
  }
  return { settings, warnings };
}

export interface SettingsSource {
  readonly object: ObjectRef;
  readonly settings: BackendSettings;
}

const FIELDS = ['balance', 'timeoutConnectMs', 'timeoutServerMs', 'checkPath', 'checkIntervalMs'] as const satisfies readonly (keyof BackendSettings)[];

/**
 * Merges field by field: the first source (highest precedence) that sets a field wins; a later
 * source that sets the same field to another value gets HWS_ERR_ANNOTATION_CONFLICT.
 * Precondition: `sources` is in precedence order (the Service first, then Ingresses oldest first).
 */
export function mergeSettings(backend: string, sources: readonly SettingsSource[]): ReadResult {
  const merged: Record<string, unknown> = {};
  const owner: Record<string, ObjectRef> = {};
  const warnings: ModelWarning[] = [];
  for (const source of sources) {
    for (const field of FIELDS) {
      const value = source.settings[field];
      if (value === undefined) continue;
      const have = merged[field];
      if (have === undefined) {
        merged[field] = value;
        owner[field] = source.object;
      } else if (JSON.stringify(have) !== JSON.stringify(value)) {
        const winner = owner[field];
        const by = winner === undefined ? 'another object' : `${winner.kind} ${winner.namespace}/${winner.name}`;
        warnings.push({ object: source.object, code: 'HWS_ERR_ANNOTATION_CONFLICT', message: `backend ${backend}: ${field} is set by ${by}, which takes precedence; this value is ignored` });
      }
    }
  }
  return { settings: merged as BackendSettings, warnings };
}
