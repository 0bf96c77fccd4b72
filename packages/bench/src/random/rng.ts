/**
 * A small, fast, seedable random generator for the synthetic datasets.
 *
 * Generators must give the same bytes for the same seed on every machine and Node version, so we
 * cannot use `Math.random`; xoshiro128** works on 32-bit integers only (exact in JS) and is fast
 * enough to stream 10^8 rows. Normals use Box-Muller with the spare value cached, which only
 * relies on `Math.log`, `Math.sqrt`, `Math.cos` and `Math.sin` (correctly rounded enough in V8
 * that a given Node produces identical streams; across engines values may differ in the last ulp).
 *
 * @module
 */

/** splitmix32: turns one seed into well-mixed state words (the recommended xoshiro seeding). */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Seeded xoshiro128** generator with uniform, normal, integer and chi-square draws. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | undefined;

  /**
   * @param seed - any integer (only its low 32 bits matter);
   * @param stream - an independent stream number, so one seed can drive several uncorrelated
   *   sequences (for example the model parameters and the rows).
   */
  constructor(seed: number, stream = 0) {
    const st = { s: (seed ^ Math.imul(stream + 1, 0x632be5ab)) | 0 };
    this.a = splitmix32(st);
    this.b = splitmix32(st);
    this.c = splitmix32(st);
    this.d = splitmix32(st);
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** Next raw 32-bit unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextU32() >>> 5;
    const lo = this.nextU32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in (0, 1]: safe to take the logarithm of. */
  uniformPositive(): number {
    return 1 - this.uniform();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal draw (Box-Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniformPositive()));
    const theta = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** Chi-square draw with an integer number of degrees of freedom (a sum of squared normals). */
  chiSquare(dof: number): number {
    let s = 0;
    for (let i = 0; i < dof; i++) {
      const z = this.normal();
      s += z * z;
    }
    return s;
  }

  /** Fills `out[offset .. offset + d)` with a uniformly random unit vector. */
  unitVector(out: Float64Array | Float32Array, offset: number, d: number): void {
    let norm = 0;
    for (let j = 0; j < d; j++) {
      const z = this.normal();
      out[offset + j] = z;
      norm += z * z;
    }
    const inv = 1 / Math.sqrt(norm || 1);
    for (let j = 0; j < d; j++) out[offset + j] = out[offset + j]! * inv;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
