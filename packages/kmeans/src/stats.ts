/**
 * Per-iteration statistics, as data.
 *
 * @module
 */

/** What one Lloyd iteration did (FAISS's `ClusteringIterationStats` plus pruning counters). */
export interface IterationStats {
  /** Restart (0-based) the iteration belongs to. */
  redo: number;
  /** Iteration number (0-based). */
  iteration: number;
  /** Objective of this iteration's assignment (mean squared distance for l2, mean of 1 - cos for cos). */
  objective: number;
  /** Wall-clock seconds of the iteration (assignment and update). */
  seconds: number;
  /** Rows whose cluster changed in this assignment (all rows in iteration 0). */
  changed: number;
  /** Imbalance factor `k * sum(n_j^2) / n^2` (1 is perfectly balanced). */
  imbalance: number;
  /** Empty clusters split this iteration. */
  splits: number;
  /** Row-centroid distance computations performed (full rows count k each, bound checks count 1). */
  distancesComputed: number;
  /** Distance computations plain Lloyd would have done that the bounds skipped. */
  distancesSkipped: number;
  /**
   * Set on an iteration that measured the bounds on a sample of rows before building them for
   * every row (fits of at least 131,072 training rows and more than 16 centroids): the fraction
   * of distances a bounded step skipped on the sample. Below 5% the fit stays plain instead.
   */
  boundsProbe?: number;
}

/** Imbalance factor of cluster sizes (FAISS's definition). */
export function imbalanceFactor(counts: Uint32Array | Float64Array, total: number): number {
  let sq = 0;
  for (let j = 0; j < counts.length; j++) sq += counts[j]! * counts[j]!;
  return total > 0 ? (counts.length * sq) / (total * total) : 0;
}
