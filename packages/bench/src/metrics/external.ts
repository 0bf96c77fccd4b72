/**
 * External clustering scores against ground-truth labels: homogeneity, completeness, V-measure,
 * normalised mutual information (arithmetic mean) and the adjusted Rand index.
 *
 * The formulas and their edge cases follow scikit-learn 1.2 (`sklearn.metrics.cluster`), so the
 * numbers in our reports can be checked against it; natural logarithms throughout.
 *
 * @module
 */
import { contingency, type Contingency } from './contingency.js';

/** Agreement between a clustering and the ground truth. */
export interface ExternalScores {
  /** Each cluster holds one class only (1 is perfect). */
  homogeneity: number;
  /** Each class sits in one cluster only (1 is perfect). */
  completeness: number;
  /** Harmonic mean of homogeneity and completeness (= NMI with the arithmetic mean). */
  vMeasure: number;
  /** Mutual information over the arithmetic mean of the two entropies. */
  nmi: number;
  /** Adjusted Rand index: 1 for identical partitions, about 0 for random ones, can be negative. */
  ari: number;
}

/** Shannon entropy (nats) of a partition given its non-empty part sizes. */
export function entropy(sizes: Float64Array): number {
  let total = 0;
  for (const s of sizes) total += s;
  if (total === 0) return 1;
  const logTotal = Math.log(total);
  let h = 0;
  for (const s of sizes) h -= (s / total) * (Math.log(s) - logTotal);
  return h;
}

/**
 * Mutual information (nats) of a contingency table, summed cell by cell as scikit-learn does,
 * including its flush of per-cell terms below machine epsilon to zero.
 */
export function mutualInformation(table: Contingency): number {
  if (table.classSizes.length === 1 || table.clusterSizes.length === 1) return 0;
  const logN = Math.log(table.n);
  let mi = 0;
  for (let c = 0; c < table.cells.length; c++) {
    const nij = table.cells[c]!;
    const p = nij / table.n;
    const term = p * (Math.log(nij) - logN) + p * (2 * logN - Math.log(table.cellClassSizes[c]! * table.cellClusterSizes[c]!));
    if (Math.abs(term) >= Number.EPSILON) mi += term;
  }
  return Math.max(mi, 0);
}

/**
 * Every external score of `predicted` against `truth` in one pass over the rows.
 *
 * @throws {@link ClosteraError} `CLOSTERA_DIMENSION_MISMATCH` for labelings of different lengths.
 */
export function externalScores(truth: ArrayLike<number>, predicted: ArrayLike<number>): ExternalScores {
  const table = contingency(truth, predicted);
  if (table.n === 0) return { homogeneity: 1, completeness: 1, vMeasure: 1, nmi: 1, ari: 1 };
  const hC = entropy(table.classSizes);
  const hK = entropy(table.clusterSizes);
  const mi = mutualInformation(table);
  const homogeneity = hC === 0 ? 1 : mi / hC;
  const completeness = hK === 0 ? 1 : mi / hK;
  const vMeasure = homogeneity + completeness === 0 ? 0 : (2 * homogeneity * completeness) / (homogeneity + completeness);
  let nmi: number;
  if (table.classSizes.length === table.clusterSizes.length && table.classSizes.length <= 1) nmi = 1;
  else if (mi === 0) nmi = 0;
  else nmi = mi / ((hC + hK) / 2);
  return { homogeneity, completeness, vMeasure, nmi, ari: adjustedRandIndex(table) };
}

/**
 * Adjusted Rand index from pair counts (scikit-learn's pair-confusion form). Sums of squares are
 * exact BigInts, since N^2 passes 2^53 beyond N = 9.5e7 rows.
 */
export function adjustedRandIndex(table: Contingency): number {
  const sq = (a: Float64Array): bigint => {
    let s = 0n;
    for (const v of a) s += BigInt(v) * BigInt(v);
    return s;
  };
  const n = BigInt(table.n);
  const sumSquares = sq(table.cells);
  const c11 = sumSquares - n;
  const c01 = sq(table.clusterSizes) - sumSquares;
  const c10 = sq(table.classSizes) - sumSquares;
  const c00 = n * n - c01 - c10 - sumSquares;
  if (c10 === 0n && c01 === 0n) return 1;
  const numerator = 2n * (c11 * c00 - c10 * c01);
  const denominator = (c11 + c10) * (c10 + c00) + (c11 + c01) * (c01 + c00);
  return Number(numerator) / Number(denominator);
}
