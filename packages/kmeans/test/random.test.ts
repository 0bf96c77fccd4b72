import { describe, expect, it } from 'vitest';
import { Rng } from '../src/random.js';

/** The partial Fisher-Yates draw over a `Map`, as `distinct` was first written. */
function distinctWithMap(rng: Rng, n: number, count: number): Uint32Array {
  const out = new Uint32Array(count);
  const swapped = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const j = i + rng.below(n - i);
    const vj = swapped.get(j) ?? j;
    const vi = swapped.get(i) ?? i;
    swapped.set(j, vi);
    out[i] = vj;
  }
  return out;
}

describe('Rng.distinct', () => {
  it.each([
    [1, 1, 1],
    [10, 10, 2],
    [1000, 37, 3],
    [70_000, 2_560, 4],
    [1_000_000, 98_304, 5],
    [5_000, 5_000, 6],
  ])('draws the same integers as the Map-based shuffle (n=%i, count=%i)', (n, count, seed) => {
    const got = new Rng(seed).distinct(n, count);
    const want = distinctWithMap(new Rng(seed), n, count);
    expect(Array.from(got)).toEqual(Array.from(want));
    expect(new Set(got).size).toBe(count);
    expect(got.every((v) => v < n)).toBe(true);
  });
});
