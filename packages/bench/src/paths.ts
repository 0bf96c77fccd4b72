/**
 * Where things live: the repository root, the embedded demo set, the results and scratch folders.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folder of this package (one level above `src/` or `dist/`). */
export const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Folder of the Python peer scripts shipped with the package. */
export const PEERS_DIR = join(PACKAGE_DIR, 'peers');

function isWorkspaceRoot(dir: string): boolean {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return false;
  try {
    return 'workspaces' in (JSON.parse(readFileSync(file, 'utf8')) as object);
  } catch {
    return false;
  }
}

/**
 * The monorepo root: the nearest ancestor of this package (else of the working directory) whose
 * package.json declares workspaces. Falls back to the working directory for an installed copy.
 */
export function repoRoot(): string {
  for (const start of [PACKAGE_DIR, process.cwd()]) {
    let dir = start;
    for (;;) {
      if (isWorkspaceRoot(dir)) return dir;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return process.cwd();
}

/** Default folder for results JSON, reports and plots: `<repo>/benchmarks/results`. */
export function defaultResultsDir(): string {
  return join(repoRoot(), 'benchmarks', 'results');
}

/** Default scratch folder for dataset files handed to peers (git-ignored): `<repo>/benchmarks/tmp`. */
export function defaultScratchDir(): string {
  return join(repoRoot(), 'benchmarks', 'tmp');
}
