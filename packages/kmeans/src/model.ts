/**
 * A fitted k-means model: centroids, labels, objective, per-iteration statistics and the
 * parameters used; `predict` for new rows.
 *
 * @module
 */
import { assign, assignAsync, ClosteraError, ErrorCode } from '@clostera/kernels';
import type { AsyncPassOptions, PassOptions } from '@clostera/kernels';
import type { DenseBackend, KMeansMetric } from './options.js';
import { rowsOf } from './prepare.js';
import type { IterationStats } from './stats.js';
import type { TrialResult } from './trials.js';
import type { RefinementStats } from './refine.js';

/** The parameters a model was fitted with (everything needed to reproduce it). */
export interface ModelParams {
  k: number;
  d: number;
  metric: KMeansMetric;
  algorithm: DenseBackend;
  maxIter: number;
  tol: number;
  seed: number;
  nRedo: number;
  /** `'kmeans++'`, `'random'` or `'warm-start'`. */
  init: string;
  maxPointsPerCentroid: number;
  /** Fewest rows a subsampled fit trained on (see `KMeansOptions.minTrainingPoints`). */
  minTrainingPoints: number;
  seedPointsPerCentroid: number;
  /** Multi-start trials per seeding (1: plain seeding; see `KMeansOptions.initTrials`). */
  initTrials: number;
  /** Lloyd iterations of each trial. */
  initTrialIterations: number;
  /** Whether the fit ended with a refinement step over all rows (see `KMeansOptions.refine`). */
  refine: boolean;
  /** Rows the Lloyd iterations ran on (all rows unless subsampled). */
  trainingRows: number;
  /** Rows of the data the final labels cover. */
  rows: number;
  weighted: boolean;
}

/** The plain data of a model (what save/load round-trips). */
export interface ModelData {
  params: ModelParams;
  /** Row-major `k x d` centroids (unit norm under `'cos'`). */
  centroids: Float32Array;
  /** Cluster of every row of the data the model was fitted on. */
  labels: Uint32Array;
  /** Final objective over all rows: mean squared distance (`'l2'`) or mean of 1 - cos (`'cos'`). */
  objective: number;
  /** Statistics of every Lloyd iteration of every restart (the multi-start trials' excluded). */
  stats: IterationStats[];
  /** How each multi-start trial ended (empty with plain seeding). */
  trials: TrialResult[];
  /** What the refinement step did, when there was one. */
  refinement?: RefinementStats | undefined;
  /** Restart whose centroids were kept. */
  bestRedo: number;
  /** Things a user should know, e.g. fewer distinct points than k. */
  warnings: string[];
}

/** A fitted model. */
export class KMeansModel implements ModelData {
  readonly params: ModelParams;
  readonly centroids: Float32Array;
  readonly labels: Uint32Array;
  readonly objective: number;
  readonly stats: IterationStats[];
  readonly trials: TrialResult[];
  readonly refinement: RefinementStats | undefined;
  readonly bestRedo: number;
  readonly warnings: string[];

  constructor(data: ModelData) {
    this.params = data.params;
    this.centroids = data.centroids;
    this.labels = data.labels;
    this.objective = data.objective;
    this.stats = data.stats;
    this.trials = data.trials;
    this.refinement = data.refinement;
    this.bestRedo = data.bestRedo;
    this.warnings = data.warnings;
  }

  /** Number of clusters. */
  get k(): number {
    return this.params.k;
  }

  /** Dimension of the rows. */
  get d(): number {
    return this.params.d;
  }

  private checkRows(x: Float32Array, d: number): void {
    rowsOf(x, d, 'rows to predict');
    if (d !== this.params.d) {
      throw new ClosteraError(ErrorCode.DimensionMismatch, `the model has d = ${this.params.d}, the rows have d = ${d}`, {
        expected: this.params.d,
        actual: d,
      });
    }
  }

  /** Nearest centroid of each row of `x` (`n x d`; largest cosine under `'cos'`). */
  predict(x: Float32Array, d: number = this.params.d, options?: PassOptions): Uint32Array {
    this.checkRows(x, d);
    return assign(x, this.centroids, d, this.params.metric, options).labels;
  }

  /** {@link predict} off the JS thread, cancellable. */
  async predictAsync(x: Float32Array, d: number = this.params.d, options?: AsyncPassOptions): Promise<Uint32Array> {
    this.checkRows(x, d);
    return (await assignAsync(x, this.centroids, d, this.params.metric, options)).labels;
  }
}
