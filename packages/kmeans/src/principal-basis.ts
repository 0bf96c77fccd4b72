/**
 * A few leading principal directions of a set of rows, for the projected lower bound of
 * k-means++ seeding (see `@clostera/kernels` `SeedProjection`). The bound is valid for any basis,
 * so the directions need not converge: two steps of a randomized subspace iteration (Halko,
 * Martinsson and Tropp, 2011) capture most of the spread of the differences between rows, and
 * that is all the filter needs. Each step is two native passes over the rows.
 *
 * @module
 * @internal
 */
import { ClosteraError, ErrorCode } from '@clostera/kernels';
import type { Rng } from './random.js';
import { projectRowsStep, weightedRowSumsStep } from './kernel-steps.js';
import { run, type Engine, type PassLabel } from './steps.js';
import { symmetricEigen } from './symmetric-eigen.js';

/** Subspace iteration steps (each reads the rows twice). */
export const SUBSPACE_STEPS = 2;

/** A standard normal draw (Box-Muller) from the engine's generator. */
function normal(rng: Rng): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/**
 * Orthonormalizes the `m` rows of `q` (`m x d`, f64) in place by modified Gram-Schmidt, twice
 * (the second sweep restores orthogonality lost to rounding). A row that collapses (the rows
 * span fewer than `m` directions) is replaced by a random direction orthogonal to the others.
 */
export function orthonormalizeRows(q: Float64Array, m: number, d: number, rng: Rng): void {
  for (let sweep = 0; sweep < 2; sweep++) {
    for (let a = 0; a < m; a++) {
      const row = q.subarray(a * d, (a + 1) * d);
      for (let attempt = 0; ; attempt++) {
        let before = 0;
        for (let c = 0; c < d; c++) before += row[c]! * row[c]!;
        before = Math.sqrt(before);
        for (let b = 0; b < a; b++) {
          const other = q.subarray(b * d, (b + 1) * d);
          let dot = 0;
          for (let c = 0; c < d; c++) dot += row[c]! * other[c]!;
          for (let c = 0; c < d; c++) row[c]! -= dot * other[c]!;
        }
        let norm = 0;
        for (let c = 0; c < d; c++) norm += row[c]! * row[c]!;
        norm = Math.sqrt(norm);
        if (norm > 1e-6 * before && norm > 0) {
          for (let c = 0; c < d; c++) row[c]! /= norm;
          break;
        }
        if (attempt > 8) {
          throw new ClosteraError(ErrorCode.InvalidArgument, `cannot find ${m} orthonormal directions in ${d} dimensions`, { expected: `<= ${d} directions`, actual: m });
        }
        for (let c = 0; c < d; c++) row[c] = normal(rng);
      }
    }
  }
}

// The loops over rows live in plain functions: V8 optimizes those mid-run, while a loop in a
// generator body stayed in the interpreter (a third of the basis's time at n = 16,000).

/** `m x d` standard normal draws. */
function gaussianRows(m: number, d: number, rng: Rng): Float64Array {
  const q = new Float64Array(m * d);
  for (let i = 0; i < q.length; i++) q[i] = normal(rng);
  return q;
}

/** Copies the `n x m` projections into `y` (`n x (m + 1)`) with a last column of ones; returns the column means. */
function withOnesColumn(projections: Float32Array, n: number, m: number, y: Float32Array): Float64Array {
  const means = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const v = projections[i * m + j]!;
      y[i * (m + 1) + j] = v;
      means[j]! += v;
    }
    y[i * (m + 1) + m] = 1;
  }
  for (let j = 0; j < m; j++) means[j]! /= n;
  return means;
}

/** Centred product into `q`: `sum_i (x_i - mean)(y_ij - mean_j) = (x^T y)_j - mean_j * sum_i x_i`. */
function centredProduct(sums: Float64Array, columnMeans: Float64Array, n: number, m: number, d: number, q: Float64Array): void {
  for (let j = 0; j < m; j++) {
    const mean = columnMeans[j]!;
    for (let c = 0; c < d; c++) q[j * d + c] = sums[j * d + c]! - mean * sums[m * d + c]!;
  }
}

/** The covariance of the `n x m` projections from their Gram matrix (symmetrised). */
function centredGram(gram: Float64Array, projections: Float32Array, n: number, m: number): Float64Array {
  const means = new Float64Array(m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) means[j]! += projections[i * m + j]!;
  for (let j = 0; j < m; j++) means[j]! /= n;
  const covariance = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) covariance[a * m + b] = (gram[a * m + b]! + gram[b * m + a]!) / 2 - n * means[a]! * means[b]!;
  }
  return covariance;
}

/** `vectors (m x m) . q (m x d)` as f32 rows. */
function rotateRows(vectors: Float64Array, q: Float64Array, m: number, d: number): Float32Array {
  const rotated = new Float64Array(m * d);
  for (let r = 0; r < m; r++) {
    for (let j = 0; j < m; j++) {
      const w = vectors[r * m + j]!;
      if (w === 0) continue;
      for (let c = 0; c < d; c++) rotated[r * d + c]! += w * q[j * d + c]!;
    }
  }
  return Float32Array.from(rotated);
}

/** A basis and how much of the rows' spread it holds. */
export interface PrincipalBasis {
  /** `m x d` orthonormal rows, largest variance first. */
  basis: Float32Array;
  /** Fraction of the rows' total variance (about their mean) along the basis, in [0, 1]. */
  explained: number;
}

/**
 * An orthonormal `m x d` basis (as f32 rows) close to the span of the `m` leading principal
 * directions of the `n x d` rows of `x` (the rows centred on their mean).
 */
export function* principalBasis(x: Float32Array, n: number, d: number, m: number, rng: Rng, label: PassLabel): Engine<PrincipalBasis> {
  const q = gaussianRows(m, d, rng);
  orthonormalizeRows(q, m, d, rng);
  // y gets a last column of ones, so the same pass also sums the rows (n times their mean).
  const y = new Float32Array(n * (m + 1));
  let meanSqNorm = 0;
  for (let step = 0; step < SUBSPACE_STEPS; step++) {
    const { projections } = yield* run(projectRowsStep(label, x, d, Float32Array.from(q)));
    const columnMeans = withOnesColumn(projections, n, m, y);
    const sums = yield* run(weightedRowSumsStep(label, x, d, y, m + 1));
    centredProduct(sums, columnMeans, n, m, d, q);
    meanSqNorm = squaredNormOfMean(sums, n, m, d);
    orthonormalizeRows(q, m, d, rng);
  }
  return yield* orderedByVariance(x, n, d, q, m, meanSqNorm, label);
}

/** `|mean row|^2` from the row sums in the last row of `sums` (`(m + 1) x d`). */
function squaredNormOfMean(sums: Float64Array, n: number, m: number, d: number): number {
  let s = 0;
  for (let c = 0; c < d; c++) s += (sums[m * d + c]! / n) ** 2;
  return s;
}

/**
 * Rotates the orthonormal rows of `q` within their span to the principal axes of the rows'
 * projections (a Rayleigh-Ritz step), largest variance first: a partial sum over the leading
 * coordinates then bounds most distances nearly as well as all of them.
 */
function* orderedByVariance(x: Float32Array, n: number, d: number, q: Float64Array, m: number, meanSqNorm: number, label: PassLabel): Engine<PrincipalBasis> {
  const { projections, norms } = yield* run(projectRowsStep(label, x, d, Float32Array.from(q)));
  const gram = yield* run(weightedRowSumsStep(label, projections, m, projections, m));
  const covariance = centredGram(gram, projections, n, m);
  const { vectors } = symmetricEigen(covariance, m);
  // Total variance about the mean: sum |x_i|^2 - n |mean|^2; the basis holds the trace of the
  // projected covariance.
  let along = 0;
  for (let j = 0; j < m; j++) along += covariance[j * m + j]!;
  const total = sumOf(norms) - n * meanSqNorm;
  return { basis: rotateRows(vectors, q, m, d), explained: total > 0 ? Math.min(1, Math.max(0, along / total)) : 0 };
}

function sumOf(values: Float32Array): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s;
}
