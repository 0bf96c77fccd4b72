/**
 * The relabelling pass through the binding: labels and values of the chosen rows are what
 * `assign` gives them, the old-label sums are those of the rows (unit rows under cos), sync and
 * async agree, and bad arguments are coded errors.
 */
import { describe, expect, it } from 'vitest';
import { assign, ClosteraError, relabel, relabelAsync, type Metric } from '../src/index.js';
import { randomMatrix } from './helpers/random.js';

describe('relabel', () => {
  for (const metric of ['l2', 'cos'] as Metric[]) {
    it(`assigns the chosen rows as assign does and sums them by their old labels (${metric})`, async () => {
      const [n, d, k] = [300, 40, 7];
      const x = randomMatrix(n, d, 3);
      const c = randomMatrix(k, d, 4);
      const ids = Uint32Array.from({ length: 90 }, (_, i) => (i * 37) % n);
      const old = Uint32Array.from(ids, (i) => i % k);
      const weights = Float32Array.from({ length: n }, (_, i) => 1 + (i % 2));
      const got = relabel(x, d, ids, c, metric, old, { weights });
      const full = assign(x, c, d, metric);
      ids.forEach((id, i) => {
        expect(got.labels[i]).toBe(full.labels[id]);
        expect(got.values[i]).toBe(full.values[id]);
      });
      const sums = new Float64Array(k * d);
      ids.forEach((id, i) => {
        let norm = 0;
        for (let t = 0; t < d; t++) norm += x[id * d + t]! ** 2;
        const s = (metric === 'cos' ? 1 / Math.sqrt(norm) : 1) * weights[id]!;
        for (let t = 0; t < d; t++) sums[old[i]! * d + t]! += s * x[id * d + t]!;
      });
      for (let t = 0; t < k * d; t++) expect(got.oldSums.sums[t]!).toBeCloseTo(sums[t]!, 4);
      const later = await relabelAsync(x, d, ids, c, metric, old, { weights });
      expect(Array.from(later.labels)).toEqual(Array.from(got.labels));
      expect(Array.from(later.oldSums.sums)).toEqual(Array.from(got.oldSums.sums));
    });
  }

  it('names a bad id or old label, and refuses ip and mismatched lengths', () => {
    const x = randomMatrix(20, 4, 1);
    const c = randomMatrix(3, 4, 2);
    const code = (f: () => unknown): [string, unknown] => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ClosteraError);
        return [(e as ClosteraError).code, (e as ClosteraError).row];
      }
      throw new Error('no error');
    };
    expect(code(() => relabel(x, 4, Uint32Array.of(0, 20), c, 'l2', Uint32Array.of(0, 0)))).toEqual(['CLOSTERA_INVALID_ARGUMENT', 1]);
    expect(code(() => relabel(x, 4, Uint32Array.of(0, 1), c, 'l2', Uint32Array.of(0, 3)))).toEqual(['CLOSTERA_INVALID_ARGUMENT', 1]);
    expect(code(() => relabel(x, 4, Uint32Array.of(0, 1), c, 'l2', Uint32Array.of(0)))[0]).toBe('CLOSTERA_DIMENSION_MISMATCH');
    expect(code(() => relabel(x, 4, Uint32Array.of(0), c, 'ip', Uint32Array.of(0)))[0]).toBe('CLOSTERA_INVALID_ARGUMENT');
  });
});
