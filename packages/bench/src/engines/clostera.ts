/**
 * Adapter for our own engines (`@clostera/kmeans`) behind the worker protocol.
 *
 * The package is imported dynamically: until it exists (or when it is not built) every Clostera
 * contender is reported as missing with the import error, and the rest of the benchmark runs.
 *
 * API used (issue 3; adjust here if it changes):
 * `await fit(x: Float32Array, d, { k, metric, algorithm, maxIter, tol, seed, threads, maxPointsPerCentroid })`
 * returning a model with `centroids` (Float32Array, k x d), `labels` (Uint32Array), `objective`
 * and `stats` (per-iteration records, or an object holding them under `iterations`).
 * `tol: 0` asks for the fixed iteration count every contender runs.
 *
 * @module
 */
import type { BenchMetric } from '../metrics/objective.js';
import { packageVersion } from './package-version.js';
import type { EngineFit, FitJob, InProcessEngine } from './types.js';

/** The part of `@clostera/kmeans` this adapter relies on. */
interface KmeansModule {
  fit(
    x: Float32Array,
    d: number,
    options: {
      k: number;
      metric: BenchMetric;
      algorithm?: string;
      maxIter: number;
      tol?: number;
      seed: number;
      threads?: number;
      maxPointsPerCentroid?: number;
    },
  ): Promise<KmeansModel> | KmeansModel;
}

interface KmeansModel {
  centroids: Float32Array;
  labels?: Uint32Array | Int32Array;
  objective?: number;
  stats?: unknown;
}

/** How many iterations a model's `stats` records, whatever its exact shape. */
function iterationsOf(stats: unknown): number | undefined {
  if (Array.isArray(stats)) return stats.length;
  if (typeof stats === 'object' && stats !== null) {
    const it = (stats as Record<string, unknown>)['iterations'];
    if (Array.isArray(it)) return it.length;
    if (typeof it === 'number') return it;
  }
  return undefined;
}

/** Which Clostera configuration a contender runs. */
export interface ClosteraConfig {
  /** Backend name (`dense-exact-row`, `dense-exact-random`, `dense-exact-nredo`). */
  algorithm: string;
  /** Training subsample per centroid; `Infinity` trains on every row; omitted keeps the engine's default. */
  maxPointsPerCentroid?: number;
}

/** Creates the adapter for one configuration. */
export function closteraEngine(config: ClosteraConfig): InProcessEngine {
  let mod: KmeansModule | undefined;
  let data: Float32Array = new Float32Array(0);
  let dim = 0;
  let metricOf: BenchMetric = 'l2';
  let threadCount = 1;
  return {
    async load() {
      const name = '@clostera/kmeans';
      let loaded: Partial<KmeansModule>;
      try {
        loaded = (await import(name)) as Partial<KmeansModule>;
      } catch (error) {
        throw new Error(`@clostera/kmeans is not available (${(error as Error).message})`);
      }
      if (typeof loaded.fit !== 'function') throw new Error('@clostera/kmeans has no fit() export');
      mod = loaded as KmeansModule;
      return { '@clostera/kmeans': packageVersion(name) ?? 'unknown', '@clostera/kernels': packageVersion('@clostera/kernels') ?? 'unknown', node: process.version };
    },
    prepare(x: Float32Array, _n: number, d: number, metric: BenchMetric, threads: number) {
      data = x;
      dim = d;
      metricOf = metric;
      threadCount = threads;
    },
    async fit(job: FitJob): Promise<EngineFit> {
      if (mod === undefined) throw new Error('@clostera/kmeans was not loaded');
      const model = await mod.fit(data, dim, {
        k: job.k,
        metric: metricOf,
        algorithm: config.algorithm,
        maxIter: job.maxIter,
        tol: 0,
        seed: job.seed,
        threads: threadCount,
        ...(config.maxPointsPerCentroid === undefined ? {} : { maxPointsPerCentroid: config.maxPointsPerCentroid }),
      });
      const iterations = iterationsOf(model.stats);
      return {
        centroids: model.centroids,
        // The model's own labels when they already are a Uint32Array: a copy here would be timed
        // as part of the fit (15 ms for 1M rows on the benchmark VM).
        ...(model.labels === undefined ? {} : { labels: model.labels instanceof Uint32Array ? model.labels : Uint32Array.from(model.labels) }),
        ...(iterations === undefined ? {} : { iterations }),
        ...(typeof model.objective === 'number' ? { reportedObjective: model.objective } : {}),
      };
    },
  };
}
