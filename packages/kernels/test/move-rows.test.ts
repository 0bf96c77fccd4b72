/** `moveRows` through the binding: moved sums equal fresh ones; bad moves are coded errors. */
import { describe, expect, it } from 'vitest';

import { accumulate, ErrorCode, moveRows, moveRowsAsync } from '../src/index.js';
import { expectClose, expectCode } from './helpers/assertions.js';
import { randomLabels, randomMatrix, randomWeights } from './helpers/random.js';

describe('moveRows', () => {
  const n = 500;
  const d = 9;
  const k = 20;
  const x = randomMatrix(n, d, 1);
  const before = randomLabels(n, k, 2);
  const after = before.map((l, i) => (i % 3 === 0 ? (l * 7 + i) % k : l));
  const ids = Uint32Array.from({ length: n }, (_, i) => i).filter((i) => before[i] !== after[i]);
  const moves = { ids, from: Uint32Array.from(ids, (i) => before[i]!), to: Uint32Array.from(ids, (i) => after[i]!) };

  it('turns the sums of the old labels into those of the new ones, weighted or not, sync or async', async () => {
    expect(ids.length).toBeGreaterThan(50);
    for (const weights of [undefined, randomWeights(n, 3)]) {
      const want = accumulate(x, d, after, k, { weights });
      for (const run of [moveRows, moveRowsAsync]) {
        const sums = accumulate(x, d, before, k, { weights });
        await run(x, d, moves, sums, { weights });
        expect(Array.from(sums.counts)).toEqual(Array.from(want.counts));
        expectClose(sums.sums, want.sums, (i) => 1e-9 * (1 + Math.abs(want.sums[i]!)), 'sums');
        expectClose(sums.weightSums, want.weightSums, (i) => 1e-9 * (1 + want.weightSums[i]!), 'weight sums');
      }
    }
  });

  it('refuses moves that do not fit, leaving the sums as they were', () => {
    const sums = accumulate(x, d, before, k);
    const copy = Float64Array.from(sums.sums);
    const reversed = { ids: Uint32Array.from(ids).reverse(), from: moves.from.slice().reverse(), to: moves.to.slice().reverse() };
    expectCode(() => moveRows(x, d, reversed, sums), ErrorCode.InvalidArgument);
    expectCode(() => moveRows(x, d, { ...moves, to: moves.to.map(() => k) }, sums), ErrorCode.InvalidArgument);
    expect(Array.from(sums.sums)).toEqual(Array.from(copy));
    expectCode(() => moveRows(x, d, moves, { ...sums, sums: new Float64Array(3) }), ErrorCode.InvalidArgument);
  });
});
