import { describe, expect, it } from 'vitest';
import { assign, ErrorCode, simdInfo } from '@clostera/kernels';
import { fit, fitSync } from '../src/index.js';
import { blobs, referenceLloyd, rng, sharedDigits, sqdist } from './helpers.js';

describe('dense exact engine', () => {
  it('gives plain Lloyd labels and objective iteration by iteration (warm start)', () => {
    const d = 5;
    const { x } = blobs(1200, d, 9, 3);
    const k = 12;
    const init = x.slice(0, k * d);
    const iterations = 10;
    const seen: number[] = [];
    const model = fitSync(x, d, { k, init, maxIter: iterations, tol: 0, maxPointsPerCentroid: Infinity, onIteration: (s) => seen.push(s.objective) });
    const ref = referenceLloyd(x, d, init, iterations + 1);
    expect(seen.length).toBe(iterations);
    for (let it = 0; it < iterations; it++) expect(seen[it]).toBeCloseTo(ref.objectives[it]!, 3);
    // Final labels are the assignment against the final centroids: the reference's next one.
    expect(Array.from(model.labels)).toEqual(Array.from(ref.labels[iterations]!));
    expect(model.objective).toBeCloseTo(ref.objectives[iterations]!, 3);
  });

  it('matches plain Lloyd iteration by iteration when the sums are carried between iterations', () => {
    // k x d above the fused-sums limit: each iteration moves the rows that changed label
    // between the previous sums instead of summing every row again.
    const d = 260;
    const k = 510;
    const { x } = blobs(2000, d, 40, 8);
    const init = x.slice(0, k * d);
    const iterations = 4;
    const seen: number[] = [];
    const model = fitSync(x, d, { k, init, maxIter: iterations, tol: 0, maxPointsPerCentroid: Infinity, onIteration: (s) => seen.push(s.objective) });
    const ref = referenceLloyd(x, d, init, iterations + 1);
    for (let it = 0; it < iterations; it++) expect(Math.abs(seen[it]! - ref.objectives[it]!)).toBeLessThan(1e-5 * ref.objectives[it]!);
    expect(Array.from(model.labels)).toEqual(Array.from(ref.labels[iterations]!));
  });

  it('on many rows tries the bounds on a sample first, and stays plain Lloyd either way', () => {
    // 140,000 rows (above PROBE_MIN_ROWS): the bounds are first tried on a strided sample.
    const d = 6;
    const k = 40;
    const iterations = 7;
    const separated = blobs(140_000, d, k, 21, 60);
    // One row of each blob starts each centroid: well apart, so the bounds settle most rows.
    const firstOf = Array.from({ length: k }, (_, c) => separated.truth.indexOf(c));
    const r = rng(22);
    const noise = Float32Array.from({ length: 140_000 * 24 }, () => r());
    const cases = [
      [separated.x, d, Float32Array.from(firstOf.flatMap((i) => Array.from(separated.x.subarray(i * d, i * d + d)))), true],
      [noise, 24, noise.slice(0, k * 24), false],
    ] as const;
    for (const [x, dim, init, expectSkips] of cases) {
      const seen: number[] = [];
      const skipped: number[] = [];
      const probes: number[] = [];
      const changed: number[] = [];
      const model = fitSync(x, dim, {
        k,
        init,
        maxIter: iterations,
        tol: 0,
        maxPointsPerCentroid: Infinity,
        onIteration: (s) => {
          seen.push(s.objective);
          skipped.push(s.distancesSkipped);
          if (s.boundsProbe !== undefined) probes.push(s.boundsProbe);
          changed.push(s.changed);
        },
      });
      // Final labels: exactly the nearest centroids of the final centroids (the same kernel keys).
      expect(Array.from(model.labels)).toEqual(Array.from(assign(x, model.centroids, dim, 'l2').labels));
      const ref = referenceLloyd(x, dim, init, iterations + 1);
      for (let it = 0; it < iterations; it++) expect(Math.abs(seen[it]! - ref.objectives[it]!)).toBeLessThan(1e-5 * ref.objectives[it]!);
      // Separated blobs have no near-ties, so float64 Lloyd gives the same labels; uniform noise
      // has a few, which float32 and float64 centroids may resolve apart.
      if (expectSkips) {
        expect(Array.from(model.labels)).toEqual(Array.from(ref.labels[iterations]!));
        // Rows that changed cluster, also on the step that builds the bounds after plain ones.
        for (let it = 1; it < iterations; it++) {
          expect(changed[it]).toBe(ref.labels[it]!.reduce((c, v, i) => c + (v !== ref.labels[it - 1]![i] ? 1 : 0), 0));
        }
      }
      // Separated blobs: the sample says the bounds pay, so later steps skip distances. Uniform
      // noise in 24 dimensions: it says they do not, and no step on all rows builds them.
      expect(skipped.some((v) => v > 0)).toBe(expectSkips);
      // The sample was measured once (iteration 1, against the bounds built at iteration 0).
      expect(probes).toHaveLength(1);
      expect(probes[0]! >= 0.05).toBe(expectSkips);
      expect(skipped[0]).toBe(0);
    }
  });

  it('never lets the objective increase across iterations', () => {
    for (const metric of ['l2', 'cos'] as const) {
      const { x } = blobs(3000, 16, 25, 11);
      const objectives: number[] = [];
      fitSync(x, 16, { k: 30, metric, maxIter: 25, tol: 0, onIteration: (s) => objectives.push(s.objective) });
      for (let i = 1; i < objectives.length; i++) expect(objectives[i]!).toBeLessThanOrEqual(objectives[i - 1]! * (1 + 1e-6));
    }
  });

  it('k-means++ beats random starts on well-separated blobs', () => {
    let pp = 0;
    let random = 0;
    for (let seed = 1; seed <= 5; seed++) {
      const { x } = blobs(4000, 8, 40, 100 + seed, 60);
      pp += fitSync(x, 8, { k: 40, seed, maxIter: 15, algorithm: 'dense-exact-row' }).objective;
      random += fitSync(x, 8, { k: 40, seed, maxIter: 15, algorithm: 'dense-exact-random' }).objective;
    }
    expect(pp).toBeLessThan(random);
  });

  it('keeps spherical centroids on the unit sphere and reports mean 1 - cos', () => {
    const d = 12;
    const { x } = blobs(2000, d, 10, 5);
    const m = fitSync(x, d, { k: 10, metric: 'cos', maxIter: 15 });
    let total = 0;
    for (let j = 0; j < 10; j++) {
      let sq = 0;
      for (let t = 0; t < d; t++) sq += m.centroids[j * d + t]! ** 2;
      expect(Math.sqrt(sq)).toBeCloseTo(1, 5);
    }
    for (let i = 0; i < 2000; i++) {
      let dot = 0;
      let nx = 0;
      for (let t = 0; t < d; t++) {
        dot += x[i * d + t]! * m.centroids[m.labels[i]! * d + t]!;
        nx += x[i * d + t]! ** 2;
      }
      total += 1 - dot / Math.sqrt(nx);
    }
    expect(m.objective).toBeCloseTo(total / 2000, 5);
    expect(Array.from(m.predict(x))).toEqual(Array.from(m.labels));
  });

  it('gives identical results at 1 and 2 threads, sync and async', async () => {
    const { x } = blobs(20000, 24, 30, 8);
    const a = fitSync(x, 24, { k: 50, seed: 7, maxIter: 8, threads: 1 });
    const b = await fit(x, 24, { k: 50, seed: 7, maxIter: 8, threads: 2 });
    expect(Buffer.from(b.centroids.buffer).equals(Buffer.from(a.centroids.buffer))).toBe(true);
    expect(Buffer.from(b.labels.buffer).equals(Buffer.from(a.labels.buffer))).toBe(true);
    expect(b.objective).toBe(a.objective);
  });

  it('gives the same labels and centroids with and without the bf16 screens (avx512bf16 and avx512amx against avx512)', () => {
    const info = simdInfo();
    const screened = (['avx512bf16', 'avx512amx'] as const).filter((level) => info.available.includes(level));
    if (screened.length === 0) {
      console.log('skipped: this CPU has no AVX512-BF16');
      return;
    }
    // d >= 256 and k >= 64 so the seeding, assignment and Yinyang screens all run; a training
    // subsample so the final pass over every row is a screened fused assignment.
    const d = 256;
    const { x } = blobs(5000, d, 40, 12);
    const o = { k: 96, seed: 3, maxIter: 10, tol: 0, maxPointsPerCentroid: 32, minTrainingPoints: 0 };
    const a = fitSync(x, d, { ...o, simd: 'avx512' });
    for (const simd of screened) {
      const b = fitSync(x, d, { ...o, simd });
      expect(Buffer.from(b.centroids.buffer).equals(Buffer.from(a.centroids.buffer))).toBe(true);
      expect(Buffer.from(b.labels.buffer).equals(Buffer.from(a.labels.buffer))).toBe(true);
      // A row settled by its bounds reports its direct distance, a recomputed one the expanded
      // form: the screen's looser Yinyang bounds recompute a few more rows, so the objective may
      // differ in its last digits.
      expect(Math.abs(b.objective - a.objective)).toBeLessThanOrEqual(1e-9 * a.objective);
    }
  });

  it('splits empty clusters and still returns k non-empty clusters', () => {
    const d = 3;
    const { x } = blobs(500, d, 4, 9);
    const init = x.slice(0, 6 * d);
    init.fill(1e4, 5 * d, 6 * d); // a centroid no row is near: its cluster starts empty
    const m = fitSync(x, d, { k: 6, init, maxIter: 6, tol: 0 });
    expect(m.stats.reduce((s, it) => s + it.splits, 0)).toBeGreaterThan(0);
    const sizes = new Array(6).fill(0);
    for (const l of m.labels) sizes[l]++;
    expect(sizes.every((s) => s > 0)).toBe(true);
  });

  it('returns k centroids and says so when there are fewer distinct points than k', () => {
    const x = new Float32Array([0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1]);
    const m = fitSync(x, 2, { k: 4, maxIter: 5 });
    expect(m.centroids.length).toBe(8);
    expect(m.warnings.join(' ')).toMatch(/distinct/);
  });

  it('trains on a seeded subsample but labels every row', () => {
    const { x } = blobs(5000, 4, 5, 2);
    const m = fitSync(x, 4, { k: 5, maxPointsPerCentroid: 100, minTrainingPoints: 0, maxIter: 10 });
    expect(m.params.trainingRows).toBe(500);
    expect(m.labels.length).toBe(5000);
    let obj = 0;
    for (let i = 0; i < 5000; i++) obj += sqdist(x, i, m.centroids, m.labels[i]!, 4);
    expect(m.objective).toBeCloseTo(obj / 5000, 3);
  });

  it('trains on at least minTrainingPoints rows where k x maxPointsPerCentroid draws fewer', () => {
    const { x } = blobs(8000, 4, 3, 6);
    // Default floor 5,120 > 3 x 256: the sample grows to the floor, and labels still cover every row.
    const floored = fitSync(x, 4, { k: 3, maxIter: 4 });
    expect(floored.params.trainingRows).toBe(5120);
    expect(floored.params.minTrainingPoints).toBe(5120);
    expect(floored.labels.length).toBe(8000);
    expect(fitSync(x, 4, { k: 3, maxIter: 4, minTrainingPoints: 2000 }).params.trainingRows).toBe(2000);
    // k x maxPointsPerCentroid above the floor wins; a floor above n trains on every row.
    expect(fitSync(x, 4, { k: 3, maxIter: 4, maxPointsPerCentroid: 2500, minTrainingPoints: 10 }).params.trainingRows).toBe(7500);
    expect(fitSync(x, 4, { k: 3, maxIter: 4, minTrainingPoints: 9000 }).params.trainingRows).toBe(8000);
    expect(() => fitSync(x, 4, { k: 3, minTrainingPoints: -1 })).toThrow(/minTrainingPoints/);
    for (const bad of [-1, Number.NaN, Infinity]) {
      let code: unknown;
      try {
        fitSync(x, 4, { k: 3, minTrainingPoints: bad });
      } catch (e) {
        code = (e as { code?: unknown }).code;
      }
      expect(code).toBe(ErrorCode.InvalidArgument);
    }
  });

  it('keeps the best of several restarts', () => {
    const { x } = blobs(3000, 6, 20, 4, 40);
    const m = fitSync(x, 6, { k: 20, algorithm: 'dense-exact-nredo', nRedo: 4, maxIter: 10, tol: 0 });
    const finals = [0, 1, 2, 3].map((r) => m.stats.filter((s) => s.redo === r).at(-1)!.objective);
    expect(m.stats.filter((s) => s.redo === m.bestRedo).at(-1)!.objective).toBe(Math.min(...finals));
  });

  it('treats a weight of 2 like a duplicated row', () => {
    const d = 3;
    const { x } = blobs(300, d, 3, 6);
    const dup = new Float32Array(400 * d);
    dup.set(x);
    dup.set(x.subarray(0, 100 * d), 300 * d);
    const weights = new Float32Array(300).fill(1);
    weights.fill(2, 0, 100);
    const init = x.slice(0, 3 * d);
    const a = fitSync(x, d, { k: 3, init, sampleWeights: weights, maxIter: 10, tol: 0 });
    const b = fitSync(dup, d, { k: 3, init, maxIter: 10, tol: 0 });
    for (let i = 0; i < a.centroids.length; i++) expect(a.centroids[i]!).toBeCloseTo(b.centroids[i]!, 4);
    expect(a.objective).toBeCloseTo(b.objective, 4);
  });

  it('clusters the real digits set well (skips without ../shared)', async (ctx) => {
    const digits = await sharedDigits();
    if (digits === undefined) return ctx.skip('../shared/datasets/digits-1797x64 is absent');
    const m = fitSync(digits.x, 64, { k: 10, maxIter: 50 });
    // sklearn's KMeans(n_clusters=10, n_init=10) reaches an inertia of about 1.17e6 (651 per row) on this set.
    expect(m.objective).toBeLessThan(700);
    let agree = 0;
    for (let c = 0; c < 10; c++) {
      const counts = new Array(10).fill(0);
      for (let i = 0; i < 1797; i++) if (m.labels[i] === c) counts[digits.labels[i]!]++;
      agree += Math.max(...counts);
    }
    expect(agree / 1797).toBeGreaterThan(0.7); // cluster purity
  });

  it('gives the same sampled model when repeated and when fits run at once (sample buffers are reused, never shared)', async () => {
    const d = 24;
    const { x } = blobs(6000, d, 8, 21);
    for (const metric of ['l2', 'cos'] as const) {
      // 40 rows per centroid: a 400-row training sample out of 6,000.
      const options = { k: 10, metric, maxIter: 8, tol: 0, seed: 3, maxPointsPerCentroid: 40, minTrainingPoints: 0 };
      const first = fitSync(x, d, options);
      expect(first.params.trainingRows).toBe(400);
      const again = fitSync(x, d, options);
      const together = await Promise.all([fit(x, d, options), fit(x, d, { ...options, seed: 4 }), fit(x, d, options)]);
      for (const model of [again, together[0]!, together[2]!]) {
        expect(Array.from(model.centroids)).toEqual(Array.from(first.centroids));
        expect(Array.from(model.labels)).toEqual(Array.from(first.labels));
      }
      expect(Array.from(together[1]!.centroids)).toEqual(Array.from(fitSync(x, d, { ...options, seed: 4 }).centroids));
    }
  });
});
