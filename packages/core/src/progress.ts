/**
 * Progress of a {@link Clusterer} run: which stage, rows done in the current pass, and an overall
 * fraction for progress bars and ETAs.
 *
 * @module
 */
import type { FitProgress } from '@clostera/kmeans';

/**
 * Stages of a run, in order:
 * `read` (loading rows into memory), `sample` (gathering a training sample when the data exceeds
 * `maxRam`), `seed`, `lloyd` and `final` (the engine), `predict` (labelling every row chunk by
 * chunk after training on a sample).
 */
export type Stage = 'read' | 'sample' | 'seed' | 'lloyd' | 'final' | 'predict';

/** One progress report. */
export interface ClustererProgress {
  /** Current stage. */
  stage: Stage;
  /** Rows done in the current pass. */
  rowsDone: number;
  /** Rows in the current pass. */
  rows: number;
  /** Lloyd iteration (0-based) during `lloyd`; otherwise the iterations finished so far. */
  iteration: number;
  /** The iteration limit (`maxIter`). */
  maxIter: number;
  /** Restart (0-based) and number of restarts. */
  redo: number;
  /** Number of restarts (`nRedo`; 1 unless the backend is `dense-exact-nredo`). */
  redos: number;
  /** Estimated fraction of the whole run done, in [0, 1], never decreasing. */
  fraction: number;
}

/** Callback type of `onProgress`. */
export type ProgressListener = (progress: ClustererProgress) => void;

/** The plan a run's progress is measured against. */
export interface ProgressPlan {
  /** Whether the run fits a model (seeding, iterations, final assignment); false for predict-only runs. */
  fit: boolean;
  /** Whether every row is read into memory first. */
  read: boolean;
  /** Whether a training sample is gathered (the data exceeds `maxRam`). */
  sample: boolean;
  /** Whether every row is labelled after training (sampled runs). */
  predict: boolean;
  /** Iteration limit. */
  maxIter: number;
  /** Restarts. */
  redos: number;
}

/**
 * Turns stage-local progress into an overall fraction. The work is counted in passes over the
 * training rows: seeding ~1, each iteration 1, the final assignment 1, and reading, sampling or
 * predicting 1 each when they happen. A run that converges early jumps forward; the fraction
 * never goes back.
 */
export class ProgressTracker {
  private done = 0;
  private readonly total: number;

  /**
   * @param plan - what the run will do.
   * @param listener - receives every report (nothing is computed when absent).
   */
  constructor(
    private readonly plan: ProgressPlan,
    private readonly listener: ProgressListener | undefined,
  ) {
    this.total = (plan.read ? 1 : 0) + (plan.sample ? 1 : 0) + this.fitUnits() + (plan.predict ? 1 : 0);
  }

  private fitUnits(): number {
    return this.plan.fit ? this.plan.redos * (1 + this.plan.maxIter) + 1 : 0;
  }

  private unitsBefore(stage: Stage, redo: number, iteration: number): number {
    const p = this.plan;
    const head = (p.read ? 1 : 0) + (p.sample ? 1 : 0);
    const perRedo = 1 + p.maxIter;
    switch (stage) {
      case 'read':
        return 0;
      case 'sample':
        return p.read ? 1 : 0;
      case 'seed':
        return head + redo * perRedo;
      case 'lloyd':
        return head + redo * perRedo + 1 + Math.min(iteration, p.maxIter);
      case 'final':
        return head + p.redos * perRedo;
      case 'predict':
        return head + this.fitUnits();
    }
  }

  /** Reports progress of `stage` (rows done out of rows in its current pass). */
  report(stage: Stage, rowsDone: number, rows: number, redo = 0, iteration = 0): void {
    if (this.listener === undefined) return;
    const within = rows > 0 ? Math.min(1, rowsDone / rows) : 1;
    this.done = Math.max(this.done, Math.min(this.total, this.unitsBefore(stage, redo, iteration) + within));
    this.listener({
      stage,
      rowsDone,
      rows,
      iteration,
      maxIter: this.plan.maxIter,
      redo,
      redos: this.plan.redos,
      fraction: this.done / this.total,
    });
  }

  /**
   * Reports the end of the run (fraction 1) as the last pass of `stage`. Engines report passes
   * from a timer and may skip a short last one, so the run closes the bar itself.
   */
  finish(stage: Stage, rows: number): void {
    this.done = this.total;
    this.report(stage, rows, rows, Math.max(0, this.plan.redos - 1), this.plan.maxIter);
  }

  /** Forwards an engine progress report. */
  engine(p: FitProgress): void {
    this.report(p.phase, p.rowsDone, p.rows, p.redo, p.iteration);
  }
}
