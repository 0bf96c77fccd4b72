/**
 * Seeding: k distinct random rows, or greedy k-means++ (Arthur & Vassilvitskii; the greedy
 * variant of scikit-learn with `2 + floor(ln k)` candidates per step, keeping the one that lowers
 * the potential most). Distances and potentials are native passes pruned by the triangle
 * inequality, so seeding stays far below O(n k d) once centres accumulate.
 *
 * @module
 * @internal
 */
import { drawProportional, type Rng } from './random.js';
import { run, type Engine, type PassLabel } from './steps.js';
import { seedCommitStep, seedPotentialStep, seedUpdateStep, tileStep } from './kernel-steps.js';

/** Copies rows `ids` of `x` into a new `ids.length x d` matrix. */
export function gatherRows(x: Float32Array, d: number, ids: ArrayLike<number>): Float32Array {
  const out = new Float32Array(ids.length * d);
  for (let i = 0; i < ids.length; i++) out.set(x.subarray(ids[i]! * d, ids[i]! * d + d), i * d);
  return out;
}

/** k distinct rows chosen uniformly at random. */
export function seedRandom(x: Float32Array, n: number, d: number, k: number, rng: Rng): Float32Array {
  return gatherRows(x, d, rng.distinct(n, k));
}

/** Index of the first entry `>= target` in an increasing prefix-sum array. */
function searchPrefix(prefix: Float64Array, target: number): number {
  let lo = 0;
  let hi = prefix.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (prefix[mid]! > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Greedy k-means++ seeding (l2 on the rows given). */
export function* seedKMeansPP(
  x: Float32Array,
  n: number,
  d: number,
  k: number,
  rng: Rng,
  weights: Float32Array | undefined,
  redo: number,
): Engine<Float32Array> {
  const label: PassLabel = { phase: 'seed', redo, iteration: 0 };
  const centroids = new Float32Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  // rowDists keeps each row's distance to each candidate, so committing the winner needs no
  // second pass over the data (seeding is bound by memory traffic).
  const state = { minDist: new Float32Array(n), nearest: new Uint32Array(n), rowDists: new Float32Array(n * trials) };
  const first = weights === undefined ? rng.below(n) : Math.max(0, drawProportional(rng, weights, weights.reduce((a, b) => a + b, 0)));
  centroids.set(x.subarray(first * d, first * d + d), 0);
  yield* run(seedUpdateStep(label, x, d, centroids.subarray(0, d), 0, new Float32Array(0), state, weights));
  const prefix = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    // Candidates drawn with probability proportional to weight x squared distance.
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += (weights === undefined ? 1 : weights[i]!) * state.minDist[i]!;
      prefix[i] = acc;
    }
    const ids = new Uint32Array(trials);
    for (let t = 0; t < trials; t++) ids[t] = acc > 0 ? searchPrefix(prefix, rng.next() * acc) : rng.below(n);
    const candidates = gatherRows(x, d, ids);
    const chosen = centroids.subarray(0, c * d);
    // Chosen centres as the rows and the few candidates as the packed side: packing all chosen
    // centres again at every step would cost more than the distances themselves.
    const sq = yield* run(tileStep(label, chosen, candidates, d));
    const gaps = new Float32Array(trials * c);
    for (let j = 0; j < c; j++) for (let t = 0; t < trials; t++) gaps[t * c + j] = Math.sqrt(sq[j * trials + t]!);
    const { totals } = yield* run(seedPotentialStep(label, x, d, candidates, gaps, c, state, weights));
    let best = 0;
    for (let t = 1; t < trials; t++) if (totals[t]! < totals[best]!) best = t;
    centroids.set(candidates.subarray(best * d, best * d + d), c * d);
    yield* run(seedCommitStep(label, state, trials, best, c, weights));
  }
  return centroids;
}
