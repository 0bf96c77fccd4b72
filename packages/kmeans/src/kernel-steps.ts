/**
 * The native passes the engines use, wrapped as {@link Step}s (sync and async forms).
 *
 * @module
 * @internal
 */
import * as K from '@clostera/kernels';
import type { Step, PassLabel } from './steps.js';

/** Row norms with validation on: the one pass that checks the data for NaN/Inf up front. */
export function validatingNorms(label: PassLabel, x: Float32Array, d: number): Step<Float32Array> {
  return {
    kind: 'validatingNorms',
    label,
    work: x.length,
    sync: (o) => K.rowNorms(x, d, { ...o, validate: true }),
    async: (o) => K.rowNormsAsync(x, d, { ...o, validate: true }),
  };
}

/** Unit-norm copies of the rows, validated (NaN/Inf, zero norm) in the same pass. */
export function unitRowsStep(label: PassLabel, x: Float32Array, d: number): Step<Float32Array> {
  return {
    kind: 'unitRowsStep',
    label,
    work: x.length,
    sync: (o) => K.normalizeRows(x, d, { ...o, validate: true }).rows,
    async: async (o) => (await K.normalizeRowsAsync(x, d, { ...o, validate: true })).rows,
  };
}

/**
 * The training sample: rows `ids` of `data` copied into `out` (natively, in parallel, each row
 * validated while in cache), scaled to unit norm as they are copied under cosine. When the sample
 * holds a bad row, the whole data is checked instead, so the error names the lowest bad row of
 * the data rather than the first one drawn.
 */
export function sampleStep(label: PassLabel, data: Float32Array, ids: Uint32Array, d: number, out: Float32Array, spherical: boolean): Step<Float32Array> {
  const wholeData = spherical ? unitRowsStep(label, data, d) : validatedStep(label, data, d);
  const gather = { validate: true, out, unit: spherical };
  return {
    kind: 'sampleStep',
    label,
    work: ids.length * d,
    sync: (o) => {
      try {
        return K.gatherRows(data, d, ids, { ...o, ...gather });
      } catch (error) {
        if (isBadRow(error)) wholeData.sync(o);
        throw error;
      }
    },
    async: async (o) => {
      try {
        return await K.gatherRowsAsync(data, d, ids, { ...o, ...gather });
      } catch (error) {
        if (isBadRow(error)) await wholeData.async(o);
        throw error;
      }
    },
  };
}

/** Rows `ids` of already validated training rows, copied into `out` (the rows multi-start trials run on). */
export function trialRowsStep(label: PassLabel, x: Float32Array, ids: Uint32Array, d: number, out: Float32Array): Step<Float32Array> {
  return {
    kind: 'trialRowsStep',
    label,
    work: ids.length * d,
    sync: (o) => K.gatherRows(x, d, ids, { ...o, out }),
    async: (o) => K.gatherRowsAsync(x, d, ids, { ...o, out }),
  };
}

function isBadRow(error: unknown): boolean {
  return error instanceof K.ClosteraError && (error.code === K.ErrorCode.NonFinite || error.code === K.ErrorCode.ZeroNorm);
}

/** The rows, unchanged, after a validating pass (NaN/Inf with the row). */
function validatedStep(label: PassLabel, x: Float32Array, d: number): Step<Float32Array> {
  const norms = validatingNorms(label, x, d);
  return { kind: 'validatedStep', label, work: x.length, sync: (o) => (norms.sync(o), x), async: async (o) => (await norms.async(o), x) };
}

/** The `bf16` pass option for a copy of the rows, when there is one. */
function copyOption(bf16: K.Bf16RowCopy | undefined): { bf16?: K.Bf16RowCopy } {
  return bf16 === undefined ? {} : { bf16 };
}

/** Fused nearest-centroid assignment (l2); `bf16`: a copy of `x` for the screened passes. */
export function assignStep(label: PassLabel, x: Float32Array, c: Float32Array, d: number, bf16?: K.Bf16RowCopy): Step<K.Assignment> {
  const b = copyOption(bf16);
  return {
    kind: 'assignStep',
    label,
    work: x.length * (1 + c.length / d),
    sync: (o) => K.assign(x, c, d, 'l2', { ...o, ...b }),
    async: (o) => K.assignAsync(x, c, d, 'l2', { ...o, ...b }),
  };
}

/** Fused l2 assignment plus the cluster sums of its labels (a plain Lloyd iteration in one read). */
export function assignSumsStep(label: PassLabel, x: Float32Array, c: Float32Array, d: number, weights: Float32Array | undefined, bf16?: K.Bf16RowCopy): Step<K.AssignmentWithSums> {
  const w = { ...(weights === undefined ? {} : { weights }), ...copyOption(bf16) };
  return {
    kind: 'assignSumsStep',
    label,
    work: x.length * (2 + c.length / d),
    sync: (o) => K.assignSums(x, c, d, { ...o, ...w }),
    async: (o) => K.assignSumsAsync(x, c, d, { ...o, ...w }),
  };
}

/**
 * The final assignment of every row of the caller's data, validating each block of rows as it
 * is loaded (so the data is read once): l2, or largest cosine on the raw rows under `cos`.
 */
export function finalAssignStep(label: PassLabel, x: Float32Array, c: Float32Array, d: number, spherical: boolean, bf16?: K.Bf16RowCopy): Step<K.Assignment> {
  const metric = spherical ? 'cos' : 'l2';
  const b = copyOption(bf16);
  return {
    kind: 'finalAssignStep',
    label,
    work: x.length * (1 + c.length / d),
    sync: (o) => K.assign(x, c, d, metric, { ...o, ...b, validate: true }),
    async: (o) => K.assignAsync(x, c, d, metric, { ...o, ...b, validate: true }),
  };
}

/**
 * The final assignment of every row prepared for a refinement step (validating each block as it
 * is read): labels, values, runner-up values and the cluster sums (of the unit rows under cos).
 */
export function finalTop2Step(label: PassLabel, x: Float32Array, c: Float32Array, d: number, spherical: boolean, weights: Float32Array | undefined): Step<K.AssignmentTop2Sums> {
  const metric = spherical ? 'cos' : 'l2';
  const w = weights === undefined ? {} : { weights };
  return {
    kind: 'finalTop2Step',
    label,
    work: x.length * (2 + c.length / d),
    sync: (o) => K.assignTop2Sums(x, c, d, metric, { ...o, ...w, validate: true }),
    async: (o) => K.assignTop2SumsAsync(x, c, d, metric, { ...o, ...w, validate: true }),
  };
}

/** Rows `ids` assigned to moved centroids, with their sums by their old labels. */
export function relabelStep(
  label: PassLabel,
  x: Float32Array,
  d: number,
  ids: Uint32Array,
  c: Float32Array,
  spherical: boolean,
  oldLabels: Uint32Array,
  weights: Float32Array | undefined,
): Step<K.Relabelling> {
  const metric = spherical ? 'cos' : 'l2';
  const w = weights === undefined ? {} : { weights };
  return {
    kind: 'relabelStep',
    label,
    work: ids.length * d * (2 + c.length / d),
    sync: (o) => K.relabel(x, d, ids, c, metric, oldLabels, { ...o, ...w }),
    async: (o) => K.relabelAsync(x, d, ids, c, metric, oldLabels, { ...o, ...w }),
  };
}

/** All pairwise squared l2 distances between the rows of `a` and of `b`. */
export function tileStep(label: PassLabel, a: Float32Array, b: Float32Array, d: number): Step<Float32Array> {
  return { kind: 'tileStep', label, work: (a.length / d) * b.length, sync: (o) => K.distanceTile(a, b, d, 'l2', o), async: (o) => K.distanceTileAsync(a, b, d, 'l2', o) };
}

/** Per-cluster weighted sums. */
export function accumulateStep(
  label: PassLabel,
  x: Float32Array,
  d: number,
  labels: Uint32Array,
  k: number,
  weights: Float32Array | undefined,
): Step<K.Accumulation> {
  const w = weights === undefined ? {} : { weights };
  return {
    kind: 'accumulateStep',
    label,
    work: 2 * x.length,
    sync: (o) => K.accumulate(x, d, labels, k, { ...o, ...w }),
    async: (o) => K.accumulateAsync(x, d, labels, k, { ...o, ...w }),
  };
}

/** One bounded (pruned, exact) Lloyd assignment step. */
export function boundedAssignStep(
  label: PassLabel,
  x: Float32Array,
  c: Float32Array,
  d: number,
  state: K.BoundedState,
  motion: K.CentroidMotion | null,
  weights: Float32Array | undefined,
): Step<K.BoundedStepStats> {
  const w = weights === undefined ? {} : { weights };
  return {
    kind: 'boundedAssignStep',
    label,
    work: x.length * (1 + c.length / d),
    sync: (o) => K.boundedAssign(x, c, d, state, motion, { ...o, ...w }),
    async: (o) => K.boundedAssignAsync(x, c, d, state, motion, { ...o, ...w }),
  };
}

/** One Yinyang (group-bounded, exact) Lloyd assignment step. */
export function yinyangStep(
  label: PassLabel,
  x: Float32Array,
  c: Float32Array,
  d: number,
  groups: K.CentroidGroups,
  state: K.YinyangState,
  drift: Float32Array | null,
  weights: Float32Array | undefined,
  withSums: boolean,
  bf16?: K.Bf16RowCopy,
): Step<K.YinyangStepResult> {
  const w = { ...(weights === undefined ? { withSums } : { weights, withSums }), ...copyOption(bf16) };
  return {
    kind: 'yinyangStep',
    label,
    work: x.length * (2 + c.length / d),
    sync: (o) => K.yinyangAssign(x, c, d, groups, state, drift, { ...o, ...w }),
    async: (o) => K.yinyangAssignAsync(x, c, d, groups, state, drift, { ...o, ...w }),
  };
}

/** Adds one k-means++ centre (pruned by the triangle inequality). */
export function seedUpdateStep(
  label: PassLabel,
  x: Float32Array,
  d: number,
  center: Float32Array,
  newIndex: number,
  centerGaps: Float32Array,
  state: K.SeedState,
  weights: Float32Array | undefined,
): Step<K.SeedStepStats> {
  const w = weights === undefined ? {} : { weights };
  return {
    kind: 'seedUpdateStep',
    label,
    work: 2 * x.length,
    sync: (o) => K.seedUpdate(x, d, center, newIndex, centerGaps, state, { ...o, ...w }),
    async: (o) => K.seedUpdateAsync(x, d, center, newIndex, centerGaps, state, { ...o, ...w }),
  };
}

/** Scores k-means++ candidates without committing them. */
export function seedPotentialStep(
  label: PassLabel,
  x: Float32Array,
  d: number,
  candidates: Float32Array,
  candidateGaps: Float32Array,
  chosen: number,
  state: K.SeedState,
  weights: Float32Array | undefined,
): Step<K.SeedPotential> {
  const w = weights === undefined ? {} : { weights };
  return {
    kind: 'seedPotentialStep',
    label,
    work: x.length * (1 + candidates.length / d),
    sync: (o) => K.seedPotential(x, d, candidates, candidateGaps, chosen, state, { ...o, ...w }),
    async: (o) => K.seedPotentialAsync(x, d, candidates, candidateGaps, chosen, state, { ...o, ...w }),
  };
}

/** Commits a scored k-means++ candidate from the kept row distances (no pass over the data). */
export function seedCommitStep(label: PassLabel, state: K.SeedState, m: number, candidate: number, newIndex: number, weights: Float32Array | undefined): Step<number> {
  const w = weights === undefined ? {} : { weights };
  return {
    kind: 'seedCommitStep',
    label,
    work: state.minDist.length * (1 + m),
    sync: (o) => K.seedCommit(state, m, candidate, newIndex, { ...o, ...w }),
    async: (o) => K.seedCommitAsync(state, m, candidate, newIndex, { ...o, ...w }),
  };
}

/** Rows projected onto the rows of `basis`, with their squared norms. */
export function projectRowsStep(label: PassLabel, x: Float32Array, d: number, basis: Float32Array): Step<K.RowProjections> {
  return {
    kind: 'projectRowsStep',
    label,
    work: (x.length * basis.length) / d / 16,
    sync: (o) => K.projectRows(x, d, basis, o),
    async: (o) => K.projectRowsAsync(x, d, basis, o),
  };
}

/** A bf16 copy of the rows (for the k-means++ candidate screen). */
export function bf16RowsStep(label: PassLabel, x: Float32Array, d: number): Step<K.Bf16RowCopy> {
  return {
    kind: 'bf16RowsStep',
    label,
    work: x.length,
    sync: (o) => K.bf16Rows(x, d, o),
    async: (o) => K.bf16RowsAsync(x, d, o),
  };
}

/** `x^T y` for an `n x m` matrix `y`. */
export function weightedRowSumsStep(label: PassLabel, x: Float32Array, d: number, y: Float32Array, m: number): Step<Float64Array> {
  return {
    kind: 'weightedRowSumsStep',
    label,
    work: x.length * m,
    sync: (o) => K.weightedRowSums(x, d, y, m, o),
    async: (o) => K.weightedRowSumsAsync(x, d, y, m, o),
  };
}

/** Moves changed rows between the per-cluster sums of `sums`, in place. */
export function moveRowsStep(label: PassLabel, x: Float32Array, d: number, moves: K.RowMoves, sums: K.Accumulation, weights: Float32Array | undefined): Step<void> {
  const w = weights === undefined ? {} : { weights };
  return {
    kind: 'moveRowsStep',
    label,
    work: moves.ids.length * d * 4,
    sync: (o) => K.moveRows(x, d, moves, sums, { ...o, ...w }),
    async: (o) => K.moveRowsAsync(x, d, moves, sums, { ...o, ...w }),
  };
}
