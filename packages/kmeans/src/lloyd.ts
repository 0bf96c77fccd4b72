/**
 * Lloyd iterations with exact pruning: every assignment goes through the native Yinyang step,
 * which keeps a row's label without touching other centroids whenever its group bounds prove it
 * cannot change, opens only the groups it must otherwise, and recomputes rows that would open
 * most groups with the full fused kernel. The labels are the ones plain Lloyd would produce
 * (tested iteration by iteration).
 *
 * @module
 * @internal
 */
import type * as K from '@clostera/kernels';
import { simdInfo } from '@clostera/kernels';
import type { CentroidGroups } from '@clostera/kernels';
import { drift, meansFromSums, splitEmptyClusters } from './centroids.js';
import { groupCentroids, groupCount } from './groups.js';
import { accumulateStep, assignStep, assignSumsStep, moveRowsStep, yinyangStep } from './kernel-steps.js';
import type { ResolvedOptions } from './options.js';
import type { Rng } from './random.js';
import { imbalanceFactor, type IterationStats } from './stats.js';
import { BoundsProbe, PROBE_MIN_ROWS } from './bounds-probe.js';
import { run, type Engine, type PassLabel } from './steps.js';

/** Bounds and labels carried from one assignment to the next. */
export interface LloydState {
  labels: Uint32Array;
  /** `n x t` group lower bounds. */
  lower: Float32Array;
  values: Float32Array;
  groups: CentroidGroups;
  /** False after plain (unbounded) iterations: the next bounded step must start afresh. */
  boundsValid: boolean;
}

/**
 * Largest `k x d` for which the assignment (Yinyang or plain) may sum the clusters itself (one
 * read of the rows instead of two). Each of its 8 partitions holds a `k x d` float64 buffer, so
 * beyond this the fresh buffers cost more than the second read (measured on Fashion-MNIST at
 * k = 1000: 140 ms fused against 21 ms for the separate pass). Below it the fused sums serve
 * only the iterations without sums to carry (see {@link MOVE_MAX_FRACTION}).
 */
const FUSED_SUMS_MAX = 1 << 17;

/** Below this fraction of skipped distances the bounds cost more than they save... */
const MIN_SKIPPED_FRACTION = 0.25;
/**
 * ...and below this one when `k <= SMALL_K`. A distance to one of few centroids costs little next
 * to reading the row, which both kinds of step do anyway (for the cluster sums), so the bounds'
 * bookkeeping pays only when they skip nearly everything. Measured per step, bounded against
 * plain: Fashion-MNIST k = 10 on 2,560 rows, skipping 62-86%, 0.91 against 0.69 ms (l2) and
 * 1.05 against 0.93 ms (cos); a Gaussian mixture 200k x 128, k = 16, skipping 94%, 10.2 against
 * 12.8 ms.
 */
const MIN_SKIPPED_FRACTION_SMALL_K = 0.9;
const SMALL_K = 16;
/**
 * ...and this one with many centroids where full passes run the bf16 screen (`avx512amx` tiles
 * or `avx512bf16`, `d >= 128`): there a full screened pass costs far less than the f32 work of
 * the bounded steps' open groups (100 groups at k = 1000). Fashion-MNIST k = 1000 on the Intel
 * Xeon (AMX): plain steps 145-168 ms against bounded ones at 69-80% skipped 234-267 ms; with
 * this threshold the first bounded steps fall back, and the bounds rebuilt a few iterations
 * later are tighter (78-99 ms per step against 95-160): fits 4.87 -> 4.35 s (l2) and 5.35 ->
 * 4.90 s (cos), the same labels and centroids. At k = 100 bounded steps stay cheaper (0.50 s
 * against 0.56 s with it), and without the screen a full pass costs up to twice a bounded one,
 * so both keep the thresholds above.
 */
const MIN_SKIPPED_FRACTION_SCREENED = 0.85;
/**
 * With such full passes the first iterations run plain: a full screened pass costs less than a
 * bounded step while centroids still move far, and bounds built once moves have slowed stay
 * tighter. Fashion-MNIST k = 1000, fits of 20 iterations, assignment steps only (the labels are
 * the same, the centroids differ in their last bits: sums in another order). Intel Xeon, AMX:
 * the first bounded steps skipped 69% at 223-233 ms against 137-145 ms plain; 2.31-2.33 s
 * starting bounded against 2.03-2.08 s plain for 4-6 iterations (l2), 2.48-2.59 against
 * 2.35-2.37 s (cos, 5). AMD EPYC Zen 5, `avx512bf16` (five interleaved pairs): 2.08-2.23 s
 * against 1.89-2.06 s (l2; 1.81-2.00 s starting plain for 3), 2.29-2.93 against 2.14-2.74 s
 * (cos, three pairs); bounded steps at 69% skipped 170 ms there against 180-210 ms plain.
 */
const SCREENED_PLAIN_START = 5;
/** Fewest centroids for {@link MIN_SKIPPED_FRACTION_SCREENED} and {@link SCREENED_PLAIN_START}. */
const SCREENED_MIN_K = 512;
/** Smallest dimension at which the bf16 screen runs (`tiling_bf16.rs`). */
const SCREEN_MIN_D = 128;

/** Whether this fit's full passes run the bf16 screen (on AMX tiles or `vdpbf16ps`). */
export function screenedFullPasses(o: ResolvedOptions, d: number): boolean {
  const level = o.simd === undefined || o.simd === 'auto' ? simdInfo().inUse : o.simd;
  return (level === 'avx512amx' || level === 'avx512bf16') && d >= SCREEN_MIN_D;
}
/**
 * ...so plain fused assignments run instead, first for this many iterations, more after each
 * further time the bounds fail (on heavily overlapping clusters they never pay).
 */
const PLAIN_ITERATIONS = 4;
/**
 * Growth of that span after each further failure. A retry costs two bounded steps (one to
 * rebuild the bounds, one to measure them), each 40-70% slower than a plain one where the bounds
 * skip little (Gaussian 1M x 128, K = 256: 45-69 ms against 32 ms, and the retries at
 * iterations 7 and 17 both failed), so a failed retry makes the next one far rarer.
 */
const PLAIN_GROWTH = 4;
/**
 * The first bounded step after the initial assignment measures the largest centroid moves of the
 * run: its skip rate says little about later iterations, so the fall-back is decided from here on.
 */
const FIRST_DECISION = 2;
/**
 * A bounded step that skipped less than this fraction of the distances falls back at once, even
 * before {@link FIRST_DECISION}, and backs off `PLAIN_GROWTH ** 2` times longer than a failed
 * step does (64 iterations the first time): such clusters overlap so much that the bounds do
 * not start paying a few iterations later. Measured skip rates of the first bounded step: a Gaussian mixture 200k x 768, k = 1024,
 * 0.1% (and 0.0-0.1% at every later try); Fashion-MNIST k = 100, 1000: 17%, 54-69%, rising to
 * 82-94%. Each bounded step on the mixture costs 0.60-0.66 s against 0.52 s plain.
 */
const HOPELESS_SKIPPED_FRACTION = 0.05;

/**
 * The sums of one iteration are the previous ones with the rows that changed label moved
 * (`moveRows`) while at most this fraction of rows changed, and summed afresh otherwise: a moved
 * row is read out of order and touches two clusters, a fresh sum adds every row. Fashion-MNIST
 * k = 1000: 1-30% of rows change per iteration, and the sums went from 18 ms an iteration to
 * 1-8 ms. Even where the assignment can sum the rows as it reads them (`FUSED_SUMS_MAX`), adding
 * every row in float64 costs more than moving the few that changed: Fashion-MNIST k = 100 (20
 * iterations on 25,600 rows) 451-457 ms of assignment steps fused against 369-377 ms plus 14-15 ms
 * of moves; k = 10 (38 passes on 640-2,560 rows) 14.0-15.2 ms against 11-13 ms. So the fused
 * sums serve the first iteration of a run, which has no sums to move from, and an iteration after
 * one that changed more than this fraction of the labels.
 */
const MOVE_MAX_FRACTION = 0.25;

/** The rows whose label differs between `before` and `after`, with both labels. */
function labelMoves(before: Uint32Array, after: Uint32Array): K.RowMoves {
  const count = changedLabels(before, after);
  const moves = { ids: new Uint32Array(count), from: new Uint32Array(count), to: new Uint32Array(count) };
  let j = 0;
  for (let i = 0; i < after.length; i++) {
    if (before[i] === after[i]) continue;
    moves.ids[j] = i;
    moves.from[j] = before[i]!;
    moves.to[j++] = after[i]!;
  }
  return moves;
}

/** Iterations from the end of a run within which no bounds are built (see `lateStart`). */
const LATE_BOUNDS = 2;

/** What a Lloyd run ends with. */
export interface LloydResult {
  centroids: Float32Array;
  state: LloydState;
  /** Centroids the labels in `state` were computed against (the ones before the last update). */
  assignedTo: Float32Array;
  /** Objective of the last assignment. */
  objective: number;
  stats: IterationStats[];
}

/** The assignment objective from a sum of squared distances: mean squared distance, or mean 1 - cos on the unit sphere. */
export function objectiveFrom(sumSq: number, totalWeight: number, spherical: boolean): number {
  const mean = totalWeight > 0 ? sumSq / totalWeight : 0;
  return spherical ? mean / 2 : mean;
}

/**
 * Runs up to `maxIter` Lloyd iterations from `init` on `n x d` rows `x`. `boundsReused`: the
 * caller runs one more bounded step on the same rows with the final state (the final assignment
 * of a fit that trained on all rows).
 */
export function* lloyd(
  x: Float32Array,
  n: number,
  d: number,
  init: Float32Array,
  o: ResolvedOptions,
  weights: Float32Array | undefined,
  rng: Rng,
  redo: number,
  boundsReused: boolean,
  boundsBuffer: (length: number) => Float32Array = (length) => new Float32Array(length),
  bf16?: K.Bf16RowCopy,
): Engine<LloydResult> {
  const k = o.k;
  const spherical = o.metric === 'cos';
  const totalWeight = weights === undefined ? n : weights.reduce((a, b) => a + b, 0);
  const groups = groupCentroids(init, d, groupCount(k, n), o.seed, o.threads);
  const state: LloydState = { labels: new Uint32Array(n), lower: boundsBuffer(n * groups.t), values: new Float32Array(n), groups, boundsValid: false };
  // Iterations left to run without bounds: on data where the bounds settle few rows (heavily
  // overlapping clusters) the plain fused kernel is faster than maintaining them.
  // With few centroids the bounds rarely pay (see MIN_SKIPPED_FRACTION_SMALL_K), least of all
  // in the first iterations, where centroids move most: start plain, as after a failed try.
  const smallK = k <= SMALL_K;
  const screened = !smallK && k >= SCREENED_MIN_K && screenedFullPasses(o, d);
  let plainLeft = smallK ? PLAIN_ITERATIONS : screened ? SCREENED_PLAIN_START : 0;
  let plainSpan = smallK ? PLAIN_ITERATIONS * PLAIN_GROWTH : PLAIN_ITERATIONS;
  const fusedSumsFit = k * d <= FUSED_SUMS_MAX;
  const minSkipped = smallK ? MIN_SKIPPED_FRACTION_SMALL_K : screened ? MIN_SKIPPED_FRACTION_SCREENED : MIN_SKIPPED_FRACTION;
  let centroids = init;
  let assignedTo = init;
  // A means buffer of this loop's that nothing references any more (the centroids of two
  // iterations back), written over by the next update instead of allocating k x d floats each
  // iteration (Fashion-MNIST k = 1000: 3 MB, about 800 page faults, per iteration).
  let spare: Float32Array | undefined;
  let moved: Float32Array | null = null;
  let objective = Infinity;
  // Without fused sums: the sums of the current labels, carried over to be moved, not redone.
  let carried: K.Accumulation | undefined;
  const labelsBefore = new Uint32Array(n);
  let lastChanged = n;
  const stats: IterationStats[] = [];
  // On many rows the bounds are first tried on a sample (see `bounds-probe.ts`); `probeSaysBuild`
  // holds the sample's answer until the bounds are built for every row.
  const probing = !smallK && n >= PROBE_MIN_ROWS;
  let probe: BoundsProbe | undefined;
  let probeSaysBuild = false;
  for (let iteration = 0; iteration < o.maxIter; iteration++) {
    const t0 = performance.now();
    const label: PassLabel = { phase: 'lloyd', redo, iteration };
    let step: { changed: number; objective: number; distances: number; sums?: K.Accumulation };
    // Building the bounds costs a step slower than a plain one and pays only over the steps after
    // it, so they are never built for the last iterations of a run (a short multi-start trial
    // would otherwise spend its last iteration building bounds it never uses). A final step
    // that reuses them counts as one more.
    const lateStart = !state.boundsValid && o.maxIter - iteration + (boundsReused ? 1 : 0) <= LATE_BOUNDS;
    // Sum the rows in the pass when there are no sums to move, or too many rows to move.
    const fusedSums = fusedSumsFit && (carried === undefined || lastChanged > MOVE_MAX_FRACTION * n);
    if (!fusedSums && carried !== undefined) labelsBefore.set(state.labels);
    let plainNow = plainLeft > 0 || lateStart;
    let probeSkipped: number | undefined;
    if (!plainNow && !state.boundsValid && probing && !probeSaysBuild) {
      probe ??= yield* BoundsProbe.over(label, x, n, d, groups);
      if (!probe.isBuilt) {
        // The sample's bounds against this iteration's centroids; every row runs plain.
        yield* probe.build(label, centroids);
        plainNow = true;
      } else {
        probeSkipped = yield* probe.measure(label, centroids, moved!);
        if (probeSkipped < HOPELESS_SKIPPED_FRACTION) {
          // As a hopeless bounded step would have said, for a few milliseconds on the sample.
          plainLeft = plainSpan * PLAIN_GROWTH ** 2;
          plainSpan *= PLAIN_GROWTH ** 2;
          plainNow = true;
        } else probeSaysBuild = true;
      }
    }
    if (plainNow) {
      if (plainLeft > 0) plainLeft--;
      let a: K.Assignment & { sums?: K.Accumulation };
      if (fusedSums) a = yield* run(assignSumsStep(label, x, centroids, d, weights, bf16));
      else a = yield* run(assignStep(label, x, centroids, d, bf16));
      step = plainStep(state, a.labels, a.values, weights, k, iteration === 0);
      if (a.sums !== undefined) step.sums = a.sums;
      state.boundsValid = false;
    } else {
      // A step that builds the bounds counts every row as changed; after plain iterations the
      // labels before it are known, so the count (and the choice of sums it drives) is exact.
      const rebuild = !state.boundsValid && iteration > 0;
      if (rebuild && (fusedSums || carried === undefined)) labelsBefore.set(state.labels);
      step = yield* run(yinyangStep(label, x, centroids, d, groups, state, state.boundsValid ? moved : null, weights, fusedSums, bf16));
      if (rebuild) step = { ...step, changed: changedLabels(labelsBefore, state.labels) };
      probeSaysBuild = false;
      const skipped = 1 - step.distances / (n * k);
      const hopeless = skipped < HOPELESS_SKIPPED_FRACTION;
      if (state.boundsValid && (hopeless || (iteration >= FIRST_DECISION && skipped < minSkipped))) {
        const growth = hopeless ? PLAIN_GROWTH ** 2 : PLAIN_GROWTH;
        plainLeft = hopeless ? plainSpan * growth : plainSpan;
        plainSpan *= growth;
      }
      state.boundsValid = true;
    }
    const previousObjective = objective;
    objective = objectiveFrom(step.objective, totalWeight, spherical);
    const assignedBefore = assignedTo;
    assignedTo = centroids;
    lastChanged = step.changed;
    let acc = step.sums;
    if (acc !== undefined) carried = acc;
    else {
      const moves = carried === undefined ? undefined : labelMoves(labelsBefore, state.labels);
      if (moves !== undefined && moves.ids.length <= MOVE_MAX_FRACTION * n) {
        yield* run(moveRowsStep(label, x, d, moves, carried!, weights));
        acc = carried!;
      } else {
        acc = yield* run(accumulateStep(label, x, d, state.labels, k, weights));
      }
      carried = acc;
    }
    const next = meansFromSums(acc.sums, acc.weightSums, centroids, d, spherical, spare);
    spare = assignedBefore !== init && assignedBefore !== next && assignedBefore !== centroids ? assignedBefore : undefined;
    const sizes = Float64Array.from(acc.counts);
    const imbalance = imbalanceFactor(acc.counts, n);
    const splits = splitEmptyClusters(next, sizes, n, d, rng, spherical);
    moved = drift(centroids, next, d);
    centroids = next;
    const computed = step.distances;
    const entry: IterationStats = {
      redo,
      iteration,
      objective,
      seconds: (performance.now() - t0) / 1000,
      changed: step.changed,
      imbalance,
      splits,
      distancesComputed: computed,
      distancesSkipped: Math.max(0, n * k - computed),
      ...(probeSkipped === undefined ? {} : { boundsProbe: probeSkipped }),
    };
    stats.push(entry);
    o.onIteration?.(entry);
    if (o.tol > 0 && iteration > 0 && previousObjective - objective <= o.tol * previousObjective) break;
  }
  return { centroids, state, assignedTo, objective, stats };
}

/** Rows whose label differs between `before` and `after`. */
function changedLabels(before: Uint32Array, after: Uint32Array): number {
  let changed = 0;
  for (let i = 0; i < after.length; i++) if (before[i] !== after[i]) changed++;
  return changed;
}

/** Takes a plain assignment into the state: counts changed labels and sums the objective. */
function plainStep(state: LloydState, labels: Uint32Array, values: Float32Array, weights: Float32Array | undefined, k: number, first: boolean) {
  let changed = 0;
  let objective = 0;
  for (let i = 0; i < labels.length; i++) {
    if (first || labels[i] !== state.labels[i]) changed++;
    objective += (weights === undefined ? 1 : weights[i]!) * values[i]!;
  }
  state.labels.set(labels);
  state.values.set(values);
  return { changed, objective, distances: labels.length * k };
}
