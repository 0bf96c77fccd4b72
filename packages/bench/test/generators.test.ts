import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FAMILIES, Rng, generate, syntheticChunks, syntheticModel, writeShards, type SyntheticSpec } from '../src/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'bench-gen-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function spec(family: string, n = 2000, d?: number, k = 8, seed = 3): SyntheticSpec {
  return { family, n, d: d ?? FAMILIES.find((f) => f.name === family)!.defaultD, k, seed };
}

describe('Rng', () => {
  it('is reproducible: golden values recorded from this implementation (xoshiro128** seeded by splitmix32)', () => {
    const r = new Rng(42);
    expect([r.nextU32(), r.nextU32(), r.nextU32()]).toEqual([1925742633, 1996256342, 4205161343]);
  });

  it('streams of one seed differ, uniforms lie in [0, 1), normals have unit variance', () => {
    expect(new Rng(1, 1).nextU32()).not.toBe(new Rng(1, 2).nextU32());
    const r = new Rng(9);
    let s = 0;
    let s2 = 0;
    let inRange = true;
    for (let i = 0; i < 20000; i++) {
      const u = r.uniform();
      inRange &&= u >= 0 && u < 1;
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    expect(inRange).toBe(true);
    expect(Math.abs(s / 20000)).toBeLessThan(0.05);
    expect(Math.abs(s2 / 20000 - 1)).toBeLessThan(0.05);
  });
});

describe.each(FAMILIES.map((f) => f.name))('family %s', (name) => {
  it('matches its declared shape and labels, and is deterministic by seed', () => {
    const s = spec(name);
    const a = generate(s);
    expect(a.x.length).toBe(s.n * s.d);
    expect(a.labels.length).toBe(s.n);
    expect(a.model.d).toBe(s.d);
    expect(a.model.k).toBe(s.k);
    expect(a.x.every(Number.isFinite)).toBe(true);
    expect(a.labels.every((l) => l < s.k)).toBe(true);
    const again = generate(s);
    expect(Buffer.from(again.x.buffer).equals(Buffer.from(a.x.buffer))).toBe(true);
    expect(again.labels).toEqual(a.labels);
    const other = generate({ ...s, seed: s.seed + 1 });
    expect(Buffer.from(other.x.buffer).equals(Buffer.from(a.x.buffer))).toBe(false);
  });

  it('label frequencies follow the declared probabilities', () => {
    const s = spec(name, 20000);
    const { labels, model } = generate(s);
    const counts = new Float64Array(s.k);
    for (const l of labels) counts[l]!++;
    for (let j = 0; j < s.k; j++) {
      const p = model.labelProbabilities[j]!;
      const sd = Math.sqrt(s.n * p * (1 - p));
      expect(Math.abs(counts[j]! - s.n * p)).toBeLessThan(5 * sd + 1);
    }
    expect(model.labelProbabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('rows do not depend on the block size used to stream them', () => {
    const s = spec(name, 1000);
    const whole = generate(s).x;
    const pieces = new Float32Array(whole.length);
    for (const chunk of syntheticChunks(s, 4 * s.d * 37)) pieces.set(chunk.x, chunk.start * s.d);
    expect(Buffer.from(pieces.buffer).equals(Buffer.from(whole.buffer))).toBe(true);
  });
});

describe('family properties', () => {
  it('gaussian: a recorded prefix (regression guard for the generator streams)', () => {
    const g = generate({ family: 'gaussian', n: 3, d: 2, k: 2, seed: 7 });
    expect([...g.labels]).toEqual([1, 1, 0]);
    expect([...g.x]).toEqual(
      [-1.8999930620193481, 2.4444727897644043, -0.8692792057991028, 2.118335485458374, 1.891979694366455, -2.9857046604156494].map(Math.fround),
    );
  });

  it('zipf: cluster probabilities decrease as 1/(j+1)^1.1', () => {
    const p = syntheticModel(spec('zipf', 10, 4, 16)).labelProbabilities;
    for (let j = 1; j < 16; j++) expect(p[j]! / p[0]!).toBeCloseTo(1 / Math.pow(j + 1, 1.1), 12);
  });

  it('dir-mag: magnitudes span about a decade while directions carry the label', () => {
    const s = spec('dir-mag', 4000, 16, 4);
    const { x, labels } = generate(s);
    const norms = Array.from({ length: s.n }, (_, i) => Math.hypot(...x.subarray(i * s.d, (i + 1) * s.d)));
    norms.sort((a, b) => a - b);
    expect(norms[Math.floor(0.9 * s.n)]! / norms[Math.floor(0.1 * s.n)]!).toBeGreaterThan(5);
    // Rows of one label point the same way: mean pairwise cosine within a label is high.
    const firstTwo = [...labels.keys()].filter((i) => labels[i] === labels[0]).slice(0, 2);
    const [a, b] = firstTwo.map((i) => x.subarray(i * s.d, (i + 1) * s.d));
    const dot = a!.reduce((acc, v, j) => acc + v * b![j]!, 0);
    expect(dot / (Math.hypot(...a!) * Math.hypot(...b!))).toBeGreaterThan(0.7);
  });

  it('irrelevant: only the first ceil(d/8) coordinates differ between labels', () => {
    const s = spec('irrelevant', 8000, 16, 2);
    const { x, labels } = generate(s);
    const meanOf = (label: number, j: number): number => {
      let sum = 0;
      let n = 0;
      for (let i = 0; i < s.n; i++) if (labels[i] === label) (sum += x[i * s.d + j]!), n++;
      return sum / n;
    };
    const informativeGap = Math.abs(meanOf(0, 0) - meanOf(1, 0)) + Math.abs(meanOf(0, 1) - meanOf(1, 1));
    expect(informativeGap).toBeGreaterThan(1);
    for (let j = 2; j < s.d; j++) expect(Math.abs(meanOf(0, j) - meanOf(1, j))).toBeLessThan(0.2);
  });

  it('swiss-roll: labels are ordered segments along the roll', () => {
    const { labels } = generate(spec('swiss-roll', 2000, 3, 5));
    expect(new Set(labels).size).toBe(5);
  });

  it('rejects bad specs with coded errors', () => {
    expect(() => syntheticModel({ family: 'nope', n: 1, d: 1, k: 1, seed: 1 })).toThrow(expect.objectContaining({ code: 'CLOSTERA_INVALID_ARGUMENT' }));
    expect(() => syntheticModel({ family: 'swiss-roll', n: 1, d: 2, k: 1, seed: 1 })).toThrow(expect.objectContaining({ code: 'CLOSTERA_INVALID_ARGUMENT' }));
    expect(() => syntheticModel({ family: 'gaussian', n: -1, d: 2, k: 1, seed: 1 })).toThrow(expect.objectContaining({ code: 'CLOSTERA_INVALID_ARGUMENT' }));
    expect(() => syntheticModel({ family: 'gaussian', n: 1, d: 2, k: 0, seed: 1 })).toThrow(expect.objectContaining({ code: 'CLOSTERA_INVALID_ARGUMENT' }));
  });
});

describe('writeShards', () => {
  it('streams the same rows to raw float32 shards with sidecars and a manifest', async () => {
    const s: SyntheticSpec = { family: 'student-t', n: 2500, d: 12, k: 5, seed: 11 };
    const dir = join(tmp, 'shards');
    // Blocks of 37 rows and shards of 1000 rows: blocks straddle shard boundaries.
    const manifest = await writeShards(s, dir, { shardRows: 1000, chunkBytes: 37 * 12 * 4 });
    expect(manifest.shards.map((e) => [e.start, e.rows])).toEqual([
      [0, 1000],
      [1000, 1000],
      [2000, 500],
    ]);
    const { x, labels } = generate(s);
    for (const e of manifest.shards) {
      const bytes = readFileSync(join(dir, e.x));
      expect(bytes.equals(Buffer.from(x.buffer, e.start * s.d * 4, e.rows * s.d * 4))).toBe(true);
      const lb = readFileSync(join(dir, e.labels));
      expect(lb.equals(Buffer.from(labels.buffer, e.start * 4, e.rows * 4))).toBe(true);
      const sidecar = JSON.parse(readFileSync(join(dir, e.x.replace('.f32', '.json')), 'utf8')) as Record<string, unknown>;
      expect(sidecar).toMatchObject({ n: e.rows, d: 12, dtype: 'float32', labels: e.labels, labels_dtype: 'uint32' });
    }
    const onDisk = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as typeof manifest;
    expect(onDisk).toEqual(manifest);
    expect(manifest).toMatchObject({ format: 'clostera-bench-shards/1', n: 2500, d: 12, k: 5, spec: s });
  });
});
