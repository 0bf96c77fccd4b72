import { describe, expect, it } from 'vitest';
import { capacityAssign, groupCentroids, groupCount, CENTROIDS_PER_GROUP } from '../src/groups.js';
import { blobs, rng } from './helpers.js';

describe('Yinyang centroid groups', () => {
  it('takes ceil(k / 32) groups, fewer when the bounds would exceed their memory budget', () => {
    expect(groupCount(1000, 70_000)).toBe(32);
    expect(groupCount(1024, 200_000)).toBe(32);
    expect(groupCount(100, 1000)).toBe(4);
    expect(groupCount(20, 1000)).toBe(1);
    // 256 MiB of bounds at 4 bytes over 10M rows holds 6 per row.
    expect(groupCount(4096, 10_000_000)).toBe(6);
  });

  it('capacity assignment: with room to spare every item joins its nearest group', () => {
    const r = rng(5);
    const [k, t] = [200, 7];
    const dist = Float32Array.from({ length: k * t }, () => r());
    const groupOf = capacityAssign(dist, k, t, k);
    for (let i = 0; i < k; i++) {
      const row = Array.from(dist.subarray(i * t, i * t + t));
      expect(groupOf[i]).toBe(row.indexOf(Math.min(...row)));
    }
  });

  it('capacity assignment: no group over capacity, every item placed, and no swap of two items would shorten both', () => {
    const r = rng(9);
    const [k, t, cap] = [250, 8, 32];
    const dist = Float32Array.from({ length: k * t }, () => r());
    const groupOf = capacityAssign(dist, k, t, cap);
    const sizes = new Array(t).fill(0);
    for (const g of groupOf) {
      expect(g).toBeLessThan(t);
      sizes[g]++;
    }
    expect(Math.max(...sizes)).toBeLessThanOrEqual(cap);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(k);
    // Greedy by closest pair: an item placed in a worse group than some other group g means g
    // was full when its turn came, so g's members are all at least as close to g as it was.
    for (let i = 0; i < k; i++) {
      const mine = dist[i * t + groupOf[i]!]!;
      for (let g = 0; g < t; g++) {
        if (dist[i * t + g]! >= mine) continue;
        expect(sizes[g]).toBe(cap);
        for (let j = 0; j < k; j++) if (groupOf[j] === g) expect(dist[j * t + g]!).toBeLessThanOrEqual(dist[i * t + g]!);
      }
    }
  });

  it('groups real centroids into panels of at most 32, the same at 1 and 2 threads', () => {
    const d = 16;
    const { x } = blobs(1000, d, 40, 3);
    const t = groupCount(1000, 50_000);
    const one = groupCentroids(x, d, t, 1, 1);
    const two = groupCentroids(x, d, t, 1, 2);
    expect(one.t).toBe(Math.ceil(1000 / CENTROIDS_PER_GROUP));
    expect(Array.from(two.groupOf)).toEqual(Array.from(one.groupOf));
    const sizes = new Array(one.t).fill(0);
    for (const g of one.groupOf) sizes[g]++;
    expect(Math.max(...sizes)).toBeLessThanOrEqual(CENTROIDS_PER_GROUP);
    expect(Math.min(...sizes)).toBeGreaterThan(0);
  });
});
