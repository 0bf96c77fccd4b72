/**
 * `@clostera/core`: the front door of Clostera.
 *
 * {@link Clusterer} takes vectors (a typed array, a file of any format `@clostera/io` reads, or a
 * `VectorSource`), `k` and a metric, and returns labels and centroids; with `algorithm: 'auto'`
 * the measured rule of `@clostera/selector` picks the backend and {@link Clusterer.selection}
 * says why. The `clostera` command line (`cluster`, `info`, `bench`, `demo`) is built on it; its
 * exit codes are {@link EXIT_CODES}.
 *
 * @packageDocumentation
 */
export { Clusterer, type TrainingInfo } from './clusterer.js';
export { availableAlgorithms, availableMetrics, isAlgorithm, isMetric, type Algorithm, type Metric } from './algorithms.js';
export { defaultMaxRam, type CallOptions, type ClustererOptions } from './options.js';
export type { ClusterInput } from './input.js';
export type { ClustererProgress, ProgressListener, Stage } from './progress.js';
export { formatBytes, parseByteSize } from './bytes.js';
export { EXIT_CODES, exitCodeFor, type ExitCode } from './exit-codes.js';
export type { Selection, SelectionStep } from '@clostera/selector';
export type { IterationStats } from '@clostera/kmeans';
export { ClosteraError, ErrorCode } from '@clostera/kernels';
