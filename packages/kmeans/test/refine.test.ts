import { describe, expect, it } from 'vitest';
import { ClosteraError } from '@clostera/kernels';
import { decodeModel, encodeModel, fit, fitSync } from '../src/index.js';
import { blobs } from './helpers.js';

/** Brute-force objective (float64) of `centroids` over `x`: mean squared distance or mean 1 - cos, weighted. */
function bruteObjective(x: Float32Array, d: number, centroids: Float32Array, metric: 'l2' | 'cos', w?: Float32Array): { objective: number; labels: Uint32Array } {
  const n = x.length / d;
  const k = centroids.length / d;
  const labels = new Uint32Array(n);
  let total = 0;
  let weight = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    let nx = 0;
    for (let t = 0; t < d; t++) nx += x[i * d + t]! ** 2;
    for (let j = 0; j < k; j++) {
      let v = 0;
      if (metric === 'l2') for (let t = 0; t < d; t++) v += (x[i * d + t]! - centroids[j * d + t]!) ** 2;
      else {
        let dot = 0;
        for (let t = 0; t < d; t++) dot += x[i * d + t]! * centroids[j * d + t]!;
        v = 1 - dot / Math.sqrt(nx);
      }
      if (v < best) {
        best = v;
        labels[i] = j;
      }
    }
    const wi = w === undefined ? 1 : w[i]!;
    total += wi * best;
    weight += wi;
  }
  return { objective: total / weight, labels };
}

describe('refinement (refine)', () => {
  for (const metric of ['l2', 'cos'] as const) {
    it(`moves the centroids to the means of all rows and keeps exact nearest labels (${metric})`, () => {
      const d = 12;
      const { x } = blobs(6000, d, 9, 41, 8);
      const w = Float32Array.from({ length: 6000 }, (_, i) => 0.5 + (i % 3));
      const base = { k: 8, metric, maxIter: 12, tol: 0, seed: 5, maxPointsPerCentroid: 64, minTrainingPoints: 0, sampleWeights: w };
      const plain = fitSync(x, d, { ...base, refine: false });
      const refined = fitSync(x, d, { ...base, refine: true });
      expect(refined.params.refine).toBe(true);
      const r = refined.refinement!;
      expect(r.settled + r.recomputed).toBe(6000);
      expect(r.objectiveBefore).toBeCloseTo(plain.objective, 6);
      // The objective the model reports is its centroids' over every row, and no worse than before.
      const brute = bruteObjective(x, d, refined.centroids, metric, w);
      expect(refined.objective).toBeCloseTo(brute.objective, 5);
      expect(refined.objective).toBeLessThanOrEqual(plain.objective * (1 + 1e-9));
      // Labels are the nearest centroid of every row (as predict gives them).
      expect(Array.from(refined.labels)).toEqual(Array.from(refined.predict(x)));
      let disagree = 0;
      for (let i = 0; i < 6000; i++) if (brute.labels[i] !== refined.labels[i]) disagree++;
      expect(disagree).toBeLessThanOrEqual(2); // float32 near-ties only
    });
  }

  it("'auto' refines when maxIter x training rows >= 4 n, and never when every row trains", () => {
    const { x } = blobs(5000, 6, 4, 3);
    // 4 x 256 = 1,024 training rows: 20 iterations read 20,480 >= 4 x 5,000 rows; 19 read fewer.
    expect(fitSync(x, 6, { k: 4, maxIter: 20, initTrials: 1, minTrainingPoints: 0 }).params.refine).toBe(true);
    expect(fitSync(x, 6, { k: 4, maxIter: 19, initTrials: 1, minTrainingPoints: 0 }).params.refine).toBe(false);
    const all = fitSync(x, 6, { k: 4, maxIter: 5, refine: true, maxPointsPerCentroid: Infinity });
    expect(all.params.refine).toBe(false);
    expect(all.refinement).toBeUndefined();
  });

  it('gives the same model at any thread count, sync or async', async () => {
    const { x } = blobs(8000, 16, 12, 17);
    const o = { k: 12, maxIter: 8, seed: 4, refine: true as const, maxPointsPerCentroid: 50, minTrainingPoints: 0 };
    const one = fitSync(x, 16, { ...o, threads: 1 });
    const three = await fit(x, 16, { ...o, threads: 3 });
    expect(Array.from(three.centroids)).toEqual(Array.from(one.centroids));
    expect(Array.from(three.labels)).toEqual(Array.from(one.labels));
    expect(three.objective).toBe(one.objective);
    expect(three.refinement?.recomputed).toBe(one.refinement?.recomputed);
  });

  it('round-trips the refinement through save and load', () => {
    const { x } = blobs(3000, 5, 4, 23);
    const m = fitSync(x, 5, { k: 4, maxIter: 6, refine: true, maxPointsPerCentroid: 100, minTrainingPoints: 0 });
    const back = decodeModel(encodeModel(m));
    expect(back.refinement).toEqual(m.refinement);
    expect(back.params.refine).toBe(true);
  });

  it('refuses a refine value that is not a boolean or auto', () => {
    const { x } = blobs(200, 3, 3, 1);
    let error: unknown;
    try {
      fitSync(x, 3, { k: 3, refine: 'yes' as unknown as boolean });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ClosteraError);
    expect((error as ClosteraError).code).toBe('CLOSTERA_INVALID_ARGUMENT');
  });
});
