/**
 * The algorithm and metric names a {@link Clusterer} accepts.
 *
 * @module
 */
import { DENSE_BACKENDS, type DenseBackend, type KMeansMetric } from '@clostera/kmeans';
import type { Backend } from '@clostera/selector';

/** `'auto'` (the measured rule of `@clostera/selector` picks) or a concrete backend. */
export type Algorithm = 'auto' | DenseBackend;

/** Metrics: `'l2'` (squared Euclidean) or `'cos'` (spherical k-means). */
export type Metric = KMeansMetric;

// The selector repeats the backend names to stay free of native code; these two lines stop the
// build if either list gains a name the other lacks.
const selectorNamesAreBackends: DenseBackend = '' as Backend;
const backendsAreSelectorNames: Backend = '' as DenseBackend;
void selectorNamesAreBackends;
void backendsAreSelectorNames;

const ALGORITHMS: readonly Algorithm[] = ['auto', ...DENSE_BACKENDS];
const METRICS: readonly Metric[] = ['l2', 'cos'];

/** Every value `algorithm` accepts: `'auto'` first, then the backends that exist in this build. */
export function availableAlgorithms(): readonly Algorithm[] {
  return ALGORITHMS;
}

/** Every value `metric` accepts. */
export function availableMetrics(): readonly Metric[] {
  return METRICS;
}

/** True when `value` is one of {@link availableAlgorithms}. */
export function isAlgorithm(value: unknown): value is Algorithm {
  return typeof value === 'string' && (ALGORITHMS as readonly string[]).includes(value);
}

/** True when `value` is one of {@link availableMetrics}. */
export function isMetric(value: unknown): value is Metric {
  return typeof value === 'string' && (METRICS as readonly string[]).includes(value);
}
