/** Seeded test data for the engine tests. */

/** SplitMix-style uniform generator in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) / 2 ** 32;
  };
}

/** Well-separated Gaussian-ish blobs: `kTrue` centres spread by `spread`, unit-ish noise. */
export function blobs(n: number, d: number, kTrue: number, seed: number, spread = 20): { x: Float32Array; truth: Uint32Array } {
  const r = rng(seed);
  const centres = Float32Array.from({ length: kTrue * d }, () => (r() - 0.5) * spread);
  const x = new Float32Array(n * d);
  const truth = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(r() * kTrue);
    truth[i] = c;
    for (let j = 0; j < d; j++) x[i * d + j] = centres[c * d + j]! + (r() + r() + r() - 1.5);
  }
  return { x, truth };
}

/** Squared distance in float64. */
export function sqdist(a: Float32Array, ai: number, b: Float32Array, bi: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = a[ai * d + j]! - b[bi * d + j]!;
    s += t * t;
  }
  return s;
}

/** Plain Lloyd in float64 (brute force), from given centroids; returns labels and objective per iteration. */
export function referenceLloyd(x: Float32Array, d: number, init: Float32Array, iterations: number): { labels: Uint32Array[]; objectives: number[] } {
  const n = x.length / d;
  const k = init.length / d;
  let c = Float64Array.from(init);
  const labels: Uint32Array[] = [];
  const objectives: number[] = [];
  for (let it = 0; it < iterations; it++) {
    const lab = new Uint32Array(n);
    let obj = 0;
    for (let i = 0; i < n; i++) {
      let best = Infinity;
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let t = 0; t < d; t++) {
          const v = x[i * d + t]! - c[j * d + t]!;
          s += v * v;
        }
        if (s < best) {
          best = s;
          lab[i] = j;
        }
      }
      obj += best;
    }
    labels.push(lab);
    objectives.push(obj / n);
    const sums = new Float64Array(k * d);
    const counts = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      counts[lab[i]!]!++;
      for (let t = 0; t < d; t++) sums[lab[i]! * d + t]! += x[i * d + t]!;
    }
    const next = new Float64Array(k * d);
    for (let j = 0; j < k; j++) for (let t = 0; t < d; t++) next[j * d + t] = counts[j]! > 0 ? Math.fround(sums[j * d + t]! / counts[j]!) : c[j * d + t]!;
    c = next;
  }
  return { labels, objectives };
}

/** The real digits set from ../shared when present (1797 x 64), else undefined. */
export async function sharedDigits(): Promise<{ x: Float32Array; labels: Uint8Array } | undefined> {
  const { existsSync, readFileSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const base = fileURLToPath(new URL('../../../../shared/datasets/digits-1797x64', import.meta.url));
  if (!existsSync(`${base}.f32`)) return undefined;
  const buf = readFileSync(`${base}.f32`);
  const lab = readFileSync(`${base}.labels.u8`);
  return { x: new Float32Array(buf.buffer, buf.byteOffset, 1797 * 64), labels: new Uint8Array(lab) };
}
