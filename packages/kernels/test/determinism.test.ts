/**
 * Results do not depend on the thread count (bit-identical) and every SIMD level agrees with the
 * scalar reference path within float32 tolerance.
 */
import { describe, expect, it } from 'vitest';

import {
  accumulate,
  assign,
  distanceTile,
  kmeansppPotential,
  kmeansppUpdate,
  rowNorms,
  simdInfo,
  topL,
  type Metric,
  type PassOptions,
} from '../src/index.js';
import { expectBitIdentical, expectClose } from './helpers/assertions.js';
import { randomLabels, randomMatrix, randomWeights } from './helpers/random.js';

// Large enough for several blocks in every pass (row blocks, 2048-row seeding blocks, 4096-row
// validation blocks), so two threads really split the work.
const n = 9000;
const d = 33;
const k = 50;
const x = randomMatrix(n, d, 21);
const c = randomMatrix(k, d, 22);
const labels = randomLabels(n, k, 23);
const weights = randomWeights(n, 24);

/** Every pass's outputs under `options`, by name. */
function allOutputs(metric: Metric, options: PassOptions): Record<string, ArrayBufferView> {
  const seeding: Metric = metric === 'ip' ? 'l2' : metric;
  const minDist = new Float32Array(n).fill(Number.POSITIVE_INFINITY);
  const totals = new Float64Array(3);
  for (const [j, centerIndex] of [3, 17, 41].entries()) {
    totals[j] = kmeansppUpdate(x, d, c.subarray(centerIndex * d, (centerIndex + 1) * d), minDist, seeding, {
      ...options,
      weights,
    });
  }
  const assigned = assign(x, c, d, metric, options);
  const top = topL(x, c, d, metric, 7, options);
  const sums = accumulate(x, d, labels, k, { ...options, weights });
  return {
    norms: rowNorms(x, d, options),
    tile: distanceTile(x, c, d, metric, options),
    assignLabels: assigned.labels,
    assignValues: assigned.values,
    topLabels: top.labels,
    topValues: top.values,
    sums: sums.sums,
    weightSums: sums.weightSums,
    counts: sums.counts,
    minDist,
    seedingTotals: totals,
    potential: kmeansppPotential(x, d, c.subarray(0, 5 * d), minDist, seeding, { ...options, weights }),
  };
}

describe('thread-count invariance', () => {
  it.each(['l2', 'ip', 'cos'] as Metric[])('threads 1 and 2 give bit-identical outputs (%s)', (metric) => {
    const one = allOutputs(metric, { threads: 1 });
    const two = allOutputs(metric, { threads: 2 });
    for (const name of Object.keys(one)) {
      expectBitIdentical(one[name] as ArrayBufferView, two[name] as ArrayBufferView, name);
    }
  });
});

describe('SIMD levels agree with scalar', () => {
  const levels = simdInfo().available.filter((level) => level !== 'scalar');

  it('scalar is always available and the default level is listed', () => {
    const info = simdInfo();
    expect(info.available).toContain('scalar');
    expect(info.available).toContain(info.inUse);
    expect(info.threads).toBeGreaterThanOrEqual(1);
  });

  it.each(levels.flatMap((level) => (['l2', 'ip', 'cos'] as Metric[]).map((metric) => ({ level, metric }))))(
    '$level vs scalar ($metric)',
    ({ level, metric }) => {
      const scalar = allOutputs(metric, { simd: 'scalar' });
      const simd = allOutputs(metric, { simd: level });
      const close = (name: string, relative = 1e-4) => {
        const expected = scalar[name] as unknown as ArrayLike<number>;
        expectClose(
          simd[name] as unknown as ArrayLike<number>,
          expected,
          (i) => relative * (1 + Math.abs(expected[i] as number)),
          name
        );
      };
      for (const name of [
        'norms',
        'tile',
        'assignValues',
        'topValues',
        'sums',
        'weightSums',
        'minDist',
        'seedingTotals',
        'potential',
      ]) {
        close(name);
      }
      expect(simd['counts']).toEqual(scalar['counts']);
      // Labels may differ only where two centroids are tied within rounding.
      const tile = scalar['tile'] as Float32Array;
      const [simdLabels, scalarLabels] = [simd['assignLabels'], scalar['assignLabels']] as Uint32Array[];
      for (let i = 0; i < n; i++) {
        const [a, b] = [simdLabels?.[i] as number, scalarLabels?.[i] as number];
        if (a !== b) {
          const gap = Math.abs((tile[i * k + a] as number) - (tile[i * k + b] as number));
          expect(gap).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(tile[i * k + b] as number)));
        }
      }
    }
  );
});
