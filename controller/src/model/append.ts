/**
 * Appends `items` to `target` in a loop. `target.push(...items)` passes every item as an argument
 * and overflows the stack beyond ~100 000 items (an initial sync has 200 000 commands).
 */
export function append<T>(target: T[], items: Iterable<T>): void {
  for (const item of items) target.push(item);
}
