/**
 * The runtime's WriterSection seam (runtime/writer-section.ts) on top of the model's writer
 * section, so route maps and certificates mutate inside the same guard and their records take
 * their place in the same seq order as servers and backends. `write` resolves once every worker
 * acknowledged the section's records.
 */
import type { Emit, WriterSection } from '../runtime/writer-section.ts';
import type { Model } from './model.ts';

export function modelWriterSection(model: Model): WriterSection {
  return {
    write<T>(fn: (emit: Emit) => T): Promise<T> {
      let result: T;
      try {
        result = model.write(() => fn((change) => model.emit(change)));
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
      const visible = model.whenVisible();
      return visible === null ? Promise.resolve(result) : visible.then(() => result);
    },
  };
}
