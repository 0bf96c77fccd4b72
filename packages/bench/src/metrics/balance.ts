/**
 * Cluster-size metrics: sizes, the imbalance factor and empty clusters.
 *
 * @module
 */
import { invalidArgument } from '../errors.js';

/**
 * Members of each of the `k` clusters.
 *
 * @throws {@link ClosteraError} `CLOSTERA_INVALID_ARGUMENT` when a label is `>= k`.
 */
export function clusterSizes(labels: ArrayLike<number>, k: number): Float64Array {
  const sizes = new Float64Array(k);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (!(l >= 0 && l < k)) throw invalidArgument(`label ${l} of row ${i} is outside [0, ${k})`, { row: i, actual: l });
    sizes[l]!++;
  }
  return sizes;
}

/**
 * FAISS's imbalance factor `k * sum(n_c^2) / n^2` over all `k` clusters (empty ones included):
 * 1 for perfectly equal sizes, `k` when everything lands in one cluster.
 */
export function imbalanceFactor(sizes: Float64Array): number {
  let n = 0;
  let sq = 0;
  for (const s of sizes) {
    n += s;
    sq += s * s;
  }
  return n === 0 ? 0 : (sizes.length * sq) / (n * n);
}

/** Number of clusters with no member. */
export function emptyClusters(sizes: Float64Array): number {
  let e = 0;
  for (const s of sizes) if (s === 0) e++;
  return e;
}
