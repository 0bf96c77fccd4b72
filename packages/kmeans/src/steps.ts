/**
 * Engines are written once as generators that yield native passes; a sync driver runs each pass
 * on the calling thread, an async driver awaits its off-thread form with the fit's AbortSignal
 * and progress. So the sync and async fits share every line of algorithm control flow.
 *
 * @module
 * @internal
 */
import type { AsyncPassOptions, PassOptions, Progress } from '@clostera/kernels';
import type { FitProgress, ResolvedOptions } from './options.js';

/** Where a pass sits in the fit, for progress reports. */
export interface PassLabel {
  phase: FitProgress['phase'];
  redo: number;
  iteration: number;
}

/** One native pass in both forms. */
export interface Step<T> {
  label: PassLabel;
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

/** Runs an engine with every pass off the JS thread, cancellable mid-pass through `o.signal`. */
export async function driveAsync<R>(engine: Engine<R>, o: ResolvedOptions): Promise<R> {
  const base = baseOptions(o);
  let next = engine.next();
  while (!next.done) {
    const step = next.value;
    const options: AsyncPassOptions = { ...base };
    if (o.signal !== undefined) options.signal = o.signal;
    const onProgress = o.onProgress;
    if (onProgress !== undefined) {
      options.onProgress = (p: Progress) => onProgress({ ...p, ...step.label });
    }
    let result: unknown;
    try {
      result = await step.async(options);
    } catch (error) {
      engine.return(undefined as R);
      throw error;
    }
    next = engine.next(result);
  }
  return next.value;
}
