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

  /** The distances callback of `capacityAssign` over a fixed `k x t` matrix. */
  const rowsOf = (dist: Float32Array, t: number) => (ids: Uint32Array) => {
    const out = new Float32Array(ids.length * t);
    ids.forEach((id, r) => out.set(dist.subarray(id * t, id * t + t), r * t));
    return out;
  };

  it('capacity assignment: with room to spare every item joins its nearest group', () => {
    const r = rng(5);
    const [k, t] = [200, 7];
    const dist = Float32Array.from({ length: k * t }, () => r());
    const groupOf = capacityAssign(k, t, k, rowsOf(dist, t));
    for (let i = 0; i < k; i++) {
      const row = Array.from(dist.subarray(i * t, i * t + t));
      expect(groupOf[i]).toBe(row.indexOf(Math.min(...row)));
    }
  });

  it('capacity assignment: no group over capacity, every item placed, displaced items only by closer ones', () => {
    const r = rng(9);
    // More items than one chunk of distances, so both phases ask for several.
    const [k, t, cap] = [9000, 8, 1125];
    // Skewed: most items are nearest to group 0, which cannot hold them all.
    const dist = Float32Array.from({ length: k * t }, (_, p) => r() + (p % t === 0 ? 0 : 0.5));
    const groupOf = capacityAssign(k, t, cap, rowsOf(dist, t));
    const sizes = new Array(t).fill(0);
    for (const g of groupOf) {
      expect(g).toBeLessThan(t);
      sizes[g]++;
    }
    expect(Math.max(...sizes)).toBeLessThanOrEqual(cap);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(k);
    const nearest = Array.from({ length: k }, (_, i) => {
      const row = Array.from(dist.subarray(i * t, i * t + t));
      const best = Math.min(...row);
      return [row.indexOf(best), best] as const;
    });
    // Per group: do all its members have it as their nearest, and how far is the farthest.
    const allNearest = new Array(t).fill(true);
    const farthest = new Array(t).fill(-Infinity);
    for (let j = 0; j < k; j++) {
      const g = groupOf[j]!;
      if (nearest[j]![0] !== g) allNearest[g] = false;
      farthest[g] = Math.max(farthest[g], nearest[j]![1]);
    }
    let displaced = 0;
    let wrong = 0;
    for (let i = 0; i < k; i++) {
      const [g, best] = nearest[i]!;
      if (groupOf[i] === g) continue;
      displaced++;
      // Its nearest group filled with items nearer to it (and nearest to it), and it took a
      // group no farther than any that still has room.
      if (sizes[g] !== cap || !allNearest[g] || farthest[g] > best) wrong++;
      for (let h = 0; h < t; h++) if (sizes[h] < cap && dist[i * t + groupOf[i]!]! > dist[i * t + h]!) wrong++;
    }
    expect(wrong).toBe(0);
    expect(displaced).toBeGreaterThan(0);
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
