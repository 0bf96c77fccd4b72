/**
 * Running native passes: error conversion for the sync forms; cancellation, progress and error
 * conversion for the async forms.
 *
 * @module
 * @internal
 */
import { ClosteraError, ErrorCode, toClosteraError } from './errors.js';
import type { NativeOptions } from './native.js';
import type { AsyncPassOptions, PassOptions } from './types.js';
import { checkAsyncOptions, nativeOptions } from './validate.js';

/** Control slot the native loop polls between blocks: non-zero cancels. */
const CANCEL_SLOT = 0;
/** Control slot the native loop adds finished rows to. */
const PROGRESS_SLOT = 1;
/** Default progress polling period. */
const DEFAULT_PROGRESS_INTERVAL_MS = 50;

/**
 * Runs a synchronous pass: `prepare` checks the arguments and returns the native call, which gets
 * the type-checked native options. Every failure is thrown as a {@link ClosteraError}.
 */
export function runSync<R>(
  options: PassOptions | undefined,
  prepare: () => (native: NativeOptions | undefined) => R
): R {
  try {
    const call = prepare();
    return call(nativeOptions(options));
  } catch (error) {
    throw toClosteraError(error);
  }
}

/** A prepared async pass: its row count (for progress) and the native call. */
export interface AsyncCall<R> {
  rows: number;
  start(native: NativeOptions | undefined, control: BigInt64Array): Promise<R>;
}

/**
 * Runs an async pass off the JS thread.
 *
 * A fresh BigInt64Array over a SharedArrayBuffer is shared with the native loop: aborting the
 * signal sets its cancel slot (the loop stops within one block and rejects with
 * `CLOSTERA_CANCELLED`); a timer (unref'd, so it never keeps the process alive) polls the
 * rows-done slot and reports changes to `onProgress`. The promise settles only once the native
 * work has stopped, so when it settles the inputs are no longer in use.
 */
export async function runAsync<R>(options: AsyncPassOptions | undefined, prepare: () => AsyncCall<R>): Promise<R> {
  let call: AsyncCall<R>;
  let native: NativeOptions | undefined;
  try {
    call = prepare();
    checkAsyncOptions(options);
    native = nativeOptions(options);
  } catch (error) {
    throw toClosteraError(error);
  }
  return runWithControl(call, native, options ?? {});
}

async function runWithControl<R>(
  call: AsyncCall<R>,
  native: NativeOptions | undefined,
  { signal, onProgress, progressIntervalMs = DEFAULT_PROGRESS_INTERVAL_MS }: AsyncPassOptions
): Promise<R> {
  if (signal?.aborted) {
    throw new ClosteraError(ErrorCode.Cancelled, 'the operation was cancelled before it started', {
      cause: signal.reason,
    });
  }
  const control = new BigInt64Array(new SharedArrayBuffer(2 * BigInt64Array.BYTES_PER_ELEMENT));
  const cancel = (): void => {
    Atomics.store(control, CANCEL_SLOT, 1n);
  };
  // Set when `onProgress` throws: the pass is cancelled and the promise rejects with it.
  let callbackFailure: { error: unknown } | undefined;
  let reported = 0;
  const report = (): void => {
    const rowsDone = Number(Atomics.load(control, PROGRESS_SLOT));
    if (onProgress === undefined || rowsDone === reported || callbackFailure !== undefined) return;
    reported = rowsDone;
    try {
      onProgress({ rowsDone, rows: call.rows });
    } catch (error) {
      callbackFailure = { error };
      cancel();
    }
  };

  signal?.addEventListener('abort', cancel, { once: true });
  const timer = onProgress === undefined ? undefined : setInterval(report, progressIntervalMs);
  timer?.unref();
  try {
    const result = await call.start(native, control);
    report();
    if (callbackFailure !== undefined) throw callbackFailure.error;
    return result;
  } catch (error) {
    if (callbackFailure !== undefined) throw callbackFailure.error;
    const converted = toClosteraError(error);
    if (converted.code === ErrorCode.Cancelled && signal?.aborted) {
      throw new ClosteraError(ErrorCode.Cancelled, converted.message, { cause: signal.reason });
    }
    throw converted;
  } finally {
    clearInterval(timer);
    signal?.removeEventListener('abort', cancel);
  }
}
