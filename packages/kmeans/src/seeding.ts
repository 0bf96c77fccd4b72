/**
 * Seeding: k distinct random rows, or greedy k-means++ (Arthur & Vassilvitskii; the greedy
 * variant of scikit-learn with `2 + floor(ln k)` candidates per step, keeping the one that lowers
 * the potential most). Distances and potentials are native passes pruned by the triangle
 * inequality, so seeding stays far below O(n k d) once centres accumulate.
 *
 * @module
 * @internal
 */
import { drawProportional, Rng } from './random.js';
import { principalBasis } from './principal-basis.js';
import { run, type Engine, type PassLabel } from './steps.js';
import { bf16RowsStep, projectRowsStep, seedCommitStep, seedPotentialStep, seedUpdateStep, tileStep, trialRowsStep } from './kernel-steps.js';
import { giveBack, takeScratch } from './scratch.js';
import { simdInfo, type SeedProjection, type SeedState, type SimdLevel } from '@clostera/kernels';

/** Directions of the projected lower bound that prunes the k-means++ potential passes. */
export const PROJECTION_DIMS = 64;
/**
 * The projection is built when `d >= PROJECTION_MIN_D` and `k >= PROJECTION_MIN_K`: below, the
 * triangle inequality already prunes most pairs or the seeding is too short to repay finding
 * the basis (seven passes over the seeding sample and about 60 ms of small dense algebra).
 * Measured on Fashion-MNIST 70,000 x 784, whole fits with and without it: k = 100 0.39-0.43 s
 * against 0.47-0.54 s with it, k = 256 1.32 against 1.39-1.50 s, k = 500 even (2.5 s), k = 1000
 * 4.9-5.5 s against 5.4-5.8 s.
 */
export const PROJECTION_MIN_D = 4 * PROJECTION_DIMS;
export const PROJECTION_MIN_K = 512;
/**
 * The basis has its own fixed seed: it only decides how much is pruned, never which seeds are
 * drawn, so the seeding draws stay those of the unprojected passes.
 */
const PROJECTION_SEED = 0x9e3779b9;

/**
 * Below this dimension the bf16 screen of the candidate scoring is not built: rows are a few
 * cache lines, and the screen's bound arithmetic costs about what the f32 distance does.
 */
export const BF16_SCREEN_MIN_D = 32;

let bf16Level: boolean | undefined;

/**
 * Whether {@link seedKMeansPP} screens candidates in bf16: when the kernels run at the
 * `avx512bf16` or `avx512amx` level (`simd`, the fit's level when it names one, else the level
 * in use; the copy costs one pass over the seeding rows and halves the
 * bytes every later step reads per screened row; the seeds are the same either way). At
 * `avx512amx` the screen scores the bf16 rows against the candidates in f32 (the Intel Xeon with
 * AMX runs `vdpbf16ps` at half the f32 FMA rate). Measured there, candidate scoring of whole
 * seedings (k = 1024 or 1000, 2 threads): a Gaussian mixture 200k x 768 (16,384-row sample, no
 * projection) 1.15-1.17 s against 1.60-1.63 s without the screen; Fashion-MNIST l2 (16,000
 * rows, most pairs already pruned by the projection) 0.85-0.90 s against 0.93-0.94 s.
 */
export function usesBf16Screen(d: number, simd?: SimdLevel | 'auto'): boolean {
  if (d < BF16_SCREEN_MIN_D) return false;
  // A fit pinned to a level runs its passes there: the copy is only worth making where they screen.
  if (simd !== undefined && simd !== 'auto') return simd === 'avx512bf16' || simd === 'avx512amx';
  if (bf16Level === undefined) {
    const level = simdInfo().inUse;
    bf16Level = level === 'avx512bf16' || level === 'avx512amx';
  }
  return bf16Level;
}

/** Whether {@link seedKMeansPP} builds the projected bound for `n x d` rows and `k` centres. */
export function usesProjection(n: number, d: number, k: number): boolean {
  return d >= PROJECTION_MIN_D && k >= PROJECTION_MIN_K && n > PROJECTION_DIMS;
}

/**
 * The bound is used only when the basis holds at least this fraction of the rows' variance:
 * below, projected distances fall far short of true ones and the bound prunes almost nothing
 * while testing every pair. Fashion-MNIST's 64 leading directions hold 0.88 of it (the
 * bound halved the seeding); a 1,024-centre Gaussian mixture in 768 dimensions 0.13, where
 * testing the bound made the seeding 2.1 s slower (6.6 s against 4.5 s).
 */
export const PROJECTION_MIN_EXPLAINED = 0.5;

/** Rows the basis is computed from (at most). */
export const PROJECTION_BASIS_ROWS = 4096;

/** The seeding rows projected onto their leading principal directions, when those hold enough of the spread. */
function* seedProjection(x: Float32Array, n: number, d: number, label: PassLabel): Engine<SeedProjection | undefined> {
  // The directions come from an evenly strided subset: as good a basis for the bound, at a
  // fraction of the passes over a large seeding sample.
  const basisRows = Math.min(n, PROJECTION_BASIS_ROWS);
  const ids = Uint32Array.from({ length: basisRows }, (_, i) => Math.floor((i * n) / basisRows));
  // Gathered natively into a cached buffer: a fresh 12.8 MB one (4,096 x 784) cost about 30 ms of
  // page faults per seeding, a tenth of a Fashion-MNIST k = 1000 seeding's time outside its passes.
  const buffer = basisRows === n ? undefined : takeScratch('basis', basisRows * d);
  const rows = buffer === undefined ? x : yield* run(trialRowsStep(label, x, ids, d, buffer));
  let found: { basis: Float32Array; explained: number };
  try {
    found = yield* principalBasis(rows, basisRows, d, PROJECTION_DIMS, new Rng(PROJECTION_SEED), label);
  } finally {
    if (buffer !== undefined) giveBack('basis', buffer);
  }
  const { basis, explained } = found;
  if (explained < PROJECTION_MIN_EXPLAINED) return undefined;
  const { projections, norms, gain } = yield* run(projectRowsStep(label, x, d, basis));
  return { basis, rows: projections, rowNorms: norms, gain };
}

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

// The per-step loops over every row live in plain functions, not in the generator below: V8
// optimizes a plain function's loop mid-run, while a loop in a generator body stayed in the
// interpreter (about 0.3 s of a k = 1000 seeding over 16,000 rows).

/** Prefix sums of weight x `minDist` into `prefix`; returns the total. */
function prefixSums(minDist: Float32Array, weights: Float32Array | undefined, prefix: Float64Array): number {
  let acc = 0;
  for (let i = 0; i < minDist.length; i++) {
    acc += (weights === undefined ? 1 : weights[i]!) * minDist[i]!;
    prefix[i] = acc;
  }
  return acc;
}

/**
 * Candidate-to-centre distances `[t * chosen + j]` from the `chosen x trials` squared tile,
 * written into the front of `out` (one buffer for the whole seeding: a fresh one per step was
 * about 32 MB of garbage over a k = 1000 seeding).
 */
function candidateGaps(sq: Float32Array, trials: number, chosen: number, out: Float32Array): Float32Array {
  const gaps = out.subarray(0, trials * chosen);
  for (let j = 0; j < chosen; j++) for (let t = 0; t < trials; t++) gaps[t * chosen + j] = Math.sqrt(sq[j * trials + t]!);
  return gaps;
}

/** Copies rows `ids` of `x` into the front of `out` (`ids.length x d`). */
function gatherRowsInto(x: Float32Array, d: number, ids: ArrayLike<number>, out: Float32Array): Float32Array {
  for (let i = 0; i < ids.length; i++) out.set(x.subarray(ids[i]! * d, ids[i]! * d + d), i * d);
  return out;
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
  project = usesProjection(n, d, k),
  bf16Screen = usesBf16Screen(d),
): Engine<Float32Array> {
  const label: PassLabel = { phase: 'seed', redo, iteration: 0 };
  const centroids = new Float32Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  // rowDists keeps each row's distance to each candidate, so committing the winner needs no
  // second pass over the data (seeding is bound by memory traffic).
  const state: SeedState = { minDist: new Float32Array(n), nearest: new Uint32Array(n), rowDists: new Float32Array(n * trials) };
  // In high dimension the triangle inequality keeps a third or more of the row-candidate pairs
  // (centre gaps and row distances are alike); the projected bound prunes most of those
  // (Fashion-MNIST, k = 1000: 2.5% of pairs left to compute), with identical seeds.
  if (project) {
    const projection = yield* seedProjection(x, n, d, label);
    if (projection !== undefined) state.projection = projection;
  }
  if (bf16Screen) state.bf16 = yield* run(bf16RowsStep(label, x, d));
  const first = weights === undefined ? rng.below(n) : Math.max(0, drawProportional(rng, weights, weights.reduce((a, b) => a + b, 0)));
  centroids.set(x.subarray(first * d, first * d + d), 0);
  yield* run(seedUpdateStep(label, x, d, centroids.subarray(0, d), 0, new Float32Array(0), state, weights));
  const prefix = new Float64Array(n);
  // Per-step buffers, reused: every pass that reads them is over before the next step writes.
  const ids = new Uint32Array(trials);
  const candidates = new Float32Array(trials * d);
  const gapsBuffer = new Float32Array(trials * k);
  for (let c = 1; c < k; c++) {
    // Candidates drawn with probability proportional to weight x squared distance.
    const acc = prefixSums(state.minDist, weights, prefix);
    for (let t = 0; t < trials; t++) ids[t] = acc > 0 ? searchPrefix(prefix, rng.next() * acc) : rng.below(n);
    gatherRowsInto(x, d, ids, candidates);
    const chosen = centroids.subarray(0, c * d);
    // Chosen centres as the rows and the few candidates as the packed side: packing all chosen
    // centres again at every step would cost more than the distances themselves.
    const sq = yield* run(tileStep(label, chosen, candidates, d));
    const gaps = candidateGaps(sq, trials, c, gapsBuffer);
    const { totals } = yield* run(seedPotentialStep(label, x, d, candidates, gaps, c, state, weights));
    let best = 0;
    for (let t = 1; t < trials; t++) if (totals[t]! < totals[best]!) best = t;
    centroids.set(candidates.subarray(best * d, best * d + d), c * d);
    yield* run(seedCommitStep(label, state, trials, best, c, weights));
  }
  return centroids;
}
