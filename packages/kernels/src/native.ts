/**
 * The shape of the native addon, written by hand (the binding is bound without napi-rs macros,
 * so nothing generates these types), and the lazily loaded instance.
 *
 * These functions are internal: they trust their callers less than nothing (every argument is
 * checked again in Rust) but report errors as plain `Error`s with a `code`. The public wrappers
 * in `passes/` add TypeScript types, `ClosteraError`s, cancellation and progress.
 *
 * Pass convention: `(typed-array inputs..., d, pass parameters..., options, control, async)`.
 * With `async` true the pass runs on the libuv thread pool and a Promise is returned; every
 * error then rejects it.
 *
 * @module
 * @internal
 */
import { loadNativeBinding } from './loader.js';

/** Per-call settings understood by every native pass. @internal */
export interface NativeOptions {
  threads?: number;
  simd?: string;
  validate?: boolean;
  bf16?: { pairs: Uint32Array; errNorms: Float32Array; sqnorms: Float32Array };
}

/**
 * Shared cancel/progress slots: a BigInt64Array over a SharedArrayBuffer, slot 0 = cancel flag
 * (non-zero cancels), slot 1 = rows done. @internal
 */
export type NativeControl = BigInt64Array | undefined;

/** A native pass taking `Args` and producing `R`, synchronously or as a Promise. @internal */
export interface NativePass<Args extends unknown[], R> {
  (...args: [...Args, options: NativeOptions | undefined, control: NativeControl, async: false]): R;
  (...args: [...Args, options: NativeOptions | undefined, control: NativeControl, async: true]): Promise<R>;
}

/** A {@link NativePass} that writes its main result into `out` when given (a reused buffer). @internal */
export interface NativePassInto<Args extends unknown[], R> {
  (...args: [...Args, options: NativeOptions | undefined, control: NativeControl, async: false, out?: Float32Array]): R;
  (...args: [...Args, options: NativeOptions | undefined, control: NativeControl, async: true, out?: Float32Array]): Promise<R>;
}

/** Every function the addon exports. @internal */
export interface NativeBinding {
  rowNorms: NativePass<[x: Float32Array, d: number, squared: boolean], Float32Array>;
  normalizeRows: NativePassInto<[x: Float32Array, d: number], { rows: Float32Array; norms: Float32Array }>;
  gatherRows: {
    (x: Float32Array, d: number, ids: Uint32Array, options: NativeOptions | undefined, control: NativeControl, async: false, out?: Float32Array, unit?: boolean): Float32Array;
    (x: Float32Array, d: number, ids: Uint32Array, options: NativeOptions | undefined, control: NativeControl, async: true, out?: Float32Array, unit?: boolean): Promise<Float32Array>;
  };
  distanceTile: NativePass<[x: Float32Array, c: Float32Array, d: number, metric: string], Float32Array>;
  assign: NativePass<
    [x: Float32Array, c: Float32Array, d: number, metric: string],
    { labels: Uint32Array; values: Float32Array }
  >;
  assignSums: NativePass<
    [x: Float32Array, c: Float32Array, d: number, weights: Float32Array | undefined],
    { labels: Uint32Array; values: Float32Array; sums: Float64Array; weightSums: Float64Array; counts: Uint32Array }
  >;
  assignTop2Sums: NativePass<
    [x: Float32Array, c: Float32Array, d: number, metric: string, weights: Float32Array | undefined],
    { labels: Uint32Array; values: Float32Array; second: Float32Array; sums: Float64Array; weightSums: Float64Array; counts: Uint32Array }
  >;
  relabel: NativePass<
    [x: Float32Array, d: number, ids: Uint32Array, c: Float32Array, metric: string, oldLabels: Uint32Array, weights: Float32Array | undefined],
    { labels: Uint32Array; values: Float32Array; sums: Float64Array; weightSums: Float64Array; counts: Uint32Array }
  >;
  topL: NativePass<
    [x: Float32Array, c: Float32Array, d: number, metric: string, l: number],
    { labels: Uint32Array; values: Float32Array }
  >;
  accumulate: NativePass<
    [x: Float32Array, labels: Uint32Array, weights: Float32Array | undefined, d: number, k: number],
    { sums: Float64Array; weightSums: Float64Array; counts: Uint32Array }
  >;
  kmeansppUpdate: NativePass<
    [
      x: Float32Array,
      center: Float32Array,
      minDist: Float32Array,
      weights: Float32Array | undefined,
      d: number,
      metric: string
    ],
    number
  >;
  kmeansppPotential: NativePass<
    [
      x: Float32Array,
      candidates: Float32Array,
      minDist: Float32Array,
      weights: Float32Array | undefined,
      d: number,
      metric: string
    ],
    Float64Array
  >;
  boundedAssign: NativePass<
    [
      x: Float32Array,
      c: Float32Array,
      labels: Uint32Array,
      lower: Float32Array,
      values: Float32Array,
      drift: Float32Array | undefined,
      halfSep: Float32Array | undefined,
      weights: Float32Array | undefined,
      d: number
    ],
    { changed: number; recomputed: number; objective: number; distances: number }
  >;
  yinyangAssign: NativePass<
    [
      x: Float32Array,
      c: Float32Array,
      groupOf: Uint32Array,
      labels: Uint32Array,
      lower: Float32Array,
      values: Float32Array,
      drift: Float32Array | undefined,
      weights: Float32Array | undefined,
      d: number,
      t: number,
      withSums: boolean
    ],
    {
      changed: number;
      recomputed: number;
      objective: number;
      distances: number;
      sums?: Float64Array;
      weightSums?: Float64Array;
      counts?: Uint32Array;
    }
  >;
  seedUpdate: NativePass<
    [
      x: Float32Array,
      center: Float32Array,
      centerGaps: Float32Array,
      minDist: Float32Array,
      nearest: Uint32Array,
      weights: Float32Array | undefined,
      d: number,
      newIndex: number
    ],
    { total: number; computed: number }
  >;
  seedPotential: NativePass<
    [
      x: Float32Array,
      candidates: Float32Array,
      candidateGaps: Float32Array,
      minDist: Float32Array,
      nearest: Uint32Array,
      weights: Float32Array | undefined,
      rowDists: Float32Array | undefined,
      basis: Float32Array | undefined,
      projectedRows: Float32Array | undefined,
      rowNorms: Float32Array | undefined,
      gain: number | undefined,
      bf16Pairs: Uint32Array | undefined,
      bf16ErrNorms: Float32Array | undefined,
      bf16Sqnorms: Float32Array | undefined,
      d: number,
      chosen: number
    ],
    { totals: Float64Array; computed: number }
  >;
  seedCommit: NativePass<
    [
      rowDists: Float32Array,
      minDist: Float32Array,
      nearest: Uint32Array,
      weights: Float32Array | undefined,
      m: number,
      candidate: number,
      newIndex: number
    ],
    number
  >;
  bf16Rows: NativePass<[x: Float32Array, d: number], { pairs: Uint32Array; errNorms: Float32Array; sqnorms: Float32Array }>;
  projectRows: NativePass<[x: Float32Array, basis: Float32Array, d: number], { projections: Float32Array; norms: Float32Array; gain: number }>;
  weightedRowSums: NativePass<[x: Float32Array, y: Float32Array, d: number, m: number], Float64Array>;
  moveRows: NativePass<
    [
      x: Float32Array,
      ids: Uint32Array,
      from: Uint32Array,
      to: Uint32Array,
      weights: Float32Array | undefined,
      sums: Float64Array,
      weightSums: Float64Array,
      counts: Uint32Array,
      d: number
    ],
    undefined
  >;
  simdInfo(): { inUse: string; available: string[]; threads: number; bf16Speedup?: number };
  errorCodes(): { code: string; description: string }[];
  /** Test-only: panics inside Rust (on a pool thread when `async`); must surface as `CLOSTERA_INTERNAL`. */
  __provokePanic(async?: false): never;
  __provokePanic(async: true): Promise<never>;
}

let binding: NativeBinding | undefined;

/**
 * The native addon, loaded on first use so that importing the package (e.g. for `ErrorCode`)
 * never fails on a platform without a binary. @internal
 */
export function native(): NativeBinding {
  binding ??= loadNativeBinding();
  return binding;
}
