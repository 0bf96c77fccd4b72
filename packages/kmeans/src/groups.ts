/**
 * The fixed centroid groups of the Yinyang bounds: the initial centroids clustered into
 * `t = ceil(k / 32)` groups of at most 32 (one SIMD panel each), with `t` capped so the `n x t`
 * bounds stay within a memory budget.
 *
 * @module
 * @internal
 */
import { distanceTile, type CentroidGroups } from '@clostera/kernels';
import { fitSync } from './fit.js';

/**
 * Centroids per group (at most). Ding et al. suggest k / 10 groups; here a group is evaluated as
 * one GEMM tile, so groups of one 32-wide SIMD panel trade a little pruning for full kernel
 * throughput (measured on Fashion-MNIST, k = 1000: 84% of distances skipped on average with
 * groups of 32 vs 89% with groups of 10, but 1.6x faster iterations).
 */
export const CENTROIDS_PER_GROUP = 32;

/** Bytes the per-row group bounds may take. */
export const GROUP_BOUNDS_BUDGET_BYTES = 256 * 1024 * 1024;

/** How many groups to use for `k` centroids and `n` rows. */
export function groupCount(k: number, n: number): number {
  const byK = Math.ceil(k / CENTROIDS_PER_GROUP);
  const byMemory = Math.floor(GROUP_BOUNDS_BUDGET_BYTES / (4 * Math.max(1, n)));
  return Math.max(1, Math.min(byK, byMemory));
}

/**
 * Groups `k x d` centroids into `t` groups of at most `ceil(k / t)`: a short seeded k-means over
 * the centroids themselves places the groups, then each centroid joins the nearest group that
 * still has room, closest pairs first. Unconstrained, the groups of Fashion-MNIST's k = 1000
 * seeds held 1 to 63 centroids, so their GEMM panels were a third padding; capped at one panel,
 * every group fills it (but the last). Measured there (20 iterations, 2 threads): Yinyang steps
 * of 55-63 ms against 66-82 ms, with slightly fewer distances computed (the bounds prune as
 * well), whole k-means++ fits 2.76-2.87 s against 3.05-3.15 s; k = 100 0.68-0.69 s against 0.70-0.72 s.
 */
export function groupCentroids(centroids: Float32Array, d: number, t: number, seed: number, threads: number | undefined): CentroidGroups {
  const k = centroids.length / d;
  if (t <= 1) return { groupOf: new Uint32Array(k), t: 1 };
  const options = { k: t, maxIter: 5, tol: 0, seed, algorithm: 'dense-exact-random' as const, maxPointsPerCentroid: Infinity };
  const passOptions = threads === undefined ? {} : { threads };
  const model = fitSync(centroids, d, { ...options, ...passOptions });
  const dist = distanceTile(centroids, model.centroids, d, 'l2', passOptions);
  return { groupOf: capacityAssign(dist, k, t, Math.ceil(k / t)), t };
}

/**
 * Assigns each of `k` items to one of `t` groups holding at most `capacity` (`k <= t x
 * capacity`), closest pairs of the `k x t` distances first (ties by item, then group: the same
 * groups on any machine).
 */
export function capacityAssign(dist: Float32Array, k: number, t: number, capacity: number): Uint32Array {
  const order = Uint32Array.from({ length: k * t }, (_, i) => i);
  order.sort((a, b) => dist[a]! - dist[b]! || a - b);
  const groupOf = new Uint32Array(k).fill(t);
  const room = new Uint32Array(t).fill(capacity);
  let left = k;
  for (let p = 0; p < order.length && left > 0; p++) {
    const pair = order[p]!;
    const item = Math.floor(pair / t);
    const g = pair - item * t;
    if (groupOf[item] !== t || room[g] === 0) continue;
    groupOf[item] = g;
    room[g]!--;
    left--;
  }
  return groupOf;
}
