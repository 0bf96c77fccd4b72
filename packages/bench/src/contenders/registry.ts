/**
 * Every contender, and selection by the names given to `--contenders`.
 *
 * @module
 */
import { invalidArgument } from '../errors.js';
import { JS_CONTENDERS, sizedClosteraContender } from './js-contenders.js';
import { PYTHON_CONTENDERS, sizedFaissContender } from './python-peers.js';
import type { Contender } from './types.js';

/** All contenders in report order: ours first, then the peers. */
export const CONTENDERS: readonly Contender[] = [...JS_CONTENDERS.filter((c) => c.family === 'clostera'), ...PYTHON_CONTENDERS, ...JS_CONTENDERS.filter((c) => c.family !== 'clostera')];

/**
 * The contenders named in `names`: ids (`faiss-all`) or family names (`faiss`, `sklearn`,
 * `clostera`, `ml-kmeans`), in catalogue order, without duplicates. No names means all of them.
 * Sized ids train on a subsample of N rows per centroid: `faiss-mppc-N`, `clostera-row-mppc-N`,
 * `clostera-random-mppc-N` (listed after the catalogue's contenders, in the order given).
 *
 * @throws {@link ClosteraError} `CLOSTERA_INVALID_ARGUMENT` for a name that matches nothing.
 */
export function selectContenders(names: readonly string[] | undefined, from: readonly Contender[] = CONTENDERS): Contender[] {
  if (names === undefined || names.length === 0) return [...from];
  const wanted = new Set<Contender>();
  const sized: Contender[] = [];
  for (const name of names) {
    const extra = sizedClosteraContender(name) ?? sizedFaissContender(name);
    if (extra !== undefined) {
      if (!sized.some((c) => c.id === name)) sized.push(extra);
      continue;
    }
    const matches = from.filter((c) => c.id === name || c.family === name);
    if (matches.length === 0) {
      throw invalidArgument(`unknown contender '${name}'`, { expected: [...new Set([...from.map((c) => c.id), ...from.map((c) => c.family)])], actual: name });
    }
    for (const m of matches) wanted.add(m);
  }
  return [...from.filter((c) => wanted.has(c)), ...sized];
}
