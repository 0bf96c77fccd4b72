import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@clostera/kernels';
import { orthonormalizeRows, principalBasis } from '../src/principal-basis.js';
import { Rng } from '../src/random.js';
import { resolveOptions } from '../src/options.js';
import { seedKMeansPP, usesProjection } from '../src/seeding.js';
import { driveSync } from '../src/steps.js';
import { symmetricEigen } from '../src/symmetric-eigen.js';
import { blobs, rng } from './helpers.js';

const label = { phase: 'seed' as const, redo: 0, iteration: 0 };

describe('symmetricEigen', () => {
  it('decomposes a symmetric matrix into orthonormal eigenvectors, largest eigenvalue first', () => {
    const m = 20;
    const r = rng(5);
    const b = Float64Array.from({ length: m * m }, () => r() - 0.5);
    const a = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) for (let t = 0; t < m; t++) a[i * m + j]! += b[i * m + t]! * b[j * m + t]!;
    const { values, vectors } = symmetricEigen(a, m);
    for (let r1 = 0; r1 < m; r1++) {
      if (r1 > 0) expect(values[r1]!).toBeLessThanOrEqual(values[r1 - 1]! + 1e-12);
      for (let i = 0; i < m; i++) {
        let av = 0;
        for (let j = 0; j < m; j++) av += a[i * m + j]! * vectors[r1 * m + j]!;
        expect(av).toBeCloseTo(values[r1]! * vectors[r1 * m + i]!, 9);
      }
      for (let r2 = 0; r2 < m; r2++) {
        let dot = 0;
        for (let j = 0; j < m; j++) dot += vectors[r1 * m + j]! * vectors[r2 * m + j]!;
        expect(dot).toBeCloseTo(r1 === r2 ? 1 : 0, 9);
      }
    }
  });
});

describe('principalBasis', () => {
  it('finds orthonormal directions ordered by variance that hold most of the spread', () => {
    const n = 3000;
    const d = 300;
    const m = 48;
    const { x } = blobs(n, d, 30, 9);
    const o = resolveOptions({ k: 2 }, n, d);
    const { basis: q, explained } = driveSync(principalBasis(x, n, d, m, new Rng(3), label), o);
    for (let a = 0; a < m; a++) {
      for (let b = 0; b < m; b++) {
        let dot = 0;
        for (let c = 0; c < d; c++) dot += q[a * d + c]! * q[b * d + c]!;
        expect(Math.abs(dot - (a === b ? 1 : 0))).toBeLessThan(1e-5);
      }
    }
    const mean = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) mean[c]! += x[i * d + c]! / n;
    let total = 0;
    const along = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < d; c++) total += (x[i * d + c]! - mean[c]!) ** 2;
      for (let a = 0; a < m; a++) {
        let p = 0;
        for (let c = 0; c < d; c++) p += (x[i * d + c]! - mean[c]!) * q[a * d + c]!;
        along[a]! += p * p;
      }
    }
    for (let a = 1; a < m; a++) expect(along[a]!).toBeLessThanOrEqual(along[a - 1]! * (1 + 1e-6));
    // 29 directions separate 30 blob centres spread far beyond the noise.
    const fraction = along.reduce((s, v) => s + v, 0) / total;
    expect(fraction).toBeGreaterThan(0.8);
    expect(Math.abs(explained - fraction)).toBeLessThan(1e-3);
  });

  it('says when the directions hold little of the spread (isotropic noise)', () => {
    const n = 2000;
    const d = 256;
    const r = rng(12);
    const x = Float32Array.from({ length: n * d }, () => r() - 0.5);
    const o = resolveOptions({ k: 2 }, n, d);
    const { explained } = driveSync(principalBasis(x, n, d, 32, new Rng(3), label), o);
    // 32 of 256 equally spread directions: about an eighth, a little more from sampling noise.
    expect(explained).toBeGreaterThan(0.1);
    expect(explained).toBeLessThan(0.25);
  });
});

describe('orthonormalizeRows', () => {
  it('refuses more directions than dimensions with a coded error', () => {
    const q = Float64Array.from({ length: 4 * 3 }, (_, i) => Math.sin(i + 1));
    expect(() => orthonormalizeRows(q, 4, 3, new Rng(1))).toThrow(expect.objectContaining({ code: ErrorCode.InvalidArgument, actual: 4 }));
  });
});

describe('projected k-means++ seeding', () => {
  it('chooses exactly the seeds of the unprojected passes', () => {
    const n = 4000;
    const d = 256;
    const k = 64;
    const { x } = blobs(n, d, 50, 21);
    // The rule builds it for large seedings only (k = 64 here forces it).
    expect(usesProjection(16_000, 784, 1000)).toBe(true);
    expect(usesProjection(16_000, 784, 100)).toBe(false);
    expect(usesProjection(16_000, 128, 1000)).toBe(false);
    const o = resolveOptions({ k }, n, d);
    const seeds = [false, true].map((project) => driveSync(seedKMeansPP(x, n, d, k, new Rng(17), undefined, 0, project), o));
    expect(Buffer.from(seeds[1]!.buffer).equals(Buffer.from(seeds[0]!.buffer))).toBe(true);
  });
});

describe('cosine on rows already on the unit sphere', () => {
  it('trains on them directly and matches the fit of the same directions at other norms', async () => {
    const { fitSync } = await import('../src/index.js');
    const n = 3000;
    const d = 24;
    const { x } = blobs(n, d, 12, 31);
    const unit = new Float32Array(n * d);
    const scaled = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      let sq = 0;
      for (let c = 0; c < d; c++) sq += x[i * d + c]! ** 2;
      for (let c = 0; c < d; c++) {
        unit[i * d + c] = x[i * d + c]! / Math.sqrt(sq);
        scaled[i * d + c] = (3 + (i % 5)) * unit[i * d + c]!;
      }
    }
    const options = { k: 12, metric: 'cos' as const, maxIter: 10, tol: 0, seed: 4, maxPointsPerCentroid: Infinity };
    const direct = fitSync(unit, d, options);
    const normalised = fitSync(scaled, d, options);
    expect(Math.abs(direct.objective - normalised.objective)).toBeLessThan(1e-5 * normalised.objective + 1e-7);
    let same = 0;
    for (let i = 0; i < n; i++) same += Number(direct.labels[i] === normalised.labels[i]);
    expect(same).toBeGreaterThan(0.999 * n);
  });
});
