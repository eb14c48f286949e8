/**
 * The command registry a runtime server dispatches on: every room's CommandSpec tables merged,
 * looked up by keywords (the longest match wins), plus the keyword list `help` and the
 * unknown-command answer are built from. Pure.
 */
import type { CommandSpec, Level } from './command.ts';
import { RuntimeError } from './runtime-errors.ts';
import type { UsageKeyword } from './usage.ts';

const LEVEL_RANK: Record<Level, number> = { user: 0, operator: 1, admin: 2 };

/** True when a connection at `have` may run a command that needs `need`. */
export function levelAllows(have: Level, need: Level): boolean {
  return LEVEL_RANK[have] >= LEVEL_RANK[need];
}

/** Keywords the framing answers itself; listed so `help` and the fuzzy matcher see them. */
const FRAMING_KEYWORDS: readonly UsageKeyword[] = [
  { words: ['help'], help: undefined },
  { words: ['prompt'], help: undefined },
  { words: ['quit'], help: undefined },
  { words: ['operator'], help: 'operator                                : lower the level of the current CLI session to operator' },
  { words: ['user'], help: 'user                                    : lower the level of the current CLI session to user' },
];

export class CommandTable {
  readonly #byFirstWord = new Map<string, CommandSpec[]>();
  readonly #keywords: UsageKeyword[];

  /**
   * Precondition: no two specs have the same `words` (a table error, thrown at start-up, never
   * at request time).
   */
  constructor(specs: readonly CommandSpec[]) {
    const seen = new Set<string>();
    for (const spec of specs) {
      const key = spec.words.join(' ');
      if (spec.words.length === 0) throw new RuntimeError('PXY_ERR_CLI_TABLE', 'a CommandSpec needs at least one keyword');
      if (seen.has(key)) throw new RuntimeError('PXY_ERR_CLI_TABLE', `two CommandSpecs for '${key}'`);
      seen.add(key);
      const first = spec.words[0] ?? '';
      const list = this.#byFirstWord.get(first) ?? [];
      list.push(spec);
      list.sort((a, b) => b.words.length - a.words.length);
      this.#byFirstWord.set(first, list);
    }
    this.#keywords = [...FRAMING_KEYWORDS, ...specs.map((s) => ({ words: s.words, help: s.help === '' ? undefined : s.help }))];
  }

  /** The command whose keywords are the longest prefix of `args`, if any. */
  find(args: readonly string[]): CommandSpec | undefined {
    const list = this.#byFirstWord.get(args[0] ?? '');
    if (list === undefined) return undefined;
    return list.find((spec) => spec.words.every((w, i) => args[i] === w));
  }

  get keywords(): readonly UsageKeyword[] {
    return this.#keywords;
  }
}
