import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@clostera/kernels';
import { decodeModel, encodeModel, fit, fitSync, loadModel, saveModel } from '../src/index.js';
import { blobs } from './helpers.js';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

describe('bad input', () => {
  const { x } = blobs(50, 4, 3, 1);
  it('gets a stable code for each case', () => {
    expect(codeOf(() => fitSync(x, 4, { k: 51 }))).toBe(ErrorCode.InvalidArgument);
    expect(codeOf(() => fitSync(x, 4, { k: 0 }))).toBe(ErrorCode.InvalidArgument);
    expect(codeOf(() => fitSync(new Float32Array(0), 4, { k: 1 }))).toBe(ErrorCode.InvalidArgument);
    expect(codeOf(() => fitSync(x.subarray(1), 4, { k: 2 }))).toBe(ErrorCode.DimensionMismatch);
    expect(codeOf(() => fitSync(new Float64Array(8) as unknown as Float32Array, 4, { k: 1 }))).toBe(ErrorCode.InvalidType);
    expect(codeOf(() => fitSync(x, 4, { k: 2, init: new Float32Array(6) }))).toBe(ErrorCode.DimensionMismatch);
    expect(codeOf(() => fitSync(x, 4, { k: 2, sampleWeights: new Float32Array(49) }))).toBe(ErrorCode.DimensionMismatch);
    const neg = new Float32Array(50).fill(1);
    neg[7] = -1;
    const e = (() => { try { fitSync(x, 4, { k: 2, sampleWeights: neg }); } catch (err) { return err as { code: string; row: number }; } })();
    expect(e?.code).toBe(ErrorCode.InvalidArgument);
    expect(e?.row).toBe(7);
    const zero = x.slice();
    zero.fill(0, 12, 16);
    const z = (() => { try { fitSync(zero, 4, { k: 2, metric: 'cos' }); } catch (err) { return err as { code: string; row: number }; } })();
    expect([z?.code, z?.row]).toEqual([ErrorCode.ZeroNorm, 3]);
  });

  it('reports the row of a NaN or Inf', () => {
    const bad = x.slice();
    bad[4 * 33 + 2] = NaN;
    const e = (() => { try { fitSync(bad, 4, { k: 2 }); } catch (err) { return err as { code: string; row: number }; } })();
    expect([e?.code, e?.row]).toEqual([ErrorCode.NonFinite, 33]);
  });

  it('names the data row of a bad row when training on a sample, inside or outside it', async () => {
    // 2000 rows, k = 2, 10 rows per centroid: a 20-row sample. Whichever rows the sample holds,
    // the error names the lowest bad row of the data, for both codes, sync and async.
    const n = 2000;
    const big = Float32Array.from({ length: n * 4 }, (_, i) => 1 + ((i * 7919) % 13) / 13);
    const options = { k: 2, maxPointsPerCentroid: 10, minTrainingPoints: 0, seedPointsPerCentroid: 10, seed: 5 } as const;
    const failing = async (data: Float32Array, metric: 'l2' | 'cos') => {
      const sync = (() => { try { fitSync(data, 4, { ...options, metric }); } catch (err) { return err as { code: string; row: number }; } })();
      const async_ = await fit(data, 4, { ...options, metric }).then(() => undefined, (err: { code: string; row: number }) => err);
      expect([async_?.code, async_?.row]).toEqual([sync?.code, sync?.row]);
      return [sync?.code, sync?.row];
    };
    for (const row of [0, 777, n - 1]) {
      const bad = big.slice();
      bad[row * 4 + 1] = Infinity;
      bad[(n - 1) * 4 + 3] = NaN;
      expect(await failing(bad, 'l2')).toEqual([ErrorCode.NonFinite, row]);
      const zero = big.slice();
      zero.fill(0, row * 4, row * 4 + 4);
      expect(await failing(zero, 'cos')).toEqual([ErrorCode.ZeroNorm, row]);
      // Bad rows from `row` on: the 20-row sample certainly holds some (the sample's own check
      // fails first, then the whole data names the lowest).
      const tail = big.slice();
      tail.fill(NaN, row * 4);
      expect(await failing(tail, 'l2')).toEqual([ErrorCode.NonFinite, row]);
      const zeros = big.slice();
      zeros.fill(0, row * 4);
      if (row < n - 1) expect(await failing(zeros, 'cos')).toEqual([ErrorCode.ZeroNorm, row]);
      // A zero row is an ordinary point under l2.
      expect(fitSync(zero, 4, { ...options, metric: 'l2' }).labels.length).toBe(n);
    }
  });

  it('refuses predict rows of another dimension', () => {
    const m = fitSync(x, 4, { k: 3 });
    expect(codeOf(() => m.predict(new Float32Array(6), 3))).toBe(ErrorCode.DimensionMismatch);
  });
});

describe('short passes run in place', () => {
  it('never hold the event loop for long, and give the same model as the sync fit', async () => {
    // k-means++ on a 6,400-row seeding sample: 400 passes of well under a millisecond, which the
    // async driver runs on the JS thread between yields to the event loop.
    const { x } = blobs(20_000, 32, 40, 11);
    let last = performance.now();
    let longest = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 1);
    const model = await fit(x, 32, { k: 400, maxIter: 3, tol: 0, seed: 2 });
    clearInterval(timer);
    expect(longest).toBeLessThan(100);
    const sync = fitSync(x, 32, { k: 400, maxIter: 3, tol: 0, seed: 2 });
    expect(model.centroids).toEqual(sync.centroids);
    expect(model.labels).toEqual(sync.labels);
  });
});

describe('cancellation', () => {
  it('stops a fit promptly once aborted, and the event loop keeps ticking', async () => {
    const { x } = blobs(400_000, 64, 50, 3);
    const controller = new AbortController();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    let iterations = 0;
    let abortedAt = 0;
    const pending = fit(x, 64, {
      k: 512,
      maxIter: 50,
      tol: 0,
      maxPointsPerCentroid: Infinity,
      signal: controller.signal,
      onIteration: () => {
        iterations++;
        if (iterations === 2) {
          abortedAt = performance.now();
          controller.abort();
        }
      },
    });
    await expect(pending).rejects.toMatchObject({ code: ErrorCode.Cancelled });
    const latency = performance.now() - abortedAt;
    clearInterval(timer);
    expect(iterations).toBe(2);
    expect(ticks).toBeGreaterThan(0);
    // The next pass stops within one block of rows: far less than one iteration's work.
    expect(latency).toBeLessThan(2_000);
  });

  it('cancels whatever pass is running when the signal fires', async () => {
    const { x } = blobs(400_000, 64, 50, 4);
    const controller = new AbortController();
    let firedAt = 0;
    const pending = fit(x, 64, { k: 256, maxIter: 50, tol: 0, maxPointsPerCentroid: Infinity, signal: controller.signal });
    setTimeout(() => {
      firedAt = performance.now();
      controller.abort();
    }, 30);
    await expect(pending).rejects.toMatchObject({ code: ErrorCode.Cancelled });
    expect(firedAt).toBeGreaterThan(0);
    expect(performance.now() - firedAt).toBeLessThan(2_000);
  });
});

describe('save and load', () => {
  it('round-trips a model exactly and writes atomically', async () => {
    const { x } = blobs(500, 5, 4, 2);
    const m = fitSync(x, 5, { k: 4, maxIter: 5 });
    const dir = mkdtempSync(join(tmpdir(), 'clostera-km-'));
    const path = join(dir, 'model.clkm');
    await saveModel(m, path);
    expect(readdirSync(dir)).toEqual(['model.clkm']);
    const back = await loadModel(path);
    expect(Buffer.from(back.centroids.buffer).equals(Buffer.from(m.centroids.buffer))).toBe(true);
    expect(Array.from(back.labels)).toEqual(Array.from(m.labels));
    expect(back.params).toEqual(m.params);
    expect(back.stats).toEqual(m.stats);
    expect(back.objective).toBe(m.objective);
    expect(Array.from(back.predict(x))).toEqual(Array.from(m.predict(x)));
    const bytes = encodeModel(m);
    expect(codeOf(() => decodeModel(bytes.subarray(0, bytes.length - 3)))).toBe(ErrorCode.Format);
    const wrong = Buffer.from(bytes);
    wrong[0] = 0x41;
    expect(codeOf(() => decodeModel(wrong))).toBe(ErrorCode.Format);
    writeFileSync(join(dir, 'junk'), 'not a model');
    await expect(loadModel(join(dir, 'junk'))).rejects.toMatchObject({ code: ErrorCode.Format });
    await expect(loadModel(join(dir, 'missing'))).rejects.toMatchObject({ code: ErrorCode.Io });
  });
});
