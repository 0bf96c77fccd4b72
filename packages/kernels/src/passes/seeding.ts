import { native } from '../native.js';
import { runAsync, runSync } from '../run.js';
import type { AsyncPassOptions, PassOptions } from '../types.js';
import { checkNumber, checkOptionalFloat32, checkTypedArray, rowCount } from '../validate.js';
import type { WeightsOption } from './accumulate.js';
import type { Bf16RowCopy } from './bf16-rows.js';

/** Per-row k-means++ state, owned by the caller and updated in place by {@link seedUpdate}. */
export interface SeedState {
  /** Squared distance of each row to its nearest chosen centre. */
  minDist: Float32Array;
  /** Index of that centre. */
  nearest: Uint32Array;
  /**
   * Optional `n x m` scratch: {@link seedPotential} keeps each row's squared distance to each of
   * its `m` candidates there (+Infinity where pruned) so {@link seedCommit} can add the chosen one
   * without another pass over the data.
   */
  rowDists?: Float32Array;
  /**
   * Optional projection of the rows onto a few directions ({@link projectRows} of these rows):
   * {@link seedPotential} then also skips the pairs whose projected lower bound proves they
   * cannot lower the potential, with the same result and far fewer rows read.
   */
  projection?: SeedProjection;
  /**
   * Optional bf16 copy of these rows ({@link bf16Rows}): on CPUs with the bf16 dot-product
   * instruction (SIMD level `avx512bf16`) {@link seedPotential} screens the pairs it would
   * compute in bf16 first and reads the f32 row only where its distance could lower the
   * potential: the same totals and commits at half the bytes per screened row. Ignored elsewhere.
   */
  bf16?: Bf16RowCopy;
}

/**
 * The rows of a seeding projected onto an `m x d` basis, as {@link projectRows} returns them.
 * Any basis gives exact results (the bound is scaled by the basis's largest gain); one spanning
 * the data's leading principal directions prunes the most.
 */
export interface SeedProjection {
  /** The `m x d` basis (nearly orthonormal rows). */
  basis: Float32Array;
  /** `n x m` projections of the rows, `projectRows(x, d, basis).projections`. */
  rows: Float32Array;
  /** `n` squared row norms, `projectRows(x, d, basis).norms`. */
  rowNorms: Float32Array;
  /** The basis's gain, `projectRows(x, d, basis).gain`. */
  gain: number;
}

/** What {@link seedUpdate} did. */
export interface SeedStepStats {
  /** Weighted total of `minDist` after the step (the k-means++ potential). */
  total: number;
  /** Row-centre distances actually computed (the rest were pruned). */
  computed: number;
}

/** What {@link seedPotential} computed. */
export interface SeedPotential {
  /** Potential the seeding would have with each candidate added. */
  totals: Float64Array;
  /** Row-candidate distances actually computed. */
  computed: number;
}

/** Options of the seeding passes. */
export interface SeedOptions extends PassOptions, WeightsOption {}

/** Options of the async seeding passes. */
export interface SeedAsyncOptions extends AsyncPassOptions, WeightsOption {}

function checkState(state: SeedState): void {
  checkTypedArray('state.minDist', state?.minDist, 'Float32Array');
  checkTypedArray('state.nearest', state?.nearest, 'Uint32Array');
  if (state.rowDists !== undefined) checkTypedArray('state.rowDists', state.rowDists, 'Float32Array');
  if (state.projection !== undefined) {
    checkTypedArray('state.projection.basis', state.projection.basis, 'Float32Array');
    checkTypedArray('state.projection.rows', state.projection.rows, 'Float32Array');
    checkTypedArray('state.projection.rowNorms', state.projection.rowNorms, 'Float32Array');
    checkNumber('state.projection.gain', state.projection.gain);
  }
  if (state.bf16 !== undefined) {
    checkTypedArray('state.bf16.pairs', state.bf16.pairs, 'Uint32Array');
    checkTypedArray('state.bf16.errNorms', state.bf16.errNorms, 'Float32Array');
    checkTypedArray('state.bf16.sqnorms', state.bf16.sqnorms, 'Float32Array');
  }
}

function checkUpdate(x: unknown, d: unknown, center: unknown, newIndex: unknown, gaps: unknown, state: SeedState, weights: unknown): void {
  checkTypedArray('x', x, 'Float32Array');
  checkNumber('d', d);
  checkTypedArray('center', center, 'Float32Array');
  checkNumber('newIndex', newIndex);
  checkTypedArray('centerGaps', gaps, 'Float32Array');
  checkState(state);
  checkOptionalFloat32('options.weights', weights);
}

/**
 * Adds centre number `newIndex` to a k-means++ seeding (squared l2): rows that get closer update
 * `state` **in place**. `centerGaps[j]` is the Euclidean distance from chosen centre `j` to the
 * new one; rows whose current centre is at least twice their distance away are skipped (they
 * cannot get closer), which gives the same result as the unpruned step with far fewer distances.
 * For `newIndex = 0` every row is computed.
 */
export function seedUpdate(
  x: Float32Array,
  d: number,
  center: Float32Array,
  newIndex: number,
  centerGaps: Float32Array,
  state: SeedState,
  options?: SeedOptions,
): SeedStepStats {
  return runSync(options, () => {
    checkUpdate(x, d, center, newIndex, centerGaps, state, options?.weights);
    return (o) => native().seedUpdate(x, center, centerGaps, state.minDist, state.nearest, options?.weights, d, newIndex, o, undefined, false);
  });
}

/** {@link seedUpdate} off the JS thread. `state` is written while it runs. */
export function seedUpdateAsync(
  x: Float32Array,
  d: number,
  center: Float32Array,
  newIndex: number,
  centerGaps: Float32Array,
  state: SeedState,
  options?: SeedAsyncOptions,
): Promise<SeedStepStats> {
  return runAsync(options, () => {
    checkUpdate(x, d, center, newIndex, centerGaps, state, options?.weights);
    return {
      rows: rowCount(x.length, d),
      start: (o, control) => native().seedUpdate(x, center, centerGaps, state.minDist, state.nearest, options?.weights, d, newIndex, o, control, true),
    };
  });
}

function checkPotential(x: unknown, d: unknown, candidates: unknown, gaps: unknown, chosen: unknown, state: SeedState, weights: unknown): void {
  checkTypedArray('x', x, 'Float32Array');
  checkNumber('d', d);
  checkTypedArray('candidates', candidates, 'Float32Array');
  checkTypedArray('candidateGaps', gaps, 'Float32Array');
  checkNumber('chosen', chosen);
  checkState(state);
  checkOptionalFloat32('options.weights', weights);
}

/**
 * Scores k-means++ candidates (rows of `candidates`, `m x d`, at most 32) without changing
 * `state`: `totals[c]` is the potential with candidate `c` added. `candidateGaps[c * chosen + j]`
 * is the Euclidean distance from candidate `c` to chosen centre `j`.
 *
 * @throws {@link ClosteraError} `CLOSTERA_INVALID_ARGUMENT` with more than 32 candidates
 *   (greedy k-means++ scores 2 + ln k per step).
 */
export function seedPotential(
  x: Float32Array,
  d: number,
  candidates: Float32Array,
  candidateGaps: Float32Array,
  chosen: number,
  state: SeedState,
  options?: SeedOptions,
): SeedPotential {
  return runSync(options, () => {
    checkPotential(x, d, candidates, candidateGaps, chosen, state, options?.weights);
    return (o) => native().seedPotential(x, candidates, candidateGaps, state.minDist, state.nearest, options?.weights, state.rowDists, state.projection?.basis, state.projection?.rows, state.projection?.rowNorms, state.projection?.gain, state.bf16?.pairs, state.bf16?.errNorms, state.bf16?.sqnorms, d, chosen, o, undefined, false);
  });
}

/** {@link seedPotential} off the JS thread. */
export function seedPotentialAsync(
  x: Float32Array,
  d: number,
  candidates: Float32Array,
  candidateGaps: Float32Array,
  chosen: number,
  state: SeedState,
  options?: SeedAsyncOptions,
): Promise<SeedPotential> {
  return runAsync(options, () => {
    checkPotential(x, d, candidates, candidateGaps, chosen, state, options?.weights);
    return {
      rows: rowCount(x.length, d),
      start: (o, control) => native().seedPotential(x, candidates, candidateGaps, state.minDist, state.nearest, options?.weights, state.rowDists, state.projection?.basis, state.projection?.rows, state.projection?.rowNorms, state.projection?.gain, state.bf16?.pairs, state.bf16?.errNorms, state.bf16?.sqnorms, d, chosen, o, control, true),
    };
  });
}

function checkCommit(state: SeedState, m: unknown, candidate: unknown, newIndex: unknown, weights: unknown): void {
  checkState(state);
  checkTypedArray('state.rowDists', state.rowDists, 'Float32Array');
  checkNumber('m', m);
  checkNumber('candidate', candidate);
  checkNumber('newIndex', newIndex);
  checkOptionalFloat32('options.weights', weights);
}

/**
 * Adds candidate `candidate` (of the `m` last scored by {@link seedPotential} into
 * `state.rowDists`) as centre number `newIndex`, from the kept distances: updates `state` **in
 * place** without reading the data, and returns the new potential (identical to
 * {@link seedUpdate}'s).
 */
export function seedCommit(state: SeedState, m: number, candidate: number, newIndex: number, options?: SeedOptions): number {
  return runSync(options, () => {
    checkCommit(state, m, candidate, newIndex, options?.weights);
    return (o) => native().seedCommit(state.rowDists!, state.minDist, state.nearest, options?.weights, m, candidate, newIndex, o, undefined, false);
  });
}

/** {@link seedCommit} off the JS thread. */
export function seedCommitAsync(state: SeedState, m: number, candidate: number, newIndex: number, options?: SeedAsyncOptions): Promise<number> {
  return runAsync(options, () => {
    checkCommit(state, m, candidate, newIndex, options?.weights);
    return {
      rows: state.minDist.length,
      start: (o, control) => native().seedCommit(state.rowDists!, state.minDist, state.nearest, options?.weights, m, candidate, newIndex, o, control, true),
    };
  });
}
