/**
 * `@clostera/kernels`: native SIMD passes for k-means over large dense float32 matrices.
 *
 * Every pass has a synchronous form and an `...Async` form that runs off the JS thread with
 * `AbortSignal` cancellation and progress reports. Matrices are row-major `Float32Array`s of
 * `n x d` values. Errors are {@link ClosteraError}s with a stable {@link ErrorCode}.
 *
 * @packageDocumentation
 */
export { ClosteraError, ErrorCode, isErrorCode, toClosteraError } from './errors.js';
export type { ClosteraErrorDetails } from './errors.js';
export { errorCodes, simdInfo } from './info.js';
export { platformTriple } from './loader.js';
export { accumulate, accumulateAsync } from './passes/accumulate.js';
export type { AccumulateAsyncOptions, AccumulateOptions, WeightsOption } from './passes/accumulate.js';
export { assign, assignAsync } from './passes/assign.js';
export { assignSums, assignSumsAsync } from './passes/assign-sums.js';
export type { AssignSumsAsyncOptions, AssignSumsOptions, AssignmentWithSums } from './passes/assign-sums.js';
export { assignTop2Sums, assignTop2SumsAsync } from './passes/assign-top2-sums.js';
export type { AssignTop2SumsAsyncOptions, AssignTop2SumsOptions, AssignmentTop2Sums } from './passes/assign-top2-sums.js';
export { relabel, relabelAsync } from './passes/relabel.js';
export type { RelabelAsyncOptions, RelabelOptions, Relabelling } from './passes/relabel.js';
export { boundedAssign, boundedAssignAsync } from './passes/bounded-assign.js';
export type { BoundedAssignAsyncOptions, BoundedAssignOptions, BoundedState, BoundedStepStats, CentroidMotion } from './passes/bounded-assign.js';
export { yinyangAssign, yinyangAssignAsync } from './passes/yinyang-assign.js';
export type { CentroidGroups, YinyangAsyncOptions, YinyangOptions, YinyangState, YinyangStepResult } from './passes/yinyang-assign.js';
export { seedCommit, seedCommitAsync, seedPotential, seedPotentialAsync, seedUpdate, seedUpdateAsync } from './passes/seeding.js';
export type { SeedAsyncOptions, SeedOptions, SeedPotential, SeedProjection, SeedState, SeedStepStats } from './passes/seeding.js';
export { moveRows, moveRowsAsync } from './passes/move-rows.js';
export type { MoveRowsAsyncOptions, MoveRowsOptions, RowMoves } from './passes/move-rows.js';
export { projectRows, projectRowsAsync, weightedRowSums, weightedRowSumsAsync } from './passes/projection.js';
export type { RowProjections } from './passes/projection.js';
export { bf16Rows, bf16RowsAsync } from './passes/bf16-rows.js';
export type { Bf16RowCopy } from './passes/bf16-rows.js';
export { gatherRows, gatherRowsAsync } from './passes/gather-rows.js';
export type { GatherRowsAsyncOptions, GatherRowsOptions } from './passes/gather-rows.js';
export { distanceTile, distanceTileAsync } from './passes/distance-tile.js';
export { kmeansppPotential, kmeansppPotentialAsync, kmeansppUpdate, kmeansppUpdateAsync } from './passes/kmeanspp.js';
export type { KmeansppAsyncOptions, KmeansppOptions } from './passes/kmeanspp.js';
export { normalizeRows, normalizeRowsAsync } from './passes/normalize-rows.js';
export type { NormalizeRowsAsyncOptions, NormalizeRowsOptions, UnitRows } from './passes/normalize-rows.js';
export { rowNorms, rowNormsAsync } from './passes/row-norms.js';
export type { RowNormsAsyncOptions, RowNormsOptions } from './passes/row-norms.js';
export { MAX_L, topL, topLAsync } from './passes/top-l.js';
export type {
  Accumulation,
  Assignment,
  AsyncPassOptions,
  ErrorCodeInfo,
  Metric,
  OutOption,
  PassOptions,
  Progress,
  SimdInfo,
  SimdLevel,
  TopLResult,
} from './types.js';
