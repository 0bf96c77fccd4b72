/**
 * Objectives through the native kernels: the nearest centroid of every row and its distance or
 * similarity, computed by `@clostera/kernels`' fused assignment (SIMD, multi-threaded), so the
 * quality of every contender is measured by the same code over all rows.
 *
 * @module
 */
import { assign } from '@clostera/kernels';
import { ClosteraError, ErrorCode, dimensionMismatch } from '../errors.js';

/** The metrics a benchmark cell can use. */
export type BenchMetric = 'l2' | 'cos';

/** Nearest-centroid assignment of every row, with the centroid objective. */
export interface NearestAssignment {
  /** Index (into the contender's centroid array) of each row's nearest usable centroid. */
  labels: Uint32Array;
  /** l2: mean squared distance to the nearest centroid; cos: mean of 1 - cosine similarity. */
  objective: number;
  /** cos only: mean cosine similarity to the nearest centroid. */
  meanSimilarity?: number;
  /** Centroids that could not be used: non-finite values, or zero norm under cos. */
  unusableCentroids: number;
}

/**
 * Keeps the centroids that can take part in an assignment: finite, and with a direction under cos.
 * A peer that leaves a cluster empty may return NaN (ml-kmeans) or a zero vector for it; such a
 * centroid attracts no row, so dropping it changes nothing but lets the kernel run.
 */
function usableCentroids(c: Float32Array, d: number, metric: BenchMetric): { c: Float32Array; index: Uint32Array } {
  const k = c.length / d;
  const keep: number[] = [];
  for (let j = 0; j < k; j++) {
    let finite = true;
    let norm = 0;
    for (let t = 0; t < d; t++) {
      const v = c[j * d + t]!;
      if (!Number.isFinite(v)) finite = false;
      norm += v * v;
    }
    if (finite && (metric === 'l2' || norm > 0)) keep.push(j);
  }
  if (keep.length === k) return { c, index: Uint32Array.from(keep) };
  const out = new Float32Array(keep.length * d);
  keep.forEach((j, i) => out.set(c.subarray(j * d, (j + 1) * d), i * d));
  return { c: out, index: Uint32Array.from(keep) };
}

/**
 * Assigns every row of `x` (`n x d`) to its nearest centroid under `metric` and returns the
 * objective. Under cos the rows must have non-zero norm (the kernel reports the first that does not).
 *
 * @param threads - native threads (default: `CLOSTERA_NUM_THREADS` or all cores).
 * @throws {@link ClosteraError} `CLOSTERA_DIMENSION_MISMATCH` for a centroid array that is not
 *   `k x d`, `CLOSTERA_INVALID_ARGUMENT` when no centroid is usable, and the kernel's codes.
 */
export function nearestAssignment(x: Float32Array, centroids: Float32Array, d: number, metric: BenchMetric, threads?: number): NearestAssignment {
  if (centroids.length === 0 || centroids.length % d !== 0) {
    throw dimensionMismatch(`centroids hold ${centroids.length} values, not a multiple of d = ${d}`, { expected: `k * ${d}`, actual: centroids.length });
  }
  const usable = usableCentroids(centroids, d, metric);
  const k = centroids.length / d;
  if (usable.index.length === 0) throw new ClosteraError(ErrorCode.InvalidArgument, `none of the ${k} centroids is usable (all non-finite or zero)`);
  const result = assign(x, usable.c, d, metric, threads === undefined ? {} : { threads });
  const n = result.labels.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += result.values[i]!;
  const mean = n === 0 ? 0 : sum / n;
  const labels = usable.index.length === k ? result.labels : result.labels.map((l) => usable.index[l]!);
  const unusableCentroids = k - usable.index.length;
  return metric === 'l2' ? { labels, objective: mean, unusableCentroids } : { labels, objective: 1 - mean, meanSimilarity: mean, unusableCentroids };
}
