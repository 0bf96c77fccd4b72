/**
 * Centroid updates: means from native sums, FAISS's deterministic split of empty clusters,
 * how far each centroid moved, and half the gap to each centroid's nearest neighbour (the two
 * quantities the exact pruning bounds need).
 *
 * @module
 * @internal
 */
import type { Rng } from './random.js';

/**
 * New centroids from per-cluster sums; an empty cluster keeps its previous centroid until split.
 * Written into `into` when given (k x d floats, not `previous`): a fresh multi-megabyte array per
 * iteration is paid for in page faults on first touch.
 */
export function meansFromSums(
  sums: Float64Array,
  weightSums: Float64Array,
  previous: Float32Array,
  d: number,
  spherical: boolean,
  into?: Float32Array,
): Float32Array {
  const k = weightSums.length;
  const out = into !== undefined && into.length === k * d && into !== previous ? into : new Float32Array(k * d);
  for (let j = 0; j < k; j++) {
    const w = weightSums[j]!;
    if (!(w > 0)) {
      out.set(previous.subarray(j * d, j * d + d), j * d);
      continue;
    }
    let sq = 0;
    for (let t = 0; t < d; t++) {
      const v = sums[j * d + t]! / w;
      out[j * d + t] = v;
      sq += v * v;
    }
    if (spherical && sq > 0) normalizeRow(out, j, d);
  }
  return out;
}

/** Scales row `j` of a matrix to unit norm (left alone if zero). */
export function normalizeRow(m: Float32Array, j: number, d: number): void {
  let sq = 0;
  for (let t = 0; t < d; t++) sq += m[j * d + t]! * m[j * d + t]!;
  if (sq > 0) {
    const inv = 1 / Math.sqrt(sq);
    for (let t = 0; t < d; t++) m[j * d + t]! *= inv;
  }
}

/** Relative perturbation FAISS applies when it splits a cluster. */
const SPLIT_EPS = 1 / 1024;

/**
 * Gives every empty cluster half of a populous one, as FAISS's `split_clusters` does: pick a
 * cluster with probability (size - 1) / (n - k), copy its centroid, and push the two copies
 * apart symmetrically. `sizes` is updated; returns the number of splits.
 */
export function splitEmptyClusters(centroids: Float32Array, sizes: Float64Array, n: number, d: number, rng: Rng, spherical: boolean): number {
  const k = sizes.length;
  let splits = 0;
  for (let ci = 0; ci < k; ci++) {
    if (sizes[ci]! > 0) continue;
    let splittable = false;
    for (let j = 0; j < k; j++) if (sizes[j]! > 1) splittable = true;
    if (!splittable) break; // fewer distinct points than k: nothing left to split
    let cj = 0;
    for (;;) {
      const p = (sizes[cj]! - 1) / Math.max(1, n - k);
      if (rng.next() < p) break;
      cj = (cj + 1) % k;
    }
    centroids.copyWithin(ci * d, cj * d, cj * d + d);
    for (let t = 0; t < d; t++) {
      const up = t % 2 === 0;
      centroids[ci * d + t]! *= up ? 1 + SPLIT_EPS : 1 - SPLIT_EPS;
      centroids[cj * d + t]! *= up ? 1 - SPLIT_EPS : 1 + SPLIT_EPS;
    }
    if (spherical) {
      normalizeRow(centroids, ci, d);
      normalizeRow(centroids, cj, d);
    }
    sizes[ci] = Math.floor(sizes[cj]! / 2);
    sizes[cj] = sizes[cj]! - sizes[ci]!;
    splits++;
  }
  return splits;
}

/** Euclidean distance each centroid moved. */
export function drift(previous: Float32Array, next: Float32Array, d: number): Float32Array {
  const k = next.length / d;
  const out = new Float32Array(k);
  for (let j = 0; j < k; j++) {
    let sq = 0;
    for (let t = 0; t < d; t++) {
      const v = next[j * d + t]! - previous[j * d + t]!;
      sq += v * v;
    }
    out[j] = Math.sqrt(sq);
  }
  return out;
}

/** Above this k the k x k centroid gaps cost more memory than they save; the test is disabled. */
export const MAX_K_FOR_SEPARATION = 4096;

/** Half the Euclidean distance from each centroid to its nearest other one, from a k x k tile of squared distances. */
export function halfSeparation(tile: Float32Array, k: number): Float32Array {
  const out = new Float32Array(k);
  for (let a = 0; a < k; a++) {
    let best = Infinity;
    for (let b = 0; b < k; b++) if (b !== a && tile[a * k + b]! < best) best = tile[a * k + b]!;
    out[a] = Number.isFinite(best) ? Math.sqrt(best) / 2 : 0;
  }
  return out;
}
