/**
 * The vocabulary of the selector: the problem it is asked about and the choice it returns.
 *
 * The backend names repeat `@clostera/kmeans`'s `DenseBackend` on purpose: this package stays
 * pure TypeScript with no dependency on the native engines, and `@clostera/core` checks at
 * compile time that the two lists agree.
 *
 * @module
 */

/** The k-means backends that exist today (the rule only ever names one of these). */
export type Backend = 'dense-exact-row' | 'dense-exact-random' | 'dense-exact-nredo';

/** Every {@link Backend}, in documentation order. */
export const BACKENDS: readonly Backend[] = ['dense-exact-row', 'dense-exact-random', 'dense-exact-nredo'];

/** Metrics the rule knows: squared Euclidean (`'l2'`) or spherical k-means (`'cos'`). */
export type SelectorMetric = 'l2' | 'cos';

/** What the rule looks at: the shape of the job, never the data itself. */
export interface Problem {
  /** Rows to cluster (N). */
  n: number;
  /** Components per row (D). */
  d: number;
  /** Clusters (K). */
  k: number;
  /** Metric. */
  metric: SelectorMetric;
}

/**
 * Which rows Lloyd iterations train on.
 *
 * - `'subsample'`: the engine's default seeded subsample of at most 256 rows per centroid
 *   (FAISS's `max_points_per_centroid`); the final assignment still covers every row.
 * - `'all'`: every row (`maxPointsPerCentroid: Infinity`).
 */
export type Training = 'subsample' | 'all';

/**
 * A configuration the benchmarks measured: a backend plus its training set. Each one is run by
 * exactly one benchmark contender, so a replay can look its measured quality up.
 */
export interface Configuration {
  /** The backend. */
  algorithm: Backend;
  /** Rows the iterations train on. */
  training: Training;
  /** With `training: 'subsample'`: rows per centroid when not the engine's default (256). */
  rowsPerCentroid?: number;
  /** Id of the `@clostera/bench` contender that runs exactly this configuration. */
  contender: string;
}

/** One decision on the rule's path: what was tested, on which value, and why the branch goes where it goes. */
export interface SelectionStep {
  /** What is tested, e.g. `'metric'` or `'D'`. */
  test: string;
  /** The value the test saw, e.g. `'cos'` or `784`. */
  value: string | number;
  /** The branch taken and where it leads, e.g. `'>= 160: dense-exact-row on the default subsample'`. */
  branch: string;
  /** Why this branch leads where it does: the measured cells behind it. */
  because: string;
}

/** The rule's answer for one problem, with the path that led to it. */
export interface Selection extends Configuration {
  /** The problem asked about. */
  problem: Problem;
  /** The decisions taken, in order. */
  path: SelectionStep[];
  /**
   * Where the problem lies outside the shapes the rule was measured on (empty when inside): the
   * choice there is an extrapolation, not a measurement.
   */
  extrapolated: string[];
  /** Version tag of the rule (which committed results it was derived from). */
  rule: string;
  /** The path as readable text, one line per decision. */
  explain(): string;
}
