/**
 * The seeded generator and the row sampler used when the data does not fit the memory budget.
 *
 * @module
 */

/** SplitMix32-style generator: small, fast, and the same sequence on every platform. */
export class SeededRandom {
  private state: number;

  /** @param seed - any integer; equal seeds give equal sequences. */
  constructor(seed: number) {
    this.state = (seed ^ 0x5bd1e995) >>> 0;
  }

  /** The next 32 random bits. */
  nextUint32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** A uniform double in [0, 1) with 53 random bits (rows may number in the billions). */
  next(): number {
    return ((this.nextUint32() >>> 5) * 67108864 + (this.nextUint32() >>> 6)) / 9007199254740992;
  }
}

/**
 * `m` distinct row indices out of `n`, in increasing order (so reads go forward through a file),
 * by selection sampling (Knuth's Algorithm S): one pass, O(m) memory, every subset equally likely.
 */
export function sampleIndices(n: number, m: number, seed: number): Float64Array {
  const out = new Float64Array(Math.min(m, n));
  const rng = new SeededRandom(seed);
  let picked = 0;
  for (let t = 0; t < n && picked < out.length; t++) {
    if ((n - t) * rng.next() < out.length - picked) out[picked++] = t;
  }
  return out;
}
