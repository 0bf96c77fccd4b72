/**
 * Options of the dense exact engines, with every default documented in one place.
 *
 * @module
 */
import { ClosteraError, ErrorCode } from '@clostera/kernels';
import type { Progress, SimdLevel } from '@clostera/kernels';
import type { IterationStats } from './stats.js';

/** The metrics the engines cluster with. */
export type KMeansMetric = 'l2' | 'cos';

/** Seeding methods by name. */
export type InitMethod = 'kmeans++' | 'random';

/** The public names of the dense exact backends (the selector uses them). */
export type DenseBackend = 'dense-exact-row' | 'dense-exact-random' | 'dense-exact-nredo';

/** Progress of a fit: which phase, and rows done in the current pass. */
export interface FitProgress extends Progress {
  /** `'seed'` while choosing initial centroids, `'lloyd'` during iterations, `'final'` for the last assignment over all rows. */
  phase: 'seed' | 'lloyd' | 'final';
  /** Restart number (0-based) and Lloyd iteration (0-based) the pass belongs to. */
  redo: number;
  iteration: number;
}

/** Options of {@link fit}. Every field but `k` is optional; see {@link DEFAULTS}. */
export interface KMeansOptions {
  /** Number of clusters (at least 1, at most the number of rows). */
  k: number;
  /** `'l2'` (objective: mean squared distance) or `'cos'` (spherical k-means; objective: mean of 1 - cos). */
  metric?: KMeansMetric;
  /** Which dense exact backend: k-means++ seeding, random seeding, or several restarts. */
  algorithm?: DenseBackend;
  /** Maximum Lloyd iterations. */
  maxIter?: number;
  /** Stop when the relative decrease of the objective falls below this; 0 runs all `maxIter` iterations. */
  tol?: number;
  /** Seed of every random choice: the same seed gives the same result at any thread count. */
  seed?: number;
  /** Restarts for `'dense-exact-nredo'` (each seeded `seed + r`); the lowest training objective wins. */
  nRedo?: number;
  /** A seeding method, or explicit `k x d` centroids for a warm start. */
  init?: InitMethod | Float32Array;
  /**
   * Train on at most `k * maxPointsPerCentroid` rows (a seeded sample, as FAISS does), or on
   * `minTrainingPoints` where that is more; the final assignment always covers every row.
   * `Infinity` trains on all rows.
   */
  maxPointsPerCentroid?: number;
  /**
   * Train on at least this many rows (all of them when the data has fewer) where
   * `k * maxPointsPerCentroid` would draw a smaller sample. With few centroids FAISS's rule draws
   * a small sample (2,560 rows at k = 10) whose sampling noise costs more objective than a larger
   * sample costs time next to the pass that labels every row. `0` keeps FAISS's rule exactly.
   */
  minTrainingPoints?: number;
  /**
   * k-means++ seeds from at most `k * seedPointsPerCentroid` training rows (a seeded sample): its
   * cost grows as k x rows x d, so on large sets a sample gives nearly the same seeds far
   * sooner. `Infinity` seeds from every training row.
   */
  seedPointsPerCentroid?: number;
  /**
   * Multi-start seeding: seedings tried before the main run, each followed by
   * `initTrialIterations` Lloyd iterations on a quarter of the training rows; the lowest
   * objective seeds the main run. `'auto'` tries 4 when `k <= 16` and 1 (plain seeding) above.
   * Ignored for a warm start (`init` given as centroids).
   */
  initTrials?: number | 'auto';
  /** Lloyd iterations of each multi-start trial. */
  initTrialIterations?: number;
  /**
   * After training on a sample, one more update over every row: the pass that labels all rows
   * also sums them, the centroids move to those means, and the labels the move could change are
   * recomputed (see `KMeansModel.refinement`). `'auto'` refines when the training iterations
   * read at least 4 times as many rows as the data has (`maxIter x training rows >= 4 n`), where
   * the extra pass costs little next to them. No effect when every row trains.
   */
  refine?: boolean | 'auto';
  /** One non-negative weight per row. */
  sampleWeights?: Float32Array;
  /** Native threads (default: `CLOSTERA_NUM_THREADS` or all cores). */
  threads?: number;
  /** SIMD level (default: the best available). */
  simd?: SimdLevel | 'auto';
  /** Cancels the fit, also in the middle of a pass. */
  signal?: AbortSignal;
  /** Called after every Lloyd iteration with its statistics. */
  onIteration?: (stats: IterationStats) => void;
  /** Called as passes progress. */
  onProgress?: (progress: FitProgress) => void;
}

/**
 * The defaults, in one place.
 *
 * - `metric: 'l2'`.
 * - `algorithm: 'dense-exact-row'` (greedy k-means++ seeding: better optima than random starts).
 * - `maxIter: 25` (FAISS's `niter` default).
 * - `tol: 1e-4` relative objective decrease (0 for a fixed iteration count).
 * - `seed: 1234` (FAISS's default seed).
 * - `nRedo: 3` restarts for `'dense-exact-nredo'` (1 for the others).
 * - `maxPointsPerCentroid: 256` (FAISS's default training subsample).
 * - `minTrainingPoints: 5120`: only fits with `k < 20` train on more rows than FAISS's rule.
 *   On Fashion-MNIST 70,000 x 784 at k = 10 (20 iterations, 30 seeds, 2 threads) training on
 *   2,560 / 3,840 / 5,120 / 7,680 rows gave mean objectives 2,095,958 / 2,093,801 / 2,090,951 /
 *   2,085,946 (l2) and 0.113416 / 0.113189 / 0.113046 / 0.112760 (cos), with fastest fits of
 *   21 / 27 / 33 / 41 ms (l2): 5,120 rows take 0.24% (l2) and 0.33% (cos) off the objective for
 *   about 12 ms; beyond it each further 0.1% costs about 4 ms.
 * - `seedPointsPerCentroid: 16` (chosen by measurement; see the kmeans benchmark notes).
 * - `initTrials: 'auto'`: 4 trials when `k <= 16`, otherwise 1. On Fashion-MNIST 70,000 x 784 at
 *   k = 10 (30 seeds) 4 trials lowered the mean objective by 0.45% (l2) and 1.0% (cos) and
 *   the spread by 30-68%; at k = 32 by 0.27%, at k = 100 by 0.1%, where they cost a quarter of
 *   the training time.
 * - `initTrialIterations: 5`.
 * - `refine: 'auto'`: when `maxIter x training rows >= 4 n`. On Fashion-MNIST 70,000 x 784 at
 *   k = 100 (20 iterations on 25,600 rows) it lowered the objective by 0.33% (l2) and 0.35%
 *   (cos); at k = 10 (2,560 rows) by 0.42-0.59%, but there the two passes cost about a quarter
 *   of the fit, so `'auto'` leaves it off.
 */
export const DEFAULTS = {
  metric: 'l2' as KMeansMetric,
  algorithm: 'dense-exact-row' as DenseBackend,
  maxIter: 25,
  tol: 1e-4,
  seed: 1234,
  nRedo: 3,
  maxPointsPerCentroid: 256,
  minTrainingPoints: 5120,
  seedPointsPerCentroid: 16,
  initTrials: 'auto',
  initTrialIterations: 5,
  refine: 'auto',
} as const;

/** `refine: 'auto'` refines when `maxIter x training rows >= REFINE_MIN_PASSES x n`. */
export const REFINE_MIN_PASSES = 4;

/** The most centroids for which `initTrials: 'auto'` runs multi-start trials. */
export const AUTO_TRIALS_MAX_K = 16;
/** Trials `initTrials: 'auto'` runs when `k <= AUTO_TRIALS_MAX_K`. */
export const AUTO_TRIALS = 4;

/** Options with defaults applied and values checked. */
export interface ResolvedOptions {
  k: number;
  metric: KMeansMetric;
  algorithm: DenseBackend;
  maxIter: number;
  tol: number;
  seed: number;
  nRedo: number;
  init: InitMethod | Float32Array;
  maxPointsPerCentroid: number;
  minTrainingPoints: number;
  /** Rows the Lloyd iterations train on: `n`, or the size of the seeded sample. */
  trainingRows: number;
  seedPointsPerCentroid: number;
  /** Multi-start trials per seeding (1: plain seeding). */
  initTrials: number;
  initTrialIterations: number;
  /** Whether a sampled fit ends with a refinement step. */
  refine: boolean;
  sampleWeights: Float32Array | undefined;
  threads: number | undefined;
  simd: SimdLevel | 'auto' | undefined;
  signal: AbortSignal | undefined;
  onIteration: ((stats: IterationStats) => void) | undefined;
  onProgress: ((progress: FitProgress) => void) | undefined;
}

function invalid(message: string, expected: unknown, actual: unknown): ClosteraError {
  return new ClosteraError(ErrorCode.InvalidArgument, message, { expected, actual });
}

function integer(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw invalid(`${name} must be an integer >= ${min}`, `integer >= ${min}`, value);
  }
  return value;
}

/**
 * Rows a fit trains on: every row, or `max(k * maxPointsPerCentroid, minTrainingPoints)` of them
 * when the data has more.
 */
function trainingSampleSize(n: number, k: number, maxPointsPerCentroid: number, minTrainingPoints: number): number {
  const cap = Math.max(k * maxPointsPerCentroid, minTrainingPoints);
  return n > cap ? Math.floor(cap) : n;
}

/** Applies {@link DEFAULTS} and checks every option against `n` rows of dimension `d`. */
export function resolveOptions(options: KMeansOptions, n: number, d: number): ResolvedOptions {
  if (options === null || typeof options !== 'object') throw invalid('options must be an object with at least k', 'object', options);
  const k = integer('k', options.k, 1);
  if (n === 0) throw invalid('the data has no rows', 'n >= 1', 0);
  if (k > n) throw invalid(`k = ${k} exceeds the number of rows n = ${n}`, `<= ${n}`, k);
  const metric = options.metric ?? DEFAULTS.metric;
  if (metric !== 'l2' && metric !== 'cos') throw invalid(`unknown metric ${String(metric)}`, "'l2' | 'cos'", metric);
  const algorithm = options.algorithm ?? DEFAULTS.algorithm;
  if (!['dense-exact-row', 'dense-exact-random', 'dense-exact-nredo'].includes(algorithm)) {
    throw invalid(`unknown dense backend ${String(algorithm)}`, 'dense-exact-row | dense-exact-random | dense-exact-nredo', algorithm);
  }
  const tol = options.tol ?? DEFAULTS.tol;
  if (typeof tol !== 'number' || !(tol >= 0) || !Number.isFinite(tol)) throw invalid('tol must be a finite number >= 0', '>= 0', tol);
  const mppc = options.maxPointsPerCentroid ?? DEFAULTS.maxPointsPerCentroid;
  if (typeof mppc !== 'number' || !(mppc >= 1)) throw invalid('maxPointsPerCentroid must be >= 1 (or Infinity)', '>= 1', mppc);
  const minTraining = options.minTrainingPoints ?? DEFAULTS.minTrainingPoints;
  if (typeof minTraining !== 'number' || !(minTraining >= 0) || !Number.isFinite(minTraining)) {
    throw invalid('minTrainingPoints must be a finite number >= 0', '>= 0', minTraining);
  }
  const sppc = options.seedPointsPerCentroid ?? DEFAULTS.seedPointsPerCentroid;
  if (typeof sppc !== 'number' || !(sppc >= 1)) throw invalid('seedPointsPerCentroid must be >= 1 (or Infinity)', '>= 1', sppc);
  const init = options.init ?? (algorithm === 'dense-exact-random' ? 'random' : 'kmeans++');
  if (init instanceof Float32Array) {
    if (init.length !== k * d) {
      throw new ClosteraError(ErrorCode.DimensionMismatch, `warm-start centroids have length ${init.length}, expected k * d = ${k * d}`, {
        expected: k * d,
        actual: init.length,
      });
    }
  } else if (init !== 'kmeans++' && init !== 'random') {
    throw invalid(`unknown init ${String(init)}`, "'kmeans++' | 'random' | Float32Array", init);
  }
  const trialsOption = options.initTrials ?? DEFAULTS.initTrials;
  const initTrials = init instanceof Float32Array ? 1 : trialsOption === 'auto' ? (k <= AUTO_TRIALS_MAX_K ? AUTO_TRIALS : 1) : integer('initTrials', trialsOption, 1);
  const refineOption = options.refine ?? DEFAULTS.refine;
  if (refineOption !== 'auto' && typeof refineOption !== 'boolean') throw invalid(`refine must be true, false or 'auto', got ${String(refineOption)}`, "boolean | 'auto'", refineOption);
  const maxIter = integer('maxIter', options.maxIter ?? DEFAULTS.maxIter, 0);
  const trainingRows = trainingSampleSize(n, k, mppc, minTraining);
  const refine = trainingRows < n && maxIter > 0 && (refineOption === 'auto' ? maxIter * trainingRows >= REFINE_MIN_PASSES * n : refineOption);
  const w = options.sampleWeights;
  if (w !== undefined) {
    if (!(w instanceof Float32Array)) {
      throw new ClosteraError(ErrorCode.InvalidType, 'sampleWeights must be a Float32Array', { expected: 'Float32Array', actual: Object.prototype.toString.call(w) });
    }
    if (w.length !== n) {
      throw new ClosteraError(ErrorCode.DimensionMismatch, `sampleWeights have length ${w.length}, the data has ${n} rows`, { expected: n, actual: w.length });
    }
    for (let i = 0; i < n; i++) {
      const v = w[i]!;
      if (!(v >= 0) || !Number.isFinite(v)) {
        const code = Number.isFinite(v) ? ErrorCode.InvalidArgument : ErrorCode.NonFinite;
        throw new ClosteraError(code, `sample weight of row ${i} is ${v}; weights must be finite and >= 0`, { row: i, expected: '>= 0', actual: v });
      }
    }
  }
  return {
    k,
    metric,
    algorithm,
    maxIter,
    tol,
    seed: integer('seed', options.seed ?? DEFAULTS.seed, 0),
    nRedo: algorithm === 'dense-exact-nredo' ? integer('nRedo', options.nRedo ?? DEFAULTS.nRedo, 1) : 1,
    init,
    maxPointsPerCentroid: mppc,
    minTrainingPoints: minTraining,
    trainingRows,
    seedPointsPerCentroid: sppc,
    initTrials,
    initTrialIterations: integer('initTrialIterations', options.initTrialIterations ?? DEFAULTS.initTrialIterations, 1),
    refine,
    sampleWeights: w,
    threads: options.threads,
    simd: options.simd,
    signal: options.signal,
    onIteration: options.onIteration,
    onProgress: options.onProgress,
  };
}
