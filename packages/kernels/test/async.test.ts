/**
 * The `...Async` passes: same results as the sync forms, off the JS thread, cancellable through
 * an AbortSignal and reporting monotone progress.
 */
import { setTimeout as sleep } from 'node:timers/promises';

import { beforeAll, describe, expect, it } from 'vitest';

import {
  accumulate,
  accumulateAsync,
  assign,
  assignAsync,
  assignSums,
  assignSumsAsync,
  assignTop2Sums,
  assignTop2SumsAsync,
  distanceTile,
  distanceTileAsync,
  ErrorCode,
  kmeansppPotential,
  kmeansppPotentialAsync,
  kmeansppUpdate,
  kmeansppUpdateAsync,
  normalizeRows,
  normalizeRowsAsync,
  rowNorms,
  rowNormsAsync,
  boundedAssignAsync,
  seedCommitAsync,
  seedPotentialAsync,
  seedUpdateAsync,
  topL,
  topLAsync,
  yinyangAssignAsync,
} from '../src/index.js';
import { expectBitIdentical, expectRejectCode } from './helpers/assertions.js';
import { bigMatrix, randomLabels, randomMatrix, randomWeights } from './helpers/random.js';

const HEAVY = { timeout: 120_000 };

describe('async results equal sync results', () => {
  const n = 20_000;
  const d = 32;
  const k = 64;
  const x = randomMatrix(n, d, 31);
  const c = randomMatrix(k, d, 32);
  const labels = randomLabels(n, k, 33);
  const weights = randomWeights(n, 34);

  it('for every pass', async () => {
    expectBitIdentical(await rowNormsAsync(x, d, { squared: true }), rowNorms(x, d, { squared: true }), 'rowNorms');
    const fused = await assignSumsAsync(x, c, d, { weights });
    const fusedSync = assignSums(x, c, d, { weights });
    expectBitIdentical(fused.labels, fusedSync.labels, 'assignSums labels');
    expectBitIdentical(fused.sums.sums, fusedSync.sums.sums, 'assignSums sums');
    expectBitIdentical(fused.sums.weightSums, fusedSync.sums.weightSums, 'assignSums weight sums');
    for (const metric of ['l2', 'cos'] as const) {
      const top2 = await assignTop2SumsAsync(x, c, d, metric, { weights });
      const top2Sync = assignTop2Sums(x, c, d, metric, { weights });
      expectBitIdentical(top2.labels, top2Sync.labels, 'assignTop2Sums labels');
      expectBitIdentical(top2.second, top2Sync.second, 'assignTop2Sums runner-up');
      expectBitIdentical(top2.sums.sums, top2Sync.sums.sums, 'assignTop2Sums sums');
    }
    const unit = await normalizeRowsAsync(x, d);
    const unitSync = normalizeRows(x, d);
    expectBitIdentical(unit.rows, unitSync.rows, 'normalizeRows rows');
    expectBitIdentical(unit.norms, unitSync.norms, 'normalizeRows norms');
    expectBitIdentical(await distanceTileAsync(x, c, d, 'ip'), distanceTile(x, c, d, 'ip'), 'distanceTile');
    const [assignedAsync, assignedSync] = [await assignAsync(x, c, d, 'cos'), assign(x, c, d, 'cos')];
    expectBitIdentical(assignedAsync.labels, assignedSync.labels, 'assign labels');
    expectBitIdentical(assignedAsync.values, assignedSync.values, 'assign values');
    const [topAsync, topSync] = [await topLAsync(x, c, d, 'l2', 4), topL(x, c, d, 'l2', 4)];
    expectBitIdentical(topAsync.labels, topSync.labels, 'topL labels');
    expectBitIdentical(topAsync.values, topSync.values, 'topL values');
    const [sumsAsync, sumsSync] = [
      await accumulateAsync(x, d, labels, k, { weights }),
      accumulate(x, d, labels, k, { weights }),
    ];
    expectBitIdentical(sumsAsync.sums, sumsSync.sums, 'sums');
    expectBitIdentical(sumsAsync.weightSums, sumsSync.weightSums, 'weightSums');
    expectBitIdentical(sumsAsync.counts, sumsSync.counts, 'counts');
    const [minAsync, minSync] = [new Float32Array(n).fill(Infinity), new Float32Array(n).fill(Infinity)];
    const center = c.subarray(0, d);
    expect(await kmeansppUpdateAsync(x, d, center, minAsync, 'l2', { weights })).toBe(
      kmeansppUpdate(x, d, center, minSync, 'l2', { weights })
    );
    expectBitIdentical(minAsync, minSync, 'minDist');
    const candidates = c.subarray(0, 8 * d);
    expectBitIdentical(
      await kmeansppPotentialAsync(x, d, candidates, minAsync, 'l2'),
      kmeansppPotential(x, d, candidates, minSync, 'l2'),
      'potential'
    );
  });

  it('when several run at once', async () => {
    const expected = assign(x, c, d, 'l2');
    const results = await Promise.all(Array.from({ length: 6 }, () => assignAsync(x, c, d, 'l2', { threads: 1 })));
    for (const result of results) expectBitIdentical(result.labels, expected.labels, 'labels');
  });

  it('inputs stay alive while the pass runs, even with no JS reference left', HEAVY, async () => {
    const rows = 100_000;
    const expected = assign(bigMatrix(rows, 64, 5), bigMatrix(256, 64, 6), 64, 'l2');
    // No reference to the inputs survives this line: only the binding's references keep them.
    const pending = assignAsync(bigMatrix(rows, 64, 5), bigMatrix(256, 64, 6), 64, 'l2', { threads: 1 });
    let settled = false;
    void pending.finally(() => (settled = true));
    // Churn memory so the garbage collector runs while the pass reads its inputs.
    while (!settled) {
      for (let i = 0; i < 64; i++) new Float32Array(1 << 16).fill(i);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const result = await pending;
    expectBitIdentical(result.labels, expected.labels, 'labels');
    expectBitIdentical(result.values, expected.values, 'values');
  });
});

describe('the passes with the longest argument lists', () => {
  // A native call once read at most 12 arguments, silently dropping the trailing control array
  // and async flag of these passes: they ran on the JS thread with no progress or cancellation.
  // Progress reaching every row proves the control array arrived.
  const n = 3000;
  const d = 8;
  const k = 6;
  const x = randomMatrix(n, d, 5);
  const c = x.slice(0, k * d);
  const rowsSeen = async (run: (onProgress: (p: { rowsDone: number; rows: number }) => void) => Promise<unknown>): Promise<number> => {
    let last = 0;
    await run(({ rowsDone, rows }) => {
      expect(rows).toBe(n);
      last = rowsDone;
    });
    return last;
  };

  it('report progress through their control array, up to every row', async () => {
    const yy = { labels: new Uint32Array(n), lower: new Float32Array(n * 2), values: new Float32Array(n) };
    const groups = { groupOf: Uint32Array.from({ length: k }, (_, j) => j % 2), t: 2 };
    expect(await rowsSeen((onProgress) => yinyangAssignAsync(x, c, d, groups, yy, null, { onProgress, withSums: true }))).toBe(n);
    const bounded = { labels: new Uint32Array(n), lower: new Float32Array(n), values: new Float32Array(n) };
    expect(await rowsSeen((onProgress) => boundedAssignAsync(x, c, d, bounded, null, { onProgress }))).toBe(n);
    const seed = { minDist: new Float32Array(n).fill(Infinity), nearest: new Uint32Array(n), rowDists: new Float32Array(n * 2) };
    expect(await rowsSeen((onProgress) => seedUpdateAsync(x, d, c.subarray(0, d), 0, new Float32Array(0), seed, { onProgress }))).toBe(n);
    const candidates = c.slice(d, 3 * d);
    const gaps = new Float32Array(2).fill(1);
    expect(await rowsSeen((onProgress) => seedPotentialAsync(x, d, candidates, gaps, 1, seed, { onProgress }))).toBe(n);
    expect(await rowsSeen((onProgress) => seedCommitAsync(seed, 2, 0, 1, { onProgress }))).toBe(n);
  });
});

describe('async passes on a big input (200k x 256 against 1024 centroids)', () => {
  const n = 200_000;
  const d = 256;
  const k = 1024;
  let x: Float32Array;
  let c: Float32Array;
  /** Time of one uncancelled async assign, measured on this machine. */
  let fullMs = 0;

  beforeAll(async () => {
    x = bigMatrix(n, d, 77);
    c = x.slice(0, k * d);
    await assignAsync(x, c, d, 'l2'); // warm up (page-in, thread start)
    const started = performance.now();
    await assignAsync(x, c, d, 'l2');
    fullMs = performance.now() - started;
  }, 120_000);

  it('keeps the event loop ticking', HEAVY, async () => {
    let ticks = 0;
    let running = true;
    const tick = (): void => {
      ticks++;
      if (running) setTimeout(tick, 1);
    };
    setTimeout(tick, 1);
    const started = performance.now();
    await assignAsync(x, c, d, 'l2');
    const elapsed = performance.now() - started;
    running = false;
    // A blocked loop would tick at most once; a free one ticks about once per millisecond.
    expect(ticks).toBeGreaterThan(Math.min(20, elapsed / 10));
  });

  it('reports monotone progress up to every row', HEAVY, async () => {
    const seen: number[] = [];
    await assignAsync(x, c, d, 'l2', {
      progressIntervalMs: 5,
      onProgress: ({ rowsDone, rows }) => {
        expect(rows).toBe(n);
        seen.push(rowsDone);
      },
    });
    expect(seen.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1] as number);
    expect(seen.at(-1)).toBe(n);
  });

  it('cancelled mid-way rejects with CLOSTERA_CANCELLED promptly', HEAVY, async () => {
    const controller = new AbortController();
    const progress: number[] = [];
    const started = performance.now();
    const pending = assignAsync(x, c, d, 'l2', {
      signal: controller.signal,
      progressIntervalMs: 5,
      onProgress: ({ rowsDone }) => progress.push(rowsDone),
    });
    await sleep(Math.max(10, fullMs * 0.15));
    const abortedAt = performance.now();
    controller.abort(new Error('user stop'));
    const error = await expectRejectCode(pending, ErrorCode.Cancelled);
    const latency = performance.now() - abortedAt;
    expect(error.cause).toBe(controller.signal.reason);
    expect(latency, `cancel took ${latency} ms, a full run ${fullMs} ms`).toBeLessThan(fullMs * 0.25);
    expect(performance.now() - started).toBeLessThan(fullMs * 0.75);
    expect(progress.at(-1) ?? 0).toBeLessThan(n);
  });

  it('an already aborted signal rejects without starting the pass', HEAVY, async () => {
    const started = performance.now();
    let progressCalls = 0;
    await expectRejectCode(
      assignAsync(x, c, d, 'l2', { signal: AbortSignal.abort(), onProgress: () => progressCalls++ }),
      ErrorCode.Cancelled
    );
    expect(performance.now() - started).toBeLessThan(fullMs * 0.1);
    expect(progressCalls).toBe(0);
  });

  it('a throwing onProgress cancels the pass and rejects with what it threw', HEAVY, async () => {
    const thrown = new Error('progress callback failed');
    const started = performance.now();
    await expect(
      assignAsync(x, c, d, 'l2', {
        progressIntervalMs: 5,
        onProgress: () => {
          throw thrown;
        },
      })
    ).rejects.toBe(thrown);
    expect(performance.now() - started).toBeLessThan(fullMs * 0.75);
  });

  it('the next pass after a cancellation runs normally', HEAVY, async () => {
    const small = x.subarray(0, 1000 * d);
    const result = await assignAsync(small, c, d, 'l2');
    expectBitIdentical(result.labels, assign(small, c, d, 'l2').labels, 'labels');
  });
});
