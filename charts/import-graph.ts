// The files and packages an entry point loads, read statically from import statements: what the
// image must contain for `npm ci --omit=dev` plus the copied sources to be enough.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

export interface ImportGraph {
  /** Repository-relative paths of every local module reached. */
  files: string[];
  /** Bare specifiers (packages and builtins) imported by those modules. */
  packages: string[];
  /** Relative imports that point at no file. */
  missing: string[];
}

// Static and dynamic imports and re-exports with a literal specifier; `import type` is erased by
// Node's type stripping and loads nothing.
const importPattern = /(?:^|[\s;])(?:import(?!\s+type\s)(?:[^;'"()]*?\sfrom)?|export(?!\s+type\s)[^;'"()]*?\sfrom)\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** The package name of a bare specifier (`@scope/name/sub` → `@scope/name`). */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** Walks the imports from `entries` (absolute paths) within `root`. */
export function importGraph(root: string, entries: readonly string[]): ImportGraph {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const missing: string[] = [];
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(importPattern)) {
      const specifier = match[1] ?? match[2] ?? '';
      if (specifier.startsWith('.') || specifier.startsWith('/')) {
        const target = resolve(dirname(file), specifier);
        if (existsSync(target)) queue.push(target);
        else missing.push(`${relative(root, file)} → ${specifier}`);
      } else {
        packages.add(specifier);
      }
    }
  }
  return { files: [...seen].map((f) => relative(root, f)).sort(), packages: [...packages].sort(), missing };
}
