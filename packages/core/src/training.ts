/**
 * Getting the training rows into one `Float32Array` (the engines work on in-memory rows) within
 * the `maxRam` budget: all rows when they fit, otherwise a seeded sample of as many rows as fit.
 *
 * @module
 */
import { ClosteraError, ErrorCode } from '@clostera/kernels';
import type { VectorSource } from '@clostera/io';
import { formatBytes } from './bytes.js';
import { asClosteraError, throwIfAborted } from './errors.js';
import type { OpenedInput } from './input.js';
import type { ProgressTracker } from './progress.js';
import { sampleIndices } from './random.js';

/** The rows a fit trains on. */
export interface TrainingRows {
  /** Row-major rows. */
  matrix: Float32Array;
  /** How many. */
  rows: number;
  /** True when they are a sample of the input (the input exceeded `maxRam`). */
  sampled: boolean;
}

/** Chunk budget for streaming passes: large enough to amortise calls, small next to any sane `maxRam`. */
export const STREAM_CHUNK_BYTES = 32 * 1024 * 1024;

/** Rows gathered per `source.rows()` call while sampling, so progress and cancellation stay responsive. */
const SAMPLE_BATCH_ROWS = 65_536;

function allocate(values: number, why: string): Float32Array {
  try {
    return new Float32Array(values);
  } catch (error) {
    throw new ClosteraError(ErrorCode.OutOfMemory, `cannot allocate ${formatBytes(values * 4)} for ${why}`, { cause: asClosteraError(error) });
  }
}

/** Reads every row of `source` into one array, chunk by chunk. */
export async function readAll(source: VectorSource, signal: AbortSignal | undefined, progress: ProgressTracker): Promise<Float32Array> {
  const { n, d } = source;
  const out = allocate(n * d, `${n} x ${d} rows`);
  progress.report('read', 0, n);
  for await (const chunk of source.chunks({ maxBytes: Math.max(STREAM_CHUNK_BYTES, d * 8) })) {
    throwIfAborted(signal, 'reading the input');
    out.set(chunk.data, chunk.start * d);
    progress.report('read', chunk.start + chunk.rows, n);
  }
  return out;
}

/** Gathers the rows at `indices` (sorted) in batches. */
async function gather(source: VectorSource, indices: Float64Array, signal: AbortSignal | undefined, progress: ProgressTracker): Promise<Float32Array> {
  const d = source.d;
  const out = allocate(indices.length * d, `a sample of ${indices.length} x ${d} rows`);
  progress.report('sample', 0, indices.length);
  for (let at = 0; at < indices.length; at += SAMPLE_BATCH_ROWS) {
    throwIfAborted(signal, 'sampling the input');
    const batch = indices.subarray(at, Math.min(indices.length, at + SAMPLE_BATCH_ROWS));
    out.set(await source.rows(batch), at * d);
    progress.report('sample', at + batch.length, indices.length);
  }
  return out;
}

/** Options of {@link trainingRows}. */
export interface TrainingOptions {
  /** Byte budget of the training matrix. */
  maxRam: number;
  /** Clusters (a sample needs at least k rows). */
  k: number;
  /** Seed of the sample. */
  seed: number;
  /** Cancels reading. */
  signal: AbortSignal | undefined;
}

/** Whether an input must be sampled to fit `maxRam` (a `Float32Array` input is already in memory and never is). */
export function needsSample(input: OpenedInput, maxRam: number): boolean {
  return input.matrix === undefined && input.n * input.d * 4 > maxRam;
}

/**
 * The training rows of an input: the array itself, every row read into memory, or (when
 * `n * d * 4` exceeds `maxRam`) a seeded sample of `floor(maxRam / (4 d))` rows.
 *
 * @throws `CLOSTERA_OUT_OF_MEMORY` when the budget holds fewer than `k` rows, or an allocation fails.
 */
export async function trainingRows(input: OpenedInput, o: TrainingOptions, progress: ProgressTracker): Promise<TrainingRows> {
  if (input.matrix !== undefined) return { matrix: input.matrix, rows: input.n, sampled: false };
  const source = input.source!;
  if (!needsSample(input, o.maxRam)) return { matrix: await readAll(source, o.signal, progress), rows: input.n, sampled: false };
  const m = Math.floor(o.maxRam / (4 * input.d));
  if (m < o.k) {
    throw new ClosteraError(
      ErrorCode.OutOfMemory,
      `maxRam ${formatBytes(o.maxRam)} holds ${m} rows of d = ${input.d}, fewer than k = ${o.k}; raise maxRam to at least ${formatBytes(o.k * input.d * 4)}`,
      { expected: `>= ${o.k * input.d * 4} bytes`, actual: o.maxRam },
    );
  }
  const indices = sampleIndices(input.n, m, o.seed);
  return { matrix: await gather(source, indices, o.signal, progress), rows: m, sampled: true };
}
