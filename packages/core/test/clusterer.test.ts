// The Clusterer facade through the library API: inputs, auto selection, predict/transform,
// progress, cancellation, the memory budget, save/load and errors.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { open, writeCentroids } from '@clostera/io';
import { fitSync } from '@clostera/kmeans';
import { availableAlgorithms, availableMetrics, Clusterer, ErrorCode, type ClustererProgress } from '../src/index.js';
import { blobs, tempDir } from './helpers.js';

const N = 3000;
const D = 16;
const K = 8;
const x = blobs(N, D, K, 3);
const dir = tempDir();

async function code(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'no error';
}

describe('Clusterer', () => {
  it('lists the algorithms and metrics it accepts', () => {
    expect(availableAlgorithms()).toEqual(['auto', 'dense-exact-row', 'dense-exact-random', 'dense-exact-nredo']);
    expect(availableMetrics()).toEqual(['l2', 'cos']);
    expect(Clusterer.availableAlgorithms()).toBe(availableAlgorithms());
    expect(Clusterer.availableMetrics()).toBe(availableMetrics());
  });

  it('fits a typed array with auto: backend, selection path, labels, centroids, stats', async () => {
    // minTrainingPoints 0: FAISS's sampling rule alone, so 3,000 rows are enough to subsample.
    const c = new Clusterer({ k: K, metric: 'l2', algorithm: 'auto', seed: 9, minTrainingPoints: 0 });
    expect(c.isFitted).toBe(false);
    await c.fit(x, { d: D });
    expect(c.algorithm).toBe('dense-exact-random'); // D = 16 < 160 under l2
    expect(c.selection?.training).toBe('subsample');
    expect(c.selection?.path.map((s) => s.test)).toEqual(['metric', 'D']);
    expect(c.selection?.explain()).toMatch(/D = 16 → < 160/);
    expect(c.labels).toHaveLength(N);
    expect(c.centroids).toHaveLength(K * D);
    expect(c.stats.length).toBeGreaterThan(0);
    expect(c.stats[0]).toMatchObject({ redo: 0, iteration: 0 });
    expect(c.training).toEqual({ n: N, d: D, rows: N, sampled: false, format: 'memory' });
    // 'auto' applies the rule's training set: the engine's default subsample (2,048 of 3,000 rows).
    const direct = fitSync(x, D, { k: K, algorithm: 'dense-exact-random', seed: 9, minTrainingPoints: 0 });
    expect(direct.params.trainingRows).toBe(2048);
    expect(c.labels).toEqual(direct.labels);
    expect(c.objective).toBeCloseTo(direct.objective, 6);
  });

  it('runs an explicit backend without a selection, and the caller’s options win over the rule', async () => {
    const c = await new Clusterer({ k: K, algorithm: 'dense-exact-nredo', nRedo: 2, maxIter: 5 }).fit(x, { d: D });
    expect(c.algorithm).toBe('dense-exact-nredo');
    expect(c.selection).toBeUndefined();
    expect(new Set(c.stats.map((s) => s.redo))).toEqual(new Set([0, 1]));
    const sub = await new Clusterer({ k: K, maxPointsPerCentroid: 64 }).fit(x, { d: D });
    expect(sub.model.params.maxPointsPerCentroid).toBe(64);
  });

  it('gives the same result from a typed array, an .npy path and an open source; predict and transform agree', async () => {
    const path = join(dir, 'x.npy');
    await writeCentroids(path, x, D);
    const fromArray = await new Clusterer({ k: K, metric: 'cos' }).fit(x, { d: D });
    const fromPath = await new Clusterer({ k: K, metric: 'cos' }).fit(path);
    const source = await open(path, { memmap: true });
    const fromSource = await new Clusterer({ k: K, metric: 'cos' }).fit(source);
    await source.close();
    expect(fromPath.labels).toEqual(fromArray.labels);
    expect(fromSource.centroids).toEqual(fromArray.centroids);
    expect(fromPath.training.format).toBe('npy');
    expect(fromArray.algorithm).toBe('dense-exact-row'); // cos → k-means++

    expect(await fromArray.predict(path)).toEqual(fromArray.labels);
    expect(await fromArray.predict(x)).toEqual(fromArray.labels);
    const dist = await fromArray.transform(x.subarray(0, 50 * D));
    expect(dist).toHaveLength(50 * K);
    for (let i = 0; i < 50; i++) {
      const row = Array.from(dist.subarray(i * K, (i + 1) * K));
      expect(row.indexOf(Math.min(...row))).toBe(fromArray.labels[i]);
      for (const v of row) expect(v).toBeGreaterThanOrEqual(-1e-6); // 1 - cos
    }
  });

  it('reports progress from 0 to 1, never going back', async () => {
    const seen: ClustererProgress[] = [];
    await new Clusterer({ k: K, onProgress: (p) => seen.push(p) }).fit(join(dir, 'x.npy'));
    expect(seen[0]!.stage).toBe('read');
    expect(seen.map((p) => p.stage)).toContain('lloyd');
    const fractions = seen.map((p) => p.fraction);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]!).toBeGreaterThanOrEqual(fractions[i - 1]!);
    expect(fractions.at(-1)).toBe(1);
  });

  it('trains on a seeded sample when the input exceeds maxRam, then labels every row', async () => {
    const path = join(dir, 'x.npy');
    const fit = (): Promise<Clusterer> => new Clusterer({ k: K, maxRam: (N * D * 4) / 3, seed: 4 }).fit(path);
    const [a, b] = await Promise.all([fit(), fit()]);
    expect(a.training).toMatchObject({ rows: N / 3, sampled: true });
    expect(a.labels).toHaveLength(N);
    expect(a.labels).toEqual(b.labels); // seeded
    expect(a.model.warnings.join(' ')).toMatch(/sample of 1000 of 3000 rows/);
    expect(await a.predict(path)).toEqual(a.labels);
    expect(await code(new Clusterer({ k: K, maxRam: 4 * D * (K - 1) }).fit(path))).toBe(ErrorCode.OutOfMemory);
    expect(await code(new Clusterer({ k: K, maxRam: '1KiB', sampleWeights: new Float32Array(N) }).fit(path))).toBe(ErrorCode.InvalidArgument);
  });

  it('cancels through an AbortSignal', async () => {
    const big = blobs(40_000, 32, 64, 5);
    const controller = new AbortController();
    const c = new Clusterer({ k: 64, tol: 0, maxIter: 1_000_000, signal: controller.signal, onIteration: (s) => s.iteration === 2 && controller.abort() });
    expect(await code(c.fit(big, { d: 32 }))).toBe(ErrorCode.Cancelled);
    expect(c.isFitted).toBe(false);
    expect(await code(new Clusterer({ k: 2 }).fit(x, { d: D, signal: AbortSignal.abort() }))).toBe(ErrorCode.Cancelled);
  });

  it('saves and loads a fitted model', async () => {
    const c = await new Clusterer({ k: K, seed: 2 }).fit(x, { d: D });
    const path = join(dir, 'model.bin');
    await c.save(path);
    const back = await Clusterer.load(path);
    expect(back.centroids).toEqual(c.centroids);
    expect(back.labels).toEqual(c.labels);
    expect(back.algorithm).toBe(c.algorithm);
    expect(back.selection).toBeUndefined();
    expect(await back.predict(x)).toEqual(await c.predict(x));
  });

  it('rejects bad options, bad inputs and use before fit with stable codes', async () => {
    expect(await code(() => new Clusterer({ k: 0 }))).toBe(ErrorCode.InvalidArgument);
    expect(await code(() => new Clusterer({ k: 2, metric: 'ip' as never }))).toBe(ErrorCode.InvalidArgument);
    expect(await code(() => new Clusterer({ k: 2, algorithm: 'faiss' as never }))).toBe(ErrorCode.InvalidArgument);
    expect(await code(() => new Clusterer({ k: 2, maxRam: 'lots' }))).toBe(ErrorCode.InvalidArgument);
    expect(await code(() => new Clusterer({ k: 2 }).labels)).toBe(ErrorCode.InvalidArgument);
    expect(await code(new Clusterer({ k: 2 }).fit(x))).toBe(ErrorCode.InvalidArgument); // no d
    expect(await code(new Clusterer({ k: 2 }).fit(x, { d: 7 }))).toBe(ErrorCode.InvalidArgument);
    expect(await code(new Clusterer({ k: N + 1 }).fit(x, { d: D }))).toBe(ErrorCode.InvalidArgument);
    expect(await code(new Clusterer({ k: 2 }).fit(join(dir, 'missing.npy')))).toBe(ErrorCode.Io);
    const bad = Float32Array.from(x);
    bad[5 * D] = NaN;
    expect(await code(new Clusterer({ k: 2 }).fit(bad, { d: D }))).toBe(ErrorCode.NonFinite);
    const fitted = await new Clusterer({ k: 2 }).fit(x, { d: D });
    expect(await code(fitted.predict(new Float32Array(8), { d: 8 }))).toBe(ErrorCode.DimensionMismatch);
    expect(await code(fitted.transform(x, { d: D, signal: AbortSignal.abort() }))).toBe(ErrorCode.Cancelled);
  });
});
