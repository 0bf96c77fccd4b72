/**
 * Public option and result types shared by the passes.
 *
 * @module
 */

import type { Bf16RowCopy } from './passes/bf16-rows.js';

/**
 * How rows are compared with centroids.
 *
 * - `'l2'`: squared Euclidean distance (smaller is nearer);
 * - `'ip'`: inner product (larger is nearer);
 * - `'cos'`: cosine similarity (larger is nearer; rows and centroids must have non-zero norm).
 */
export type Metric = 'l2' | 'ip' | 'cos';

/** An instruction-set level the kernels can run on. */
export type SimdLevel = 'scalar' | 'avx2' | 'avx512' | 'avx512bf16' | 'avx512amx' | 'neon';

/** Settings every pass accepts. */
export interface PassOptions {
  /**
   * Native threads to use. Defaults to `CLOSTERA_NUM_THREADS` or the number of cores. Results are
   * bit-identical at any thread count.
   */
  threads?: number;
  /**
   * SIMD level; `'auto'` (the default) picks `CLOSTERA_SIMD` or the best available. Asking for a
   * level the CPU lacks fails with `CLOSTERA_UNSUPPORTED_SIMD`.
   */
  simd?: SimdLevel | 'auto';
  /**
   * Scan inputs for NaN/Inf (and zero norms under `'cos'`) before computing. Defaults to `true`;
   * callers that have already validated their data may turn it off for repeated passes.
   */
  validate?: boolean;
  /**
   * A bf16 copy of the pass's rows `x`, as {@link bf16Rows} returns it (at the same `simd`
   * level): the assignments that screen centroids in bf16 ({@link assign}, {@link assignSums},
   * {@link assignTop2Sums}, {@link yinyangAssign}, at the `avx512bf16` and `avx512amx` levels)
   * read each row's bf16 pairs, norm and rounding error from it instead of converting the rows
   * again on every pass; the results are the same bits. Worth it when the same rows are assigned
   * many times (Lloyd iterations). A copy of another shape is `CLOSTERA_INVALID_ARGUMENT`, as is
   * one sharing memory with an array the pass writes. Other passes ignore it.
   */
  bf16?: Bf16RowCopy;
}

/** Options of passes that can write their result into a buffer the caller reuses. */
export interface OutOption {
  /**
   * Where to write the result (it is also returned), instead of a new array: its length must be
   * exactly the result's (`CLOSTERA_DIMENSION_MISMATCH` otherwise) and it must not share memory
   * with an input (`CLOSTERA_INVALID_ARGUMENT`). Reusing a buffer saves the page faults of fresh
   * memory, which cost more than the copy itself on a multi-megabyte result.
   */
  out?: Float32Array;
}

/** Progress of an async pass. */
export interface Progress {
  /** Rows finished so far (never decreases). */
  rowsDone: number;
  /** Rows in the pass. */
  rows: number;
}

/**
 * Settings of the `...Async` forms of the passes.
 *
 * The pass runs off the JS thread and reads (and, for `kmeansppUpdateAsync`, writes) the caller's
 * typed arrays directly, without copying them: **do not mutate, resize, transfer or detach the input
 * arrays until the returned promise settles.**
 */
export interface AsyncPassOptions extends PassOptions {
  /**
   * Cancels the pass: the native loop stops within one block of rows and the promise rejects with
   * `CLOSTERA_CANCELLED`. An already aborted signal rejects without starting the pass.
   */
  signal?: AbortSignal;
  /**
   * Called from a timer on the JS thread whenever more rows are done (and once more at the end).
   * If it throws, the pass is cancelled and the promise rejects with what it threw.
   */
  onProgress?: (progress: Progress) => void;
  /** How often progress is polled, in milliseconds. Defaults to 50. */
  progressIntervalMs?: number;
}

/** Nearest-centroid result: one entry per row. */
export interface Assignment {
  /** Index of the nearest centroid of each row (ties go to the lowest index). */
  labels: Uint32Array;
  /** Metric value to that centroid (squared distance for `'l2'`, similarity otherwise). */
  values: Float32Array;
}

/** The `l` nearest centroids of each row, row-major `n x l`, nearest first. */
export interface TopLResult {
  /** Centroid indices: `labels[i * l + j]` is the `j`-th nearest of row `i` (ties to the lowest index). */
  labels: Uint32Array;
  /** The matching metric values. */
  values: Float32Array;
}

/** Per-cluster sums for a centroid update. */
export interface Accumulation {
  /** Row-major `k x d`: the weighted sum of each cluster's rows (float64). */
  sums: Float64Array;
  /** Total weight of each cluster (its member count when unweighted). */
  weightSums: Float64Array;
  /** Member count of each cluster. */
  counts: Uint32Array;
}

/** SIMD and threading of this build on this machine. */
export interface SimdInfo {
  /** Level a pass uses when `simd` is not given. */
  inUse: SimdLevel;
  /** Every level this CPU and build support. */
  available: SimdLevel[];
  /** Default thread count. */
  threads: number;
  /**
   * Where the CPU has AVX-512 BF16: its dot product's multiply-add rate over the f32 FMA's,
   * measured once per process on one thread. `inUse` is `avx512bf16` only when this is at least
   * 1.4 (the bf16 screens change speed, not labels or centroids).
   */
  bf16Speedup?: number;
}

/** One entry of the native error-code list. */
export interface ErrorCodeInfo {
  /** The stable code, e.g. `'CLOSTERA_NON_FINITE'`. */
  code: string;
  /** When the code is used. */
  description: string;
}
