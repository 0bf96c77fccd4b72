/**
 * The results file: everything a run measured, with the environment it ran in. Reports and plots
 * are rendered from this file alone, so a committed results file can be re-rendered at any time.
 *
 * @module
 */
import type { EngineFamily } from '../contenders/types.js';
import type { Quality } from '../metrics/evaluate.js';
import type { BenchMetric } from '../metrics/objective.js';

/** Format tag of results files written by this version. */
export const RESULTS_SCHEMA = 'clostera-bench/1';

/** Outcome of one (cell, contender) row. */
export type RowStatus = 'ok' | 'missing' | 'skipped' | 'timeout' | 'error';

/** The machine and software a run used. */
export interface Environment {
  /** CPU model name. */
  cpuModel: string;
  /** Logical cores. */
  cores: number;
  /** Physical memory in bytes. */
  memoryBytes: number;
  /** Operating system and kernel. */
  os: string;
  /** SIMD level in use and available (`@clostera/kernels` simdInfo), or why it is unknown. */
  simd: { inUse: string; available: string[]; threads: number; bf16Speedup?: number } | { error: string };
  /** Threads every contender was given. */
  threads: number;
  /** Versions: node, our packages, each peer's libraries. */
  versions: Record<string, string>;
  /** Git revision of the checkout, and whether it had uncommitted changes. */
  git: { revision: string; dirty: boolean } | { error: string };
  /** Environment variables that change performance (thread counts, OpenBLAS core type, SIMD override). */
  variables: Record<string, string>;
  /** How peak memory was measured. */
  rssMethod: string;
  /**
   * 1, 5 and 15-minute load averages at the start and end of the run: a busy machine (load near
   * or above the core count) makes timings noisy, and the report says so.
   */
  loadAverage: { start: number[]; end?: number[] };
}

/** Method settings of a run. */
export interface Settings {
  /** Timed repetitions per row (the median is reported). */
  repeats: number;
  /** Untimed warm-up fits per row, before the timed ones. */
  warmup: number;
  /** Iterations of each warm-up fit (short: it warms imports, thread pools and caches). */
  warmupIter: number;
  /** Fixed Lloyd iterations of every timed fit. */
  maxIter: number;
  /** Per-fit timeout in seconds; also the time budget after which no further repetition starts. */
  timeoutSeconds: number;
  /** Initialisation seed of every fit. */
  seed: number;
  /** Threads per contender. */
  threads: number;
}

/** A dataset of the run. */
export interface DatasetRecord {
  /** Canonical spec (the key used by rows). */
  id: string;
  /** Short name. */
  title: string;
  /** Rows. */
  n: number;
  /** Components per row. */
  d: number;
  /** Ground-truth classes, when labelled. */
  classes?: number;
  /** Where it came from. */
  source: string;
  /** Key shared by datasets that differ only in n (time-vs-N plots). */
  series?: string;
  /** Seconds spent loading or generating it. */
  loadSeconds: number;
}

/** A contender of the run, available or not. */
export interface ContenderRecord {
  /** Contender id. */
  id: string;
  /** Human label. */
  label: string;
  /** Engine family. */
  family: EngineFamily;
  /** What runs exactly. */
  description: string;
  /** Whether its engine loaded. */
  available: boolean;
  /** Versions, when available. */
  version?: string;
  /** Why it is missing, when it is. */
  reason?: string;
}

/** One contender on one cell. */
export interface Row {
  /** Dataset id. */
  dataset: string;
  /** Metric. */
  metric: BenchMetric;
  /** Clusters. */
  k: number;
  /** Contender id. */
  contender: string;
  /** Outcome. */
  status: RowStatus;
  /** Why it is not `ok`. */
  reason?: string;
  /** Median fit seconds over the timed repetitions. */
  seconds?: number;
  /** Every timed repetition, in run order. */
  times: number[];
  /** Iterations the engine ran (first timed fit). */
  iterations?: number;
  /** Quality of the first timed fit's centroids, measured on all rows. */
  quality?: Quality;
  /** The engine's own final objective, when it reports one (for cross-checking only). */
  reportedObjective?: number;
  /** Peak resident memory of the contender's worker process, bytes. */
  peakRssBytes?: number;
  /** Remarks from the engine (parameters used, approximations). */
  notes?: string;
}

/** The verdict on one cell. */
export interface CellSummary {
  /** Dataset id. */
  dataset: string;
  /** Metric. */
  metric: BenchMetric;
  /** Clusters. */
  k: number;
  /** Contender with the lowest objective (ties to the faster), if any row succeeded. */
  best?: string;
  /** Quality-speed winner (see the winner rule), if any row succeeded. */
  winner?: string;
  /** Winner's speed-up over the best-quality row (1 when the best row itself wins). */
  speedup?: number;
  /** Winner's relative objective gap to the best row (0 when the best row itself wins). */
  qualityGap?: number;
}

/** A whole results file. */
export interface BenchResults {
  /** Always {@link RESULTS_SCHEMA}. */
  schema: typeof RESULTS_SCHEMA;
  /** Suite name (`quick`, `full`, or `custom`). */
  suite: string;
  /** The command line that produced the file. */
  command: string;
  /** ISO time the run started. */
  startedAt: string;
  /** ISO time the run ended (absent while it runs). */
  finishedAt?: string;
  /** Machine and versions. */
  environment: Environment;
  /** Method settings. */
  settings: Settings;
  /** Datasets, in run order. */
  datasets: DatasetRecord[];
  /** Contenders, in report order. */
  contenders: ContenderRecord[];
  /** Every (cell, contender) row. */
  rows: Row[];
  /** Verdict of every cell. */
  cells: CellSummary[];
}
