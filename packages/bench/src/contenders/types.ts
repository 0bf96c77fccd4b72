/**
 * What a contender is: an engine configuration the benchmark runs in its own worker process.
 *
 * Every contender (our engines, FAISS, scikit-learn, ml-kmeans) runs in a child process that
 * loads the data once per cell and then fits on request, so its peak resident memory is its own
 * and a hung or crashed engine cannot take the benchmark down.
 *
 * @module
 */
import type { BenchMetric } from '../metrics/objective.js';

/** The engine families, used to colour plots and group the report. */
export type EngineFamily = 'clostera' | 'faiss' | 'sklearn' | 'ml-kmeans';

/** The shape of a benchmark cell, for {@link Contender.supports}. */
export interface CellShape {
  /** Rows. */
  n: number;
  /** Components per row. */
  d: number;
  /** Clusters. */
  k: number;
  /** Metric of the cell. */
  metric: BenchMetric;
  /** Lloyd iterations asked for. */
  maxIter: number;
}

/** Whether a contender's engine can be loaded here, and its version. */
export interface Availability {
  /** True when the engine loaded. */
  available: boolean;
  /** Version of the engine (and of its runtime) when known. */
  version?: string;
  /** Why it is missing, when it is. */
  reason?: string;
}

/** How to start a worker process for a contender. */
export interface WorkerCommand {
  /** Executable. */
  command: string;
  /** Arguments (the worker config file is appended as the last one). */
  args: string[];
}

/** An engine configuration that takes part in benchmarks. */
export interface Contender {
  /** Stable id used on the command line and in results, e.g. `faiss-all`. */
  readonly id: string;
  /** Human label for tables and legends. */
  readonly label: string;
  /** Engine family. */
  readonly family: EngineFamily;
  /** What exactly runs, including non-default parameters. */
  readonly description: string;
  /**
   * Undefined when the contender can run this cell, else the reason it cannot (for example a
   * JavaScript baseline on a set too large for it). Such rows are reported as skipped with the reason.
   */
  supports(cell: CellShape): string | undefined;
  /** Checks the engine loads (cached per process). */
  probe(): Promise<Availability>;
  /** The command that starts a worker for this contender. */
  worker(): WorkerCommand;
}
