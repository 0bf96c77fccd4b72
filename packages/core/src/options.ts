/**
 * Options of a {@link Clusterer}: the engine's options (`@clostera/kmeans`), `algorithm: 'auto'`,
 * the memory budget, and a richer progress callback.
 *
 * @module
 */
import { totalmem } from 'node:os';
import type { OpenOptions } from '@clostera/io';
import { DEFAULTS, type IterationStats, type KMeansOptions } from '@clostera/kmeans';
import { isAlgorithm, isMetric, type Algorithm, type Metric } from './algorithms.js';
import { parseByteSize } from './bytes.js';
import { invalidArgument } from './errors.js';
import type { ProgressListener } from './progress.js';

/** Options of a {@link Clusterer}. Only `k` is required; everything else has a documented default. */
export interface ClustererOptions extends Omit<KMeansOptions, 'algorithm' | 'metric' | 'onProgress' | 'onIteration'> {
  /** Number of clusters. */
  k: number;
  /** `'l2'` (default) or `'cos'` (spherical k-means). */
  metric?: Metric;
  /** `'auto'` (default: the measured rule of `@clostera/selector` picks), or a backend name. */
  algorithm?: Algorithm;
  /**
   * Byte budget for the rows Clostera reads into memory (default: half the physical memory).
   * When an input read from a file or source needs more (`n * d * 4` bytes), the fit trains on
   * a seeded sample of as many rows as fit, then labels every row chunk by chunk. A
   * `Float32Array` input is already in memory and is used as is. Also accepts `'8GiB'`-style text.
   */
  maxRam?: number | string;
  /** Called as the run progresses (reading, sampling, seeding, iterations, labelling). */
  onProgress?: ProgressListener;
  /** Called after every Lloyd iteration with its statistics. */
  onIteration?: (stats: IterationStats) => void;
}

/**
 * Per-call options of `fit`, `predict` and `transform`: how to read the input (`@clostera/io`'s
 * open options: `d` for typed arrays and raw files, `column` for Parquet/Arrow, `memmap`, ...),
 * and an optional signal and listener for this call.
 */
export interface CallOptions extends OpenOptions {
  /** Overrides the constructor's signal for this call. */
  signal?: AbortSignal;
  /** Overrides the constructor's progress listener for this call. */
  onProgress?: ProgressListener;
}

/** Default `maxRam`: half the physical memory, leaving the rest to the engine's state and the system. */
export function defaultMaxRam(): number {
  return Math.floor(totalmem() / 2);
}

/** Checked constructor options. */
export interface CheckedOptions {
  /** Clusters. */
  k: number;
  /** Metric. */
  metric: Metric;
  /** Requested algorithm. */
  algorithm: Algorithm;
  /** Seed. */
  seed: number;
  /** Budget in bytes. */
  maxRam: number;
}

/** Checks what the constructor can check without data (the engine checks the rest at fit time). */
export function checkOptions(options: ClustererOptions): CheckedOptions {
  if (options === null || typeof options !== 'object') throw invalidArgument('Clusterer options must be an object with at least k', 'object', options);
  const { k } = options;
  if (typeof k !== 'number' || !Number.isSafeInteger(k) || k < 1) throw invalidArgument('k must be a positive integer', 'integer >= 1', k);
  const metric = options.metric ?? DEFAULTS.metric;
  if (!isMetric(metric)) throw invalidArgument(`unknown metric ${String(metric)}`, "'l2' | 'cos'", metric);
  const algorithm = options.algorithm ?? 'auto';
  if (!isAlgorithm(algorithm)) throw invalidArgument(`unknown algorithm ${String(algorithm)}`, "'auto' | 'dense-exact-row' | 'dense-exact-random' | 'dense-exact-nredo'", algorithm);
  const seed = options.seed ?? DEFAULTS.seed;
  const maxRam = options.maxRam === undefined ? defaultMaxRam() : parseByteSize(options.maxRam);
  return { k, metric, algorithm, seed, maxRam };
}
