/**
 * A trial of the Yinyang bounds on a sample of the rows before they are built for all of them.
 *
 * Why: on heavily overlapping clusters the bounds skip almost nothing, and finding that out on
 * every row costs two steps that are each slower than a plain one (the step that builds the
 * bounds, and the first bounded step, which measures them). Gaussian 1M x 128, k = 256, all
 * rows: 374 ms each against 196-234 ms plain; 200k x 768, k = 1024: 560 against 460 ms. On a
 * strided sample of a few thousand rows the same two steps cost a few milliseconds and measure
 * the same skip rate up to sampling noise (a third of a percent at the 5% decision threshold),
 * so the engine builds the bounds for all rows only where the sample says they will pay.
 *
 * The probe never changes labels or centroids: its steps run on a copy of the sample rows with
 * their own state, and every iteration of the fit is still a plain or a bounded exact step.
 *
 * @module
 * @internal
 */
import type * as K from '@clostera/kernels';
import { trialRowsStep, yinyangStep } from './kernel-steps.js';
import { run, type Engine, type PassLabel } from './steps.js';

/** Fewest rows for which the engine probes the bounds on a sample first. */
export const PROBE_MIN_ROWS = 131_072;
/** Rows of the probe's sample. */
export const PROBE_ROWS = 4_096;

/** The sample's rows and Yinyang state, built against one set of centroids. */
export class BoundsProbe {
  private built = false;
  private readonly state: K.YinyangState;

  private constructor(
    private readonly rows: Float32Array,
    private readonly n: number,
    private readonly d: number,
    private readonly groups: K.CentroidGroups,
  ) {
    this.state = { labels: new Uint32Array(n), lower: new Float32Array(n * groups.t), values: new Float32Array(n) };
  }

  /** A probe over every `floor(n / PROBE_ROWS)`-th row of `x`. */
  static *over(label: PassLabel, x: Float32Array, n: number, d: number, groups: K.CentroidGroups): Engine<BoundsProbe> {
    const stride = Math.floor(n / PROBE_ROWS);
    const ids = Uint32Array.from({ length: PROBE_ROWS }, (_, i) => i * stride);
    const rows = yield* run(trialRowsStep(label, x, ids, d, new Float32Array(PROBE_ROWS * d)));
    return new BoundsProbe(rows, PROBE_ROWS, d, groups);
  }

  /** Whether the sample's bounds wait to be measured. */
  get isBuilt(): boolean {
    return this.built;
  }

  /** Builds the sample's bounds against `centroids` (a full Yinyang step on the sample). */
  *build(label: PassLabel, centroids: Float32Array): Engine<void> {
    yield* run(yinyangStep(label, this.rows, centroids, this.d, this.groups, this.state, null, undefined, false));
    this.built = true;
  }

  /**
   * The fraction of distances a bounded step on the sample skips against `centroids`, which
   * moved by `drift` from the ones the bounds were built against. The probe is spent after it.
   */
  *measure(label: PassLabel, centroids: Float32Array, drift: Float32Array): Engine<number> {
    const step = yield* run(yinyangStep(label, this.rows, centroids, this.d, this.groups, this.state, drift, undefined, false));
    this.built = false;
    // Bound checks count as distances too, so a step that skips nothing can exceed n x k.
    return Math.max(0, 1 - step.distances / (this.n * (centroids.length / this.d)));
  }
}
