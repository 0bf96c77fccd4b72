/**
 * Ctrl-C and SIGTERM: the first signal aborts the run through an AbortController (the engines
 * stop within one block of rows, staged outputs are discarded); a second one exits at once.
 *
 * @module
 */
import { EXIT_CODES } from '../exit-codes.js';

/** The signals that cancel a run, and the exit code each ends with. */
const SIGNALS = { SIGINT: EXIT_CODES.interrupted, SIGTERM: EXIT_CODES.terminated } as const;

/** Name of a cancelling signal. */
export type CancelSignal = keyof typeof SIGNALS;

/** Cancellation of one command run. */
export class Cancellation {
  /** Aborted on the first SIGINT or SIGTERM. */
  readonly controller = new AbortController();
  /** The signal that cancelled the run, if any. */
  received: CancelSignal | undefined;
  private readonly handlers: Array<[CancelSignal, () => void]> = [];

  /** @param onCancel - told once, when the first signal arrives (e.g. to print "cancelling"). */
  constructor(onCancel: (signal: CancelSignal) => void) {
    for (const name of Object.keys(SIGNALS) as CancelSignal[]) {
      const handler = (): void => {
        if (this.received !== undefined) {
          // Second signal: the user insists. The exit hooks still remove temporary files.
          process.exit(SIGNALS[this.received]);
        }
        this.received = name;
        onCancel(name);
        this.controller.abort();
      };
      process.on(name, handler);
      this.handlers.push([name, handler]);
    }
  }

  /** The AbortSignal to hand to the library. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Exit code for a cancelled run. */
  exitCode(): number {
    return SIGNALS[this.received ?? 'SIGINT'];
  }

  /** Removes the handlers (the default signal behaviour returns). */
  dispose(): void {
    for (const [name, handler] of this.handlers) process.off(name, handler);
    this.handlers.length = 0;
  }
}
