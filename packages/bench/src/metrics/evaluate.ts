/**
 * Every quality number of one clustering, from its centroids: the objective over all rows, the
 * cluster balance and, when the dataset has ground truth, the external scores.
 *
 * @module
 */
import { clusterSizes, emptyClusters, imbalanceFactor } from './balance.js';
import { externalScores, type ExternalScores } from './external.js';
import { nearestAssignment, type BenchMetric } from './objective.js';

/** Quality of a clustering. External scores are present only when ground truth is. */
export interface Quality extends Partial<ExternalScores> {
  /** l2: mean squared distance to the nearest centroid; cos: mean 1 - cosine. Lower is better. */
  objective: number;
  /** cos only: mean cosine similarity to the nearest centroid. */
  meanSimilarity?: number;
  /** FAISS imbalance factor of the nearest-centroid assignment (1 is perfectly balanced). */
  imbalance: number;
  /** Clusters that receive no row under the nearest-centroid assignment. */
  emptyClusters: number;
  /** Centroids that were NaN/Inf (or zero under cos) and were left out of the assignment. */
  unusableCentroids: number;
  /**
   * Share of rows whose label, as the contender returned it, equals the nearest centroid: below 1
   * when the contender's labels are stale (from before its last centroid update).
   */
  labelAgreement?: number;
}

/** Inputs of {@link evaluateClustering}. */
export interface EvaluationInput {
  /** Row-major `n x d` data the clustering was fitted on. */
  x: Float32Array;
  /** Components per row. */
  d: number;
  /** Row-major `k x d` centroids. */
  centroids: Float32Array;
  /** Metric of the cell. */
  metric: BenchMetric;
  /** Ground-truth labels, when the dataset has them. */
  truth?: Uint32Array;
  /** Labels as returned by the contender, when it returned any. */
  ownLabels?: Uint32Array;
  /** Native threads for the assignment. */
  threads?: number;
}

/**
 * Measures a clustering. Everything is derived from the nearest-centroid assignment computed by
 * the kernels, so contenders that return no labels (FAISS) are measured exactly like the others.
 */
export function evaluateClustering(input: EvaluationInput): Quality {
  const { x, d, centroids, metric } = input;
  const k = centroids.length / d;
  const nearest = nearestAssignment(x, centroids, d, metric, input.threads);
  const sizes = clusterSizes(nearest.labels, k);
  const quality: Quality = {
    objective: nearest.objective,
    ...(nearest.meanSimilarity === undefined ? {} : { meanSimilarity: nearest.meanSimilarity }),
    imbalance: imbalanceFactor(sizes),
    emptyClusters: emptyClusters(sizes),
    unusableCentroids: nearest.unusableCentroids,
  };
  if (input.truth !== undefined) Object.assign(quality, externalScores(input.truth, nearest.labels));
  const own = input.ownLabels;
  if (own !== undefined && own.length === nearest.labels.length) {
    let same = 0;
    for (let i = 0; i < own.length; i++) if (own[i] === nearest.labels[i]) same++;
    quality.labelAgreement = own.length === 0 ? 1 : same / own.length;
  }
  return quality;
}
