/**
 * The line-delimited JSON protocol between the benchmark and its worker processes.
 *
 * The worker is started with one argument, the path of a {@link WorkerConfig} JSON file. It loads
 * the data, prints a {@link ReadyMessage}, then answers each {@link RunRequest} read from stdin
 * with a {@link RunReply} on stdout, and on `{"type":"exit"}` prints a {@link ByeMessage} and
 * exits. Results travel as files: `<out>.centroids.f32` (k x d float32, little-endian) and,
 * when the engine returns labels, `<out>.labels.u32`. The Python peer (`peers/peer.py`) speaks the
 * same protocol.
 *
 * @module
 */
import type { BenchMetric } from '../metrics/objective.js';

/** Written by the parent before it starts a worker. */
export interface WorkerConfig {
  /** Contender id (selects the engine configuration inside the worker). */
  contender: string;
  /** Raw little-endian float32 `n x d` data file. */
  data: string;
  /** Rows. */
  n: number;
  /** Components per row. */
  d: number;
  /** Metric of the cell (the data file is already unit-normalised for `cos`). */
  metric: BenchMetric;
  /** Threads the engine may use. */
  threads: number;
}

/** A fit request. */
export interface RunRequest {
  /** Always `run`. */
  type: 'run';
  /** Request id, echoed in the reply. */
  id: string;
  /** Clusters. */
  k: number;
  /** Lloyd iterations (fixed count: engines are asked not to stop early on tolerance). */
  maxIter: number;
  /** Seed of the initialisation. */
  seed: number;
  /** Path prefix of the result files. */
  out: string;
}

/** Printed once the data is loaded and the engine imported. */
export interface ReadyMessage {
  /** Always `ready`. */
  type: 'ready';
  /** Versions of the engine and runtime. */
  versions?: Record<string, string>;
}

/** The answer to a {@link RunRequest}. */
export type RunReply =
  | {
      type: 'result';
      id: string;
      /** Seconds spent in the engine's fit call only (data loading excluded). */
      seconds: number;
      /** Iterations the engine ran, when it says. */
      iterations?: number;
      /** True when `<out>.labels.u32` was written. */
      labels: boolean;
      /** The engine's own final objective, when it reports one (not used for ranking). */
      reportedObjective?: number;
      /** Free-form remarks (warnings, parameters actually used). */
      notes?: string;
    }
  | { type: 'error'; id: string; message: string; code?: string };

/** Printed before a worker exits. */
export interface ByeMessage {
  /** Always `bye`. */
  type: 'bye';
  /** Peak resident set of the worker in KiB as the worker itself measured it (getrusage). */
  maxRssKb?: number;
}
