/**
 * The in-process side of a JavaScript contender: what the node worker calls.
 *
 * @module
 */
import type { BenchMetric } from '../metrics/objective.js';

/** One fit's output. */
export interface EngineFit {
  /** Row-major `k x d` centroids. */
  centroids: Float32Array;
  /** Cluster of each row, when the engine returns labels. */
  labels?: Uint32Array;
  /** Iterations run. */
  iterations?: number;
  /** The engine's own final objective, when it reports one. */
  reportedObjective?: number;
  /** Remarks worth keeping in the results (parameters actually used, warnings). */
  notes?: string;
}

/** What one fit is asked to do. */
export interface FitJob {
  /** Clusters. */
  k: number;
  /** Lloyd iterations (a fixed count: engines should not stop on tolerance). */
  maxIter: number;
  /** Initialisation seed. */
  seed: number;
}

/** A JavaScript engine behind the worker protocol. */
export interface InProcessEngine {
  /**
   * Imports the library and returns its versions. Rejects with a message saying why when the
   * library is missing, which makes the contender "missing" in the report.
   */
  load(): Promise<Record<string, string>>;
  /** Untimed, once per worker: converts or indexes the data as the engine needs. */
  prepare(x: Float32Array, n: number, d: number, metric: BenchMetric, threads: number): void | Promise<void>;
  /** One timed fit. */
  fit(job: FitJob): Promise<EngineFit>;
}
