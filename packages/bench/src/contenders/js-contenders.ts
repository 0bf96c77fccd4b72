/**
 * The JavaScript contenders: our engines (`@clostera/kmeans`) and the `ml-kmeans` baseline, each
 * run in a child node process (`dist/worker/js-worker.js`) so its memory is measured alone.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_DIR } from '../paths.js';
import { CLOSTERA_SIZED, jsEngine } from '../engines/registry.js';
import type { Availability, CellShape, Contender, EngineFamily } from './types.js';

/**
 * The node worker script: next to this module's compiled location, or in `dist/` when this module
 * runs from source (under vitest), since node cannot start a `.ts` worker.
 */
export const JS_WORKER = ((): string => {
  const beside = fileURLToPath(new URL('../worker/js-worker.js', import.meta.url));
  return existsSync(beside) ? beside : join(PACKAGE_DIR, 'dist', 'worker', 'js-worker.js');
})();

/**
 * Work above which the JavaScript baseline is skipped (multiply-adds: n * k * d * iterations).
 * ml-kmeans manages roughly 0.1 to 0.2 G multiply-adds per second here (measured: 10000 x 784,
 * K = 10, 20 iterations in 8 to 13 s), so this bounds one fit to a few seconds; beyond it the
 * baseline would dominate the suite's time without telling anything new.
 */
export const ML_KMEANS_WORK_LIMIT = 6e8;

const probes = new Map<string, Promise<Availability>>();

function probeEngine(id: string): Promise<Availability> {
  let p = probes.get(id);
  if (p === undefined) {
    const make = jsEngine(id);
    p = make === undefined
      ? Promise.resolve({ available: false, reason: `no JavaScript engine registered as '${id}'` })
      : make()
          .load()
          .then(
            (versions): Availability => ({ available: true, version: Object.entries(versions).map(([k, v]) => `${k} ${v}`).join(', ') }),
            (error: unknown): Availability => ({ available: false, reason: (error as Error).message }),
          );
    probes.set(id, p);
  }
  return p;
}

function jsContender(id: string, label: string, family: EngineFamily, description: string, limit?: (cell: CellShape) => string | undefined): Contender {
  return {
    id,
    label,
    family,
    description,
    supports(cell) {
      if (cell.k > cell.n) return `k = ${cell.k} exceeds n = ${cell.n}`;
      return limit?.(cell);
    },
    probe: () => probeEngine(id),
    worker: () => ({ command: process.execPath, args: [JS_WORKER] }),
  };
}

/** Our engines and the JavaScript baseline, in report order. */
export const JS_CONTENDERS: readonly Contender[] = [
  jsContender('clostera-row', 'Clostera row (defaults)', 'clostera', '@clostera/kmeans dense-exact-row (k-means++), default training subsample, tol 0'),
  jsContender('clostera-random', 'Clostera random (defaults)', 'clostera', '@clostera/kmeans dense-exact-random (k distinct random rows), default training subsample, tol 0'),
  jsContender('clostera-row-all', 'Clostera row (all points)', 'clostera', '@clostera/kmeans dense-exact-row (k-means++), maxPointsPerCentroid Infinity, tol 0'),
  jsContender('clostera-random-all', 'Clostera random (all points)', 'clostera', '@clostera/kmeans dense-exact-random, maxPointsPerCentroid Infinity, tol 0'),
  jsContender('ml-kmeans', 'ml-kmeans', 'ml-kmeans', 'ml-kmeans kmeans(), k-means++, tolerance 0; cos: Euclidean on unit rows', (cell) => {
    const work = cell.n * cell.k * cell.d * cell.maxIter;
    return work > ML_KMEANS_WORK_LIMIT
      ? `too large for the JavaScript baseline (n*k*d*iterations = ${work.toExponential(1)} > ${ML_KMEANS_WORK_LIMIT.toExponential(0)})`
      : undefined;
  }),
];

/**
 * The contender for a sized id (`clostera-row-mppc-384`, `clostera-random-mppc-384`): our engine
 * trained on a subsample of that many rows per centroid; `undefined` for any other id.
 */
export function sizedClosteraContender(id: string): Contender | undefined {
  const sized = CLOSTERA_SIZED.exec(id);
  if (sized === null) return undefined;
  const [seeding, algorithm] = sized[1] === 'row' ? ['row', 'dense-exact-row (k-means++)'] : ['random', 'dense-exact-random (k distinct random rows)'];
  return jsContender(id, `Clostera ${seeding} (${sized[2]} per centroid)`, 'clostera', `@clostera/kmeans ${algorithm}, maxPointsPerCentroid ${sized[2]}, tol 0`);
}
