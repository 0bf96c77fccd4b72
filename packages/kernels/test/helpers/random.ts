/** Seeded test data: the same inputs on every run and machine. */

/** mulberry32: a small, fast, seeded PRNG returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n x d` values uniform in [-1, 1), seeded. */
export function randomMatrix(n: number, d: number, seed: number): Float32Array {
  const next = seededRandom(seed);
  const out = new Float32Array(n * d);
  for (let i = 0; i < out.length; i++) out[i] = next() * 2 - 1;
  return out;
}

/** A large matrix filled fast (an LCG, one multiply per value), for the cancellation tests. */
export function bigMatrix(n: number, d: number, seed: number): Float32Array {
  const out = new Float32Array(n * d);
  let state = seed >>> 0;
  for (let i = 0; i < out.length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    out[i] = state / 4294967296 - 0.5;
  }
  return out;
}

/** Random labels in `0..k`, seeded. */
export function randomLabels(n: number, k: number, seed: number): Uint32Array {
  const next = seededRandom(seed);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(next() * k);
  return out;
}

/** Random positive weights, seeded. */
export function randomWeights(n: number, seed: number): Float32Array {
  const next = seededRandom(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = 0.25 + next() * 2;
  return out;
}
