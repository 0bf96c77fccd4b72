/**
 * Gaussian-mixture families: balanced isotropic, Zipf-imbalanced, anisotropic and heavy-tailed.
 *
 * Each is a mixture of `k` components around centres about `sep` noise-units apart, so they differ
 * only in the one property that makes them hard.
 *
 * @module
 */
import type { Rng } from '../random/rng.js';
import { gaussianCentres, mixtureModel, uniformProbabilities, type Family } from './family.js';

/** Distance between centres, in units of the per-coordinate noise (well separated but overlapping tails). */
const SEPARATION = 6;

/** Zipf exponent of the imbalanced family: the largest cluster is about k^1.1 / H times the smallest. */
const ZIPF_EXPONENT = 1.1;

/** Degrees of freedom of the heavy-tailed family: Student-t with 3 has finite mean, infinite kurtosis. */
const STUDENT_DOF = 3;

/** Range of per-axis standard deviations of the anisotropic family (condition number up to 400). */
const ANISO_MIN_SCALE = 0.1;
const ANISO_MAX_SCALE = 2;

function isotropicNoise(rng: Rng, _label: number, out: Float32Array, offset: number, c: Float64Array, co: number, d: number): void {
  for (let j = 0; j < d; j++) out[offset + j] = c[co + j]! + rng.normal();
}

/**
 * Balanced isotropic Gaussian blobs: the baseline family. The blobs are well separated, so the
 * differences between engines come from seeding and local minima (merged or split blobs).
 */
export const gaussian: Family = {
  name: 'gaussian',
  summary: 'balanced isotropic Gaussian blobs, unit noise, centres about 6 noise-units apart',
  defaultD: 32,
  minD: 1,
  naturalMetric: 'l2',
  build(d, k, rng) {
    const centres = gaussianCentres(rng, k, d, SEPARATION);
    return mixtureModel(d, k, centres, uniformProbabilities(k), (r, l, o, off, c, co) => isotropicNoise(r, l, o, off, c, co, d));
  },
};

/** Zipf-imbalanced blobs: cluster j has probability proportional to 1 / (j + 1)^1.1. */
export const zipf: Family = {
  name: 'zipf',
  summary: 'isotropic blobs with Zipf(1.1) cluster sizes: a few giant clusters and a long tail of tiny ones',
  defaultD: 32,
  minD: 1,
  naturalMetric: 'l2',
  build(d, k, rng) {
    const centres = gaussianCentres(rng, k, d, SEPARATION);
    const p = new Float64Array(k);
    let total = 0;
    for (let j = 0; j < k; j++) total += p[j] = 1 / Math.pow(j + 1, ZIPF_EXPONENT);
    for (let j = 0; j < k; j++) p[j] = p[j]! / total;
    return mixtureModel(d, k, centres, p, (r, l, o, off, c, co) => isotropicNoise(r, l, o, off, c, co, d));
  },
};

/**
 * Anisotropic blobs: each component is stretched along random axes (per-axis scales log-uniform in
 * [0.1, 2]) and rotated by two random Householder reflections, so spherical Voronoi cells cut
 * elongated clusters. Two reflections keep sampling O(d) per row where a dense rotation is O(d^2).
 */
export const anisotropic: Family = {
  name: 'anisotropic',
  summary: 'elongated, randomly rotated blobs (axis scales 0.1..2): spherical cells cut them',
  defaultD: 32,
  minD: 2,
  naturalMetric: 'l2',
  build(d, k, rng) {
    const centres = gaussianCentres(rng, k, d, SEPARATION);
    const scales = new Float64Array(k * d);
    const logMin = Math.log(ANISO_MIN_SCALE);
    const logSpan = Math.log(ANISO_MAX_SCALE) - logMin;
    for (let i = 0; i < scales.length; i++) scales[i] = Math.exp(logMin + logSpan * rng.uniform());
    const v1 = new Float64Array(k * d);
    const v2 = new Float64Array(k * d);
    for (let j = 0; j < k; j++) {
      rng.unitVector(v1, j * d, d);
      rng.unitVector(v2, j * d, d);
    }
    const y = new Float64Array(d);
    return mixtureModel(d, k, centres, uniformProbabilities(k), (r, _l, out, off, c, co) => {
      for (let j = 0; j < d; j++) y[j] = scales[co + j]! * r.normal();
      reflect(y, v1, co, d);
      reflect(y, v2, co, d);
      for (let j = 0; j < d; j++) out[off + j] = c[co + j]! + y[j]!;
    });
  },
};

/** y <- (I - 2 v v^T) y for the unit vector v stored at `v[vo .. vo + d)`. */
function reflect(y: Float64Array, v: Float64Array, vo: number, d: number): void {
  let dot = 0;
  for (let j = 0; j < d; j++) dot += v[vo + j]! * y[j]!;
  const f = 2 * dot;
  for (let j = 0; j < d; j++) y[j] = y[j]! - f * v[vo + j]!;
}

/**
 * Heavy-tailed blobs: multivariate Student-t noise with 3 degrees of freedom (one chi-square scale
 * per row), so a few rows land far from every centre and drag squared-error centroids.
 */
export const studentT: Family = {
  name: 'student-t',
  summary: 'blobs with multivariate Student-t (3 dof) noise: rare far outliers drag the means',
  defaultD: 32,
  minD: 1,
  naturalMetric: 'l2',
  build(d, k, rng) {
    const centres = gaussianCentres(rng, k, d, SEPARATION);
    return mixtureModel(d, k, centres, uniformProbabilities(k), (r, _l, out, off, c, co) => {
      const w = Math.sqrt(STUDENT_DOF / Math.max(r.chiSquare(STUDENT_DOF), 1e-12));
      for (let j = 0; j < d; j++) out[off + j] = c[co + j]! + w * r.normal();
    });
  },
};
