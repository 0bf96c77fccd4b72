/**
 * `@clostera/kmeans`: k-means engines over the native kernels of `@clostera/kernels`.
 *
 * The dense exact backends (`dense-exact-row`, `dense-exact-random`, `dense-exact-nredo`) run
 * Lloyd iterations that give plain Lloyd's assignments while skipping most distance
 * computations (exact Hamerly bounds), with greedy k-means++ seeding pruned by the triangle
 * inequality.
 *
 * @packageDocumentation
 */
export { fit, fitSync } from './fit.js';
export { KMeansModel } from './model.js';
export type { ModelData, ModelParams } from './model.js';
export { DEFAULTS } from './options.js';
export type { DenseBackend, FitProgress, InitMethod, KMeansMetric, KMeansOptions } from './options.js';
export { decodeModel, encodeModel, loadModel, saveModel } from './persist.js';
export type { IterationStats } from './stats.js';
export type { TrialResult } from './trials.js';
export type { RefinementStats } from './refine.js';

/** Names of the backends this package provides. */
export const DENSE_BACKENDS = ['dense-exact-row', 'dense-exact-random', 'dense-exact-nredo'] as const;
