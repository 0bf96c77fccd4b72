/**
 * The contingency table of two labelings, built in one O(N) pass over typed arrays.
 *
 * Only non-zero cells and non-empty marginals are kept: every score built on top (entropies,
 * mutual information, pair counts) ignores empty classes and clusters, as scikit-learn does.
 *
 * @module
 */
import { dimensionMismatch, invalidArgument } from '../errors.js';

/** Non-zero counts of a contingency table and its marginals. */
export interface Contingency {
  /** Number of labelled rows. */
  n: number;
  /** Count of every non-zero (class, cluster) cell, in no particular order. */
  cells: Float64Array;
  /** For each entry of `cells`, the size of its class. */
  cellClassSizes: Float64Array;
  /** For each entry of `cells`, the size of its cluster. */
  cellClusterSizes: Float64Array;
  /** Size of every non-empty class. */
  classSizes: Float64Array;
  /** Size of every non-empty cluster. */
  clusterSizes: Float64Array;
}

/** Largest dense table (classes x clusters) before switching to a hash map. */
const DENSE_LIMIT = 1 << 24;

function maxOf(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (!(Number.isInteger(v) && v >= 0)) throw invalidArgument(`labels must be non-negative integers; row ${i} has ${v}`, { row: i, actual: v });
    if (v > m) m = v;
  }
  return m;
}

function nonZero(a: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i]! > 0) out.push(a[i]!);
  return Float64Array.from(out);
}

/**
 * Builds the table of `truth` (classes) against `predicted` (clusters).
 *
 * Dense counting when classes x clusters fits in 2^24 cells (the usual case: 10 classes by 1000
 * clusters is 10^4 cells), otherwise a hash map keyed by `class * clusters + cluster`.
 *
 * @throws {@link ClosteraError} `CLOSTERA_DIMENSION_MISMATCH` when the lengths differ,
 *   `CLOSTERA_INVALID_ARGUMENT` for a negative or fractional label.
 */
export function contingency(truth: ArrayLike<number>, predicted: ArrayLike<number>): Contingency {
  const n = truth.length;
  if (predicted.length !== n) throw dimensionMismatch(`labelings differ in length: ${n} vs ${predicted.length}`, { expected: n, actual: predicted.length });
  const classes = maxOf(truth) + 1;
  const clusters = maxOf(predicted) + 1;
  const classSizes = new Float64Array(classes);
  const clusterSizes = new Float64Array(clusters);
  const cells: number[] = [];
  const cellClass: number[] = [];
  const cellCluster: number[] = [];
  if (classes * clusters <= DENSE_LIMIT) {
    const table = new Uint32Array(classes * clusters);
    for (let i = 0; i < n; i++) {
      const t = truth[i]!;
      const p = predicted[i]!;
      table[t * clusters + p]!++;
      classSizes[t]!++;
      clusterSizes[p]!++;
    }
    for (let key = 0; key < table.length; key++) {
      if (table[key]! === 0) continue;
      cells.push(table[key]!);
      cellClass.push(Math.floor(key / clusters));
      cellCluster.push(key % clusters);
    }
  } else {
    const map = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const t = truth[i]!;
      const p = predicted[i]!;
      const key = t * clusters + p;
      map.set(key, (map.get(key) ?? 0) + 1);
      classSizes[t]!++;
      clusterSizes[p]!++;
    }
    for (const [key, count] of map) {
      cells.push(count);
      cellClass.push(Math.floor(key / clusters));
      cellCluster.push(key % clusters);
    }
  }
  return {
    n,
    cells: Float64Array.from(cells),
    cellClassSizes: Float64Array.from(cellClass, (t) => classSizes[t]!),
    cellClusterSizes: Float64Array.from(cellCluster, (p) => clusterSizes[p]!),
    classSizes: nonZero(classSizes),
    clusterSizes: nonZero(clusterSizes),
  };
}
