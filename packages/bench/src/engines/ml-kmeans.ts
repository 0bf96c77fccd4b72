/**
 * `ml-kmeans` (npm), the plain-JavaScript baseline, behind the worker protocol.
 *
 * It clusters `number[][]`, so the data is converted once per worker, untimed. Iterations are
 * fixed (`tolerance: 0`); under cos it runs Euclidean k-means on the unit rows, as scikit-learn does.
 *
 * @module
 */
import type { BenchMetric } from '../metrics/objective.js';
import { packageVersion } from './package-version.js';
import type { EngineFit, FitJob, InProcessEngine } from './types.js';

interface MlKmeansModule {
  kmeans(
    data: number[][],
    k: number,
    options: { initialization?: string; maxIterations?: number; tolerance?: number; seed?: number },
  ): { clusters: number[]; centroids: number[][]; iterations: number };
}

/** Creates the engine; `initialization` is ml-kmeans' own name (`kmeans++` or `random`). */
export function mlKmeansEngine(initialization: 'kmeans++' | 'random'): InProcessEngine {
  let mod: MlKmeansModule | undefined;
  let rows: number[][] = [];
  let dim = 0;
  let cos = false;
  return {
    async load() {
      const name = 'ml-kmeans';
      try {
        mod = (await import(name)) as MlKmeansModule;
      } catch (error) {
        throw new Error(`ml-kmeans is not installed (${(error as Error).message})`);
      }
      return { 'ml-kmeans': packageVersion(name) ?? 'unknown', node: process.version };
    },
    prepare(x: Float32Array, n: number, d: number, metric: BenchMetric) {
      dim = d;
      cos = metric === 'cos';
      rows = new Array<number[]>(n);
      for (let i = 0; i < n; i++) rows[i] = Array.from(x.subarray(i * d, (i + 1) * d));
    },
    async fit(job: FitJob): Promise<EngineFit> {
      if (mod === undefined) throw new Error('ml-kmeans was not loaded');
      const result = mod.kmeans(rows, job.k, { initialization, maxIterations: job.maxIter, tolerance: 0, seed: job.seed });
      const centroids = new Float32Array(job.k * dim);
      result.centroids.forEach((c, j) => centroids.set(c, j * dim));
      return {
        centroids,
        labels: Uint32Array.from(result.clusters),
        iterations: result.iterations,
        ...(cos ? { notes: 'euclidean k-means on unit rows (approximates spherical)' } : {}),
      };
    },
  };
}
