/**
 * Passes of fitted centroids over a whole input, chunk by chunk for sources (bounded memory) or
 * in one native call for in-memory rows: nearest-centroid labels with the objective, and the
 * row-to-centroid distance matrix.
 *
 * @module
 */
import { assignAsync, ClosteraError, distanceTileAsync, ErrorCode } from '@clostera/kernels';
import type { KMeansMetric } from '@clostera/kmeans';
import { formatBytes } from './bytes.js';
import { throwIfAborted } from './errors.js';
import type { OpenedInput } from './input.js';
import type { ProgressTracker, Stage } from './progress.js';
import { STREAM_CHUNK_BYTES } from './training.js';

/** Fitted centroids and how to compare rows with them. */
export interface Centroids {
  /** Row-major `k x d`. */
  centroids: Float32Array;
  /** Clusters. */
  k: number;
  /** Components per row. */
  d: number;
  /** Metric. */
  metric: KMeansMetric;
}

/** Visits `input` in row blocks: the whole matrix at once, or the source's chunks. */
async function eachBlock(
  input: OpenedInput,
  signal: AbortSignal | undefined,
  visit: (rows: Float32Array, start: number, count: number) => Promise<void>,
): Promise<void> {
  if (input.matrix !== undefined) {
    await visit(input.matrix, 0, input.n);
    return;
  }
  for await (const chunk of input.source!.chunks({ maxBytes: Math.max(STREAM_CHUNK_BYTES, input.d * 8) })) {
    throwIfAborted(signal, 'reading the input');
    await visit(chunk.data, chunk.start, chunk.rows);
  }
}

function checkDimension(input: OpenedInput, c: Centroids): void {
  if (input.d !== c.d) {
    throw new ClosteraError(ErrorCode.DimensionMismatch, `the model has d = ${c.d}, the input has d = ${input.d}`, { expected: c.d, actual: input.d });
  }
}

/** Labels of every row and the objective over all of them (mean squared distance, or mean 1 - cos). */
export async function labelAll(
  input: OpenedInput,
  c: Centroids,
  signal: AbortSignal | undefined,
  progress: ProgressTracker | undefined,
  stage: Stage = 'predict',
): Promise<{ labels: Uint32Array; objective: number }> {
  checkDimension(input, c);
  const labels = new Uint32Array(input.n);
  let sum = 0;
  await eachBlock(input, signal, async (rows, start, count) => {
    const onProgress = (p: { rowsDone: number }): void => progress?.report(stage, start + p.rowsDone, input.n);
    const a = await assignAsync(rows, c.centroids, c.d, c.metric, { signal, onProgress });
    labels.set(a.labels, start);
    for (let i = 0; i < count; i++) sum += c.metric === 'cos' ? 1 - a.values[i]! : a.values[i]!;
  });
  return { labels, objective: input.n > 0 ? sum / input.n : 0 };
}

/**
 * Row-to-centroid distances, row-major `n x k`: squared Euclidean distances under `'l2'`,
 * `1 - cosine similarity` under `'cos'` (smaller is nearer in both).
 *
 * @throws `CLOSTERA_OUT_OF_MEMORY` when `n x k` values exceed `maxBytes`.
 */
export async function distancesAll(input: OpenedInput, c: Centroids, maxBytes: number, signal: AbortSignal | undefined): Promise<Float32Array> {
  checkDimension(input, c);
  const bytes = input.n * c.k * 4;
  if (bytes > maxBytes) {
    throw new ClosteraError(ErrorCode.OutOfMemory, `transform would return ${input.n} x ${c.k} distances (${formatBytes(bytes)}), more than maxRam ${formatBytes(maxBytes)}`, {
      expected: `<= ${maxBytes}`,
      actual: bytes,
    });
  }
  const out = new Float32Array(input.n * c.k);
  await eachBlock(input, signal, async (rows, start) => {
    const tile = await distanceTileAsync(rows, c.centroids, c.d, c.metric, { signal });
    if (c.metric === 'cos') for (let i = 0; i < tile.length; i++) tile[i] = 1 - tile[i]!;
    out.set(tile, start * c.k);
  });
  return out;
}
