/**
 * Engines are written once as generators that yield native passes; a sync driver runs each pass
 * on the calling thread, an async driver awaits its off-thread form with the fit's AbortSignal
 * and progress. So the sync and async fits share every line of algorithm control flow.
 *
 * @module
 * @internal
 */
import { ClosteraError, ErrorCode, type AsyncPassOptions, type PassOptions, type Progress } from '@clostera/kernels';
import type { FitProgress, ResolvedOptions } from './options.js';

/** Where a pass sits in the fit, for progress reports. */
export interface PassLabel {
  phase: FitProgress['phase'];
  redo: number;
  iteration: number;
}

/** One native pass in both forms. */
export interface Step<T> {
  /** What pass this is (the async driver learns each kind's duration). */
  kind: string;
  label: PassLabel;
  /**
   * Rough size of the pass before any run of its kind was measured: floats read plus
   * multiply-adds (e.g. rows x d x (1 + centroids)).
   */
  work: number;
  sync(options: PassOptions): T;
  async(options: AsyncPassOptions): Promise<T>;
}

/** An engine: yields steps, receives their results, returns its result. */
export type Engine<R> = Generator<Step<unknown>, R, unknown>;

/** Yields one step and returns its typed result (use with `yield*`). */
export function* run<T>(step: Step<T>): Generator<Step<unknown>, T, unknown> {
  return (yield step as Step<unknown>) as T;
}

/** Pass options every step gets: the fit's threads and SIMD level; inputs were validated once up front. */
function baseOptions(o: ResolvedOptions): PassOptions {
  const base: PassOptions = { validate: false };
  if (o.threads !== undefined) base.threads = o.threads;
  if (o.simd !== undefined) base.simd = o.simd;
  return base;
}

/** Runs an engine to completion on the calling thread. */
export function driveSync<R>(engine: Engine<R>, o: ResolvedOptions): R {
  const options = baseOptions(o);
  let next = engine.next();
  while (!next.done) {
    next = engine.next(next.value.sync(options));
  }
  return next.value;
}

/**
 * A pass whose last run of the same kind took less than this runs on the JS thread: handing a
 * pass to the thread pool and back cost about 1 ms here, which on Fashion-MNIST K = 1000 made
 * greedy k-means++ (about 4,000 passes of 1-4 ms) 1.4 s slower than the same passes run in place
 * (seeding plus final assignment: 5.2 s against 3.8 s).
 */
const INLINE_BELOW_MS = 5;
/**
 * The first pass of a kind runs in place when its {@link Step.work} is below this: about 5 ms at
 * a conservative 10^10 floats per second (the passes reach 2-10x that here), so small fits do not
 * pay the thread-pool hand-off once per kind (Fashion-MNIST K = 10: 2,560 training rows, about
 * ten kinds of 0.3-1 ms passes).
 */
const INLINE_BELOW_WORK = 5e7;
/** Passes run in place yield to the event loop once they have held it this long. */
const YIELD_AFTER_MS = 4;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs an engine off the JS thread, cancellable mid-pass through `o.signal`. Short passes (by the
 * last measured run of their kind) run in place between yields to the event loop, so the loop is
 * never held more than a few milliseconds; results are the same either way (the native passes
 * are identical in both forms), only the scheduling differs.
 */
export async function driveAsync<R>(engine: Engine<R>, o: ResolvedOptions): Promise<R> {
  const base = baseOptions(o);
  const lastMs = new Map<string, number>();
  let heldSince = performance.now();
  let next = engine.next();
  while (!next.done) {
    const step = next.value;
    const onProgress = o.onProgress;
    let result: unknown;
    const started = performance.now();
    try {
      const last = lastMs.get(step.kind);
      if (last === undefined ? step.work < INLINE_BELOW_WORK : last < INLINE_BELOW_MS) {
        if (started - heldSince > YIELD_AFTER_MS) {
          await yieldToEventLoop();
          heldSince = performance.now();
        }
        throwIfAborted(o.signal);
        result = step.sync(base);
        onProgress?.({ rowsDone: 1, rows: 1, ...step.label });
      } else {
        const options: AsyncPassOptions = { ...base };
        if (o.signal !== undefined) options.signal = o.signal;
        if (onProgress !== undefined) options.onProgress = (p: Progress) => onProgress({ ...p, ...step.label });
        result = await step.async(options);
        heldSince = performance.now();
      }
    } catch (error) {
      engine.return(undefined as R);
      throw error;
    }
    lastMs.set(step.kind, performance.now() - started);
    next = engine.next(result);
  }
  return next.value;
}

/** `CLOSTERA_CANCELLED` (with the signal's reason as `cause`) once `signal` is aborted. */
function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) {
    throw new ClosteraError(ErrorCode.Cancelled, 'the fit was cancelled', { cause: signal.reason });
  }
}
