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
import { gatherRows } from './seeding.js';

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
 * the centroids themselves places the groups, then the centroids join them under that cap (see
 * {@link capacityAssign}). Unconstrained, the groups of Fashion-MNIST's k = 1000 seeds held 1 to
 * 63 centroids, so their GEMM panels were a third padding; capped at one panel, every group
 * fills it (but the last). Measured there (20 iterations, 2 threads): Yinyang steps of 55-63 ms
 * against 66-82 ms, with slightly fewer distances computed (the bounds prune as well), whole
 * k-means++ fits 2.76-2.87 s against 3.05-3.15 s; k = 100 0.68-0.69 s against 0.70-0.72 s.
 */
export function groupCentroids(centroids: Float32Array, d: number, t: number, seed: number, threads: number | undefined): CentroidGroups {
  const k = centroids.length / d;
  if (t <= 1) return { groupOf: new Uint32Array(k), t: 1 };
  const options = { k: t, maxIter: 5, tol: 0, seed, algorithm: 'dense-exact-random' as const, maxPointsPerCentroid: Infinity };
  const passOptions = threads === undefined ? {} : { threads };
  const model = fitSync(centroids, d, { ...options, ...passOptions });
  // Consecutive ids (the first pass's chunks) are read in place; the leftovers are gathered.
  const distances = (ids: Uint32Array): Float32Array => {
    const consecutive = ids.length > 0 && ids.every((id, r) => id === ids[0]! + r);
    const rows = consecutive ? centroids.subarray(ids[0]! * d, (ids[0]! + ids.length) * d) : gatherRows(centroids, d, ids);
    return distanceTile(rows, model.centroids, d, 'l2', passOptions);
  };
  return { groupOf: capacityAssign(k, t, Math.ceil(k / t), distances), t };
}

/** Centroids per call of the distances {@link capacityAssign} asks for (bounds its memory). */
const ASSIGN_CHUNK = 4096;

/**
 * Assigns each of `k` items to one of `t` groups holding at most `capacity` (`k <= t x
 * capacity`). `distances(ids)` gives the `ids.length x t` distances of those items to the
 * groups. Items join their nearest group (ties to the lowest) closest first while it has room;
 * the items left over then join the nearest group with room, again closest first. Ties between
 * items go to the lower index, so the groups are the same on any machine. The distances are
 * asked for in chunks, never `k x t` at once, and sorting is over items, not pairs (a sort of
 * every pair took 2.8 s at k = 20,000 in 335 groups).
 */
export function capacityAssign(k: number, t: number, capacity: number, distances: (ids: Uint32Array) => Float32Array): Uint32Array {
  const nearest = new Uint32Array(k);
  const best = new Float32Array(k);
  for (let c0 = 0; c0 < k; c0 += ASSIGN_CHUNK) {
    const ids = Uint32Array.from({ length: Math.min(ASSIGN_CHUNK, k - c0) }, (_, i) => c0 + i);
    const dist = distances(ids);
    for (let r = 0; r < ids.length; r++) [nearest[c0 + r], best[c0 + r]] = argminWithRoom(dist, r, t, undefined);
  }
  const byDistance = (a: number, b: number) => best[a]! - best[b]! || a - b;
  const order = Uint32Array.from({ length: k }, (_, i) => i).sort(byDistance);
  const groupOf = new Uint32Array(k);
  const room = new Uint32Array(t).fill(capacity);
  const left: number[] = [];
  for (const i of order) {
    const g = nearest[i]!;
    if (room[g]! > 0) {
      groupOf[i] = g;
      room[g]!--;
    } else left.push(i);
  }
  // `left` is already closest first.
  for (let c0 = 0; c0 < left.length; c0 += ASSIGN_CHUNK) {
    const ids = Uint32Array.from(left.slice(c0, c0 + ASSIGN_CHUNK));
    const dist = distances(ids);
    for (let r = 0; r < ids.length; r++) {
      const [g] = argminWithRoom(dist, r, t, room);
      groupOf[ids[r]!] = g;
      room[g]!--;
    }
  }
  return groupOf;
}

/** The nearest group of row `r` of a `rows x t` distance tile (among those with room, if given) and its distance; ties to the lowest group. */
function argminWithRoom(dist: Float32Array, r: number, t: number, room: Uint32Array | undefined): [number, number] {
  let g = -1;
  let v = Infinity;
  for (let j = 0; j < t; j++) {
    if (room !== undefined && room[j] === 0) continue;
    const x = dist[r * t + j]!;
    if (g < 0 || x < v) [g, v] = [j, x];
  }
  return [g, v];
}
