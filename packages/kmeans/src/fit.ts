/**
 * The dense exact engines: `dense-exact-row` (greedy k-means++), `dense-exact-random` (k distinct
 * random rows) and `dense-exact-nredo` (several seeded restarts, lowest training objective
 * kept), all running exact pruned Lloyd iterations. One generator holds the control flow; `fit`
 * drives it off the JS thread, `fitSync` on it.
 *
 * @module
 */
import { rowsOf, sampleIds, type TrainingSet } from './prepare.js';
import { giveBack, takeScratch, type ScratchUse } from './scratch.js';
import { normalizeRow } from './centroids.js';
import { bf16RowsStep, finalAssignStep, sampleStep, trialRowsStep, unitRowsStep, validatingNorms } from './kernel-steps.js';
import type { Bf16RowCopy } from '@clostera/kernels';
import { drift } from './centroids.js';
import { lloyd, objectiveFrom, screenedFullPasses, type LloydResult } from './lloyd.js';
import { KMeansModel } from './model.js';
import { resolveOptions, type KMeansOptions, type ResolvedOptions } from './options.js';
import { Rng } from './random.js';
import { seedKMeansPP, seedRandom, usesBf16Screen, usesProjection } from './seeding.js';
import { driveAsync, driveSync, run, type Engine, type PassLabel } from './steps.js';
import { yinyangStep } from './kernel-steps.js';
import { seedWithTrials, type SeedOne, type TrialResult } from './trials.js';
import { refinedFinal, type RefinementStats } from './refine.js';

/**
 * Weighted sum of squared distances from assignment values (`2 - 2 cos` under cos). A plain
 * function, not inline in the engine's generator: V8 compiles this loop mid-run, not one in a
 * generator body, which ran interpreted (about 0.7 ms for 70,000 rows).
 */
function sumOfSquares(values: Float32Array, weights: Float32Array | undefined, spherical: boolean): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = spherical ? 2 - 2 * values[i]! : values[i]!;
    sum += (weights === undefined ? 1 : weights[i]!) * v;
  }
  return sum;
}

/** Total weight of the rows (their count when unweighted). */
function totalWeightOf(weights: Float32Array | undefined, n: number): number {
  return weights === undefined ? n : weights.reduce((s, v) => s + v, 0);
}

/** Counts distinct centroids (bit patterns), to say when there were fewer distinct points than k. */
function distinctRows(m: Float32Array, d: number): number {
  const seen = new Set<string>();
  const bytes = new Uint8Array(m.buffer, m.byteOffset, m.byteLength);
  for (let j = 0; j < m.length / d; j++) seen.add(Buffer.from(bytes.subarray(j * d * 4, (j + 1) * d * 4)).toString('base64'));
  return seen.size;
}

/**
 * The rows Lloyd trains on, validated. All rows: one validating pass (plus a unit-norm copy under
 * cosine, unless the rows already have unit norm). A sample: only the sample is prepared now; the final assignment validates every row
 * of the data as it reads it, so the data is read once, not twice. A sample lives in buffers
 * borrowed from the scratch cache, listed in `borrowed` for the fit to give back when done.
 */
function* trainingRows(x: Float32Array, n: number, d: number, o: ResolvedOptions, rng: Rng, borrowed: Map<ScratchUse, Float32Array>): Engine<TrainingSet> {
  const setup: PassLabel = { phase: 'seed', redo: 0, iteration: 0 };
  const spherical = o.metric === 'cos';
  const ids = sampleIds(n, o.trainingRows, rng);
  if (ids !== undefined) {
    const buffer = takeScratch('sample', ids.length * d);
    borrowed.set('sample', buffer);
    const w = o.sampleWeights;
    return {
      x: yield* run(sampleStep(setup, x, ids, d, buffer, spherical)),
      n: ids.length,
      weights: w === undefined ? undefined : Float32Array.from(ids, (i) => w[i]!),
      sampled: true,
    };
  }
  const raw: TrainingSet = { x, n, weights: o.sampleWeights, sampled: false };
  const norms = yield* run(validatingNorms(setup, x, d));
  // Rows already on the unit sphere (embeddings often are) train as they are: the unit copy
  // cost about 0.45 s of page faults and copying for Fashion-MNIST's 220 MB. Anything else,
  // zero-norm rows included, goes through the validating normalisation.
  if (spherical && !onUnitSphere(norms)) return { ...raw, x: yield* run(unitRowsStep(setup, x, d)) };
  return raw;
}

/**
 * Rows whose norm is within this of 1 count as unit rows under cosine: about 16 float32 ulps,
 * far above the rounding of a normalisation in float32 (about 1e-7), and so small that training
 * on them instead of on a normalised copy moves no objective by more than 2e-6 relative.
 */
const UNIT_NORM_TOLERANCE = 1e-6;

/** Whether every norm is within {@link UNIT_NORM_TOLERANCE} of 1. */
function onUnitSphere(norms: Float32Array): boolean {
  for (let i = 0; i < norms.length; i++) if (!(Math.abs(norms[i]! - 1) <= UNIT_NORM_TOLERANCE)) return false;
  return true;
}

/**
 * The rows k-means++ seeds from: `rows`, or a seeded sample of `k * perCentroid` of them (drawn as
 * the training sample is), gathered natively into a buffer borrowed from the scratch cache: a fresh 50 MB sample
 * (Fashion-MNIST, k = 1000) cost about 0.15 s in page faults, more than the copy.
 */
function* seedingRows(rows: TrainingSet, d: number, k: number, perCentroid: number, rng: Rng, borrowed: Map<ScratchUse, Float32Array>, redo: number): Engine<TrainingSet> {
  const ids = sampleIds(rows.n, k * perCentroid, rng);
  if (ids === undefined) return rows;
  const length = ids.length * d;
  // The fit borrows one seeding buffer; a seeding of another size (a multi-start trial) gets its own.
  let buffer = borrowed.get('seed');
  if (buffer === undefined) borrowed.set('seed', (buffer = takeScratch('seed', length)));
  if (buffer.length !== length) buffer = new Float32Array(length);
  const w = rows.weights;
  return {
    x: yield* run(trialRowsStep({ phase: 'seed', redo, iteration: 0 }, rows.x, ids, d, buffer)),
    n: ids.length,
    weights: w === undefined ? undefined : Float32Array.from(ids, (i) => w[i]!),
    sampled: true,
  };
}

/**
 * Fewest centroids for which the training rows get a bf16 copy: the screened passes need at
 * least two panels of centroids (`tiling_bf16.rs`).
 */
const BF16_COPY_MIN_K = 33;
/** Largest bf16 copy of the training rows made (bytes): beyond it the passes convert as they go. */
const BF16_COPY_MAX_BYTES = 1 << 30;
/**
 * Smallest dimension for the copy. Below, the passes' arithmetic per row outweighs converting
 * it, and the copy's own pass and fresh pages cost more than it saves: Gaussian 1M x 128,
 * k = 256, all rows, 3.60-3.68 s with it against 3.28-3.30 s without.
 */
const BF16_COPY_MIN_D = 256;

/**
 * A bf16 copy of the training rows for the Lloyd passes, when their full passes screen in bf16:
 * each pass would otherwise round every row to bf16 again (17% of a Fashion-MNIST k = 100 fit's
 * samples on the Intel Xeon with AMX), and the copy costs one such conversion. The results are
 * the same bits either way.
 */
function* trainingCopy(train: TrainingSet, d: number, o: ResolvedOptions): Engine<Bf16RowCopy | undefined> {
  const worth = o.maxIter >= 2 && o.k >= BF16_COPY_MIN_K && d >= BF16_COPY_MIN_D && train.n * d * 2 <= BF16_COPY_MAX_BYTES && screenedFullPasses(o, d);
  if (!worth) return undefined;
  return yield* run(bf16RowsStep({ phase: 'seed', redo: 0, iteration: 0 }, train.x, d));
}

function* fitEngine(x: Float32Array, n: number, d: number, o: ResolvedOptions): Engine<KMeansModel> {
  const k = o.k;
  const spherical = o.metric === 'cos';
  const rng = new Rng(o.seed);
  const borrowed = new Map<ScratchUse, Float32Array>();
  const train = yield* trainingRows(x, n, d, o, rng, borrowed);
  const copy = yield* trainingCopy(train, d, o);
  let best: LloydResult | undefined;
  let bestRedo = 0;
  const stats = [];
  const trials: TrialResult[] = [];
  for (let redo = 0; redo < o.nRedo; redo++) {
    const redoRng = new Rng(o.seed + 7919 * redo + 1);
    let init: Float32Array;
    const seedOne: SeedOne = function* (rows, rng) {
      if (o.init === 'random') return seedRandom(rows.x, rows.n, d, k, rng);
      const seedSet = yield* seedingRows(rows, d, k, o.seedPointsPerCentroid, rng, borrowed, redo);
      return yield* seedKMeansPP(seedSet.x, seedSet.n, d, k, rng, seedSet.weights, redo, usesProjection(seedSet.n, d, k), usesBf16Screen(d, o.simd));
    };
    if (o.init instanceof Float32Array) {
      init = Float32Array.from(o.init);
      if (spherical) for (let j = 0; j < k; j++) normalizeRow(init, j, d);
    } else if (o.initTrials > 1) {
      const seeded = yield* seedWithTrials(train, d, o, redo, seedOne, borrowed);
      init = seeded.init;
      trials.push(...seeded.trials);
    } else {
      init = yield* seedOne(train, redoRng);
    }
    // The group bounds (n x groups floats, 82 MB for 200k rows and k = 1024) come from the
    // scratch cache: fresh, they cost about 0.28 s of first-touch page faults in the first step.
    // The first step writes every row's bounds, so the buffer's old contents never matter.
    const bounds = (length: number): Float32Array => {
      const buffer = takeScratch('bounds', length);
      borrowed.set('bounds', buffer);
      return buffer;
    };
    const result = yield* lloyd(train.x, train.n, d, init, o, train.weights, redoRng, redo, !train.sampled, bounds, copy);
    stats.push(...result.stats);
    if (best === undefined || result.objective < best.objective) {
      best = result;
      bestRedo = redo;
    }
  }
  // Final assignment of every row against the final centroids: the Yinyang step reuses the
  // training bounds when the training set is the data and its bounds are valid, otherwise a full
  // fused assignment. (Without valid bounds the Yinyang step would recompute every row and build
  // bounds nobody reads: Gaussian 1M x 128, k = 256, all rows, 300 ms against about 200 ms.)
  const final: PassLabel = { phase: 'final', redo: bestRedo, iteration: best!.stats.length };
  let labels: Uint32Array;
  let sumSq = 0;
  let centroids = best!.centroids;
  let refinement: RefinementStats | undefined;
  const weights = o.sampleWeights;
  if (!train.sampled && o.maxIter > 0 && best!.state.boundsValid) {
    const moved = drift(best!.assignedTo, best!.centroids, d);
    const step = yield* run(yinyangStep(final, train.x, best!.centroids, d, best!.state.groups, best!.state, moved, weights, false, copy));
    labels = best!.state.labels;
    sumSq = step.objective;
  } else if (o.refine) {
    const r = yield* refinedFinal(final, x, n, d, best!.centroids, spherical, weights);
    centroids = r.centroids;
    labels = r.labels;
    sumSq = r.sumSq;
    refinement = { ...r.stats, objectiveBefore: objectiveFrom(r.sumSqBefore, totalWeightOf(weights, n), spherical) };
  } else {
    // The caller's rows as they are (validated block by block in this pass); under cosine the
    // kernel divides by each row's norm, so no normalised copy of the data is ever made.
    const a = yield* run(finalAssignStep(final, x, best!.centroids, d, spherical, train.x === x ? copy : undefined));
    labels = a.labels;
    sumSq = sumOfSquares(a.values, weights, spherical);
  }
  // Every pass is over (a failed fit never gets here, so a buffer a failed pass may still name is
  // never reused).
  for (const [use, buffer] of borrowed) giveBack(use, buffer);
  const totalWeight = totalWeightOf(weights, n);
  const warnings: string[] = [];
  const distinct = distinctRows(centroids, d);
  if (distinct < k) warnings.push(`only ${distinct} distinct centroids for k = ${k}: the data has fewer distinct points than k`);
  return new KMeansModel({
    params: {
      k,
      d,
      metric: o.metric,
      algorithm: o.algorithm,
      maxIter: o.maxIter,
      tol: o.tol,
      seed: o.seed,
      nRedo: o.nRedo,
      init: o.init instanceof Float32Array ? 'warm-start' : o.init,
      maxPointsPerCentroid: o.maxPointsPerCentroid,
      minTrainingPoints: o.minTrainingPoints,
      seedPointsPerCentroid: o.seedPointsPerCentroid,
      initTrials: o.initTrials,
      initTrialIterations: o.initTrialIterations,
      refine: o.refine,
      trainingRows: train.n,
      rows: n,
      weighted: weights !== undefined,
    },
    centroids,
    labels,
    objective: objectiveFrom(sumSq, totalWeight, spherical),
    stats,
    trials,
    refinement,
    bestRedo,
    warnings,
  });
}

/**
 * Fits k-means to the `n x d` rows of `x`, off the JS thread: every pass runs natively and the
 * fit can be cancelled through `options.signal`, also in the middle of a pass (the promise then
 * rejects with `CLOSTERA_CANCELLED`). Do not modify `x` until the promise settles.
 *
 * @throws `ClosteraError` (from `@clostera/kernels`) `CLOSTERA_INVALID_ARGUMENT` (k < 1, k > n, n = 0, bad options),
 *   `CLOSTERA_INVALID_TYPE`, `CLOSTERA_DIMENSION_MISMATCH` (length not a multiple of d, a warm start
 *   or weights of the wrong size), `CLOSTERA_NON_FINITE` (with the row), `CLOSTERA_ZERO_NORM`
 *   (cosine, with the row), `CLOSTERA_CANCELLED`.
 */
export async function fit(x: Float32Array, d: number, options: KMeansOptions): Promise<KMeansModel> {
  const n = rowsOf(x, d);
  const o = resolveOptions(options, n, d);
  return driveAsync(fitEngine(x, n, d, o), o);
}

/** {@link fit} on the calling thread, for small data (it blocks the event loop while it runs). */
export function fitSync(x: Float32Array, d: number, options: KMeansOptions): KMeansModel {
  const n = rowsOf(x, d);
  const o = resolveOptions(options, n, d);
  return driveSync(fitEngine(x, n, d, o), o);
}
