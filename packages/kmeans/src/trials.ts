/**
 * Multi-start seeding: several seedings (of the backend's kind), each followed by a few Lloyd
 * iterations on a quarter of the training rows; the one that ends with the lowest objective
 * seeds the main run.
 *
 * Why: with few centroids, which local optimum a run lands in varies from seed to seed more than
 * anything else about it, and a trial costs little next to the pass that labels every row.
 * Measured on Fashion-MNIST 70,000 x 784, k = 10, 20 main iterations on the default subsample,
 * 30 seeds: 4 trials of 5 iterations lowered the mean objective by 0.45% (l2) and 1.0% (cos) and
 * the spread (standard deviation) by 30% and 68%, for 20 iterations on 640 rows (about 2.5 ms).
 * The gain shrinks as k grows (k = 32: 0.27%; k = 100: 0.08-0.1%, 8 seeds) while the trials'
 * share of the training time grows, hence the `'auto'` default (see {@link DEFAULTS}).
 *
 * @module
 * @internal
 */
import { lloyd } from './lloyd.js';
import type { ResolvedOptions } from './options.js';
import type { TrainingSet } from './prepare.js';
import { Rng } from './random.js';
import { trialRowsStep } from './kernel-steps.js';
import { run, type Engine, type PassLabel } from './steps.js';
import { takeScratch, type ScratchUse } from './scratch.js';

/** How one trial ended. */
export interface TrialResult {
  /** Restart (0-based) the trial seeded. */
  redo: number;
  /** Trial number within the restart (0-based). */
  trial: number;
  /** Objective of the trial's last assignment, on the trial rows. */
  objective: number;
  /** Lloyd iterations the trial ran. */
  iterations: number;
  /** Wall-clock seconds of the trial (seeding included). */
  seconds: number;
  /** Whether this trial's centroids seeded the main run. */
  chosen: boolean;
}

/** Trial rows per centroid below which the trials run on every training row. */
const MIN_TRIAL_ROWS_PER_CENTROID = 16;
/** Trials run on every `TRIAL_STRIDE`-th training row (a quarter of them). */
const TRIAL_STRIDE = 4;

/** Seeds `k` centroids from `rows` with `rng` (k-means++ or random, as the backend seeds). */
export type SeedOne = (rows: TrainingSet, rng: Rng) => Engine<Float32Array>;

/** The seed of trial `t` of restart `redo`: its own stream, apart from the main run's. */
function trialSeed(seed: number, redo: number, t: number): number {
  return (seed + 7919 * redo + 104_729 * (t + 1) + 1) >>> 0;
}

/** The rows the trials run on: every fourth training row, or all of them on small sets. */
function* trialRows(train: TrainingSet, d: number, k: number, label: PassLabel, borrowed: Map<ScratchUse, Float32Array>): Engine<TrainingSet> {
  const stride = Math.min(TRIAL_STRIDE, Math.floor(train.n / (MIN_TRIAL_ROWS_PER_CENTROID * k)));
  if (stride <= 1) return train;
  const ids = new Uint32Array(Math.floor(train.n / stride));
  for (let i = 0; i < ids.length; i++) ids[i] = i * stride;
  const w = train.weights;
  return {
    x: yield* run(trialRowsStep(label, train.x, ids, d, scratchFor(borrowed, ids.length * d))),
    n: ids.length,
    weights: w === undefined ? undefined : Float32Array.from(ids, (i) => w[i]!),
    sampled: train.sampled,
  };
}

/** The trial rows' buffer, borrowed once per fit (restarts reuse it). */
function scratchFor(borrowed: Map<ScratchUse, Float32Array>, length: number): Float32Array {
  const held = borrowed.get('trial');
  if (held !== undefined && held.length === length) return held;
  const buffer = takeScratch('trial', length);
  borrowed.set('trial', buffer);
  return buffer;
}

/**
 * Runs `o.initTrials` trials for restart `redo` and returns the centroids the main run starts
 * from (the best trial's, after its iterations) with every trial's result. The trial rows live
 * in a buffer borrowed from the scratch cache and listed in `borrowed` (the fit gives it back).
 */
export function* seedWithTrials(
  train: TrainingSet,
  d: number,
  o: ResolvedOptions,
  redo: number,
  seedOne: SeedOne,
  borrowed: Map<ScratchUse, Float32Array>,
): Engine<{ init: Float32Array; trials: TrialResult[] }> {
  const label: PassLabel = { phase: 'seed', redo, iteration: 0 };
  const rows = yield* trialRows(train, d, o.k, label, borrowed);
  // The trials' own iterations: fixed count, no tolerance, and not reported as main iterations.
  const trialOptions: ResolvedOptions = { ...o, maxIter: o.initTrialIterations, tol: 0, onIteration: undefined };
  const trials: TrialResult[] = [];
  let best: Float32Array | undefined;
  let bestAt = 0;
  for (let t = 0; t < o.initTrials; t++) {
    const t0 = performance.now();
    const rng = new Rng(trialSeed(o.seed, redo, t));
    const seeds = yield* seedOne(rows, rng);
    const result = yield* lloyd(rows.x, rows.n, d, seeds, trialOptions, rows.weights, rng, redo, false);
    trials.push({ redo, trial: t, objective: result.objective, iterations: result.stats.length, seconds: (performance.now() - t0) / 1000, chosen: false });
    // Strictly lower wins, so ties keep the earliest trial.
    if (best === undefined || result.objective < trials[bestAt]!.objective) {
      best = result.centroids;
      bestAt = t;
    }
  }
  trials[bestAt]!.chosen = true;
  return { init: best!, trials };
}
