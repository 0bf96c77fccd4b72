/**
 * The frame every long-running command shares: a progress view, Ctrl-C/SIGTERM cancellation and
 * all-or-nothing outputs. A cancelled run prints one line, removes whatever it staged and ends
 * with 130 (SIGINT) or 143 (SIGTERM); other errors go up to the entry point.
 *
 * @module
 */
import { ErrorCode } from '@clostera/kernels';
import { asClosteraError, throwIfAborted } from '../errors.js';
import { EXIT_CODES } from '../exit-codes.js';
import { Cancellation } from './cancel.js';
import { StagedOutputs } from './outputs.js';
import { createProgressView, type ProgressView } from './progress-view.js';

/** What a command body gets. */
export interface RunContext {
  /** Progress display on stderr. */
  view: ProgressView;
  /** Fires on the first SIGINT/SIGTERM. */
  signal: AbortSignal;
  /** Outputs committed together when the body returns. */
  outputs: StagedOutputs;
  /** Throws `CLOSTERA_CANCELLED` if a signal arrived (call between steps that do not take the signal). */
  checkpoint(): void;
}

/**
 * Runs `body`, commits its staged outputs, prints what it returned on stdout and returns
 * `EXIT_CODES.ok`; when cancelled, discards the outputs and returns the signal's exit code.
 */
export async function runCommand(quiet: boolean, body: (ctx: RunContext) => Promise<string>): Promise<number> {
  const view = createProgressView({ quiet });
  const cancellation = new Cancellation((name) => view.note(`${name === 'SIGINT' ? 'Ctrl-C' : name}: cancelling (press Ctrl-C again to exit at once); no output will be written`));
  const outputs = new StagedOutputs();
  const ctx: RunContext = { view, signal: cancellation.signal, outputs, checkpoint: () => throwIfAborted(cancellation.signal, 'the run') };
  try {
    const report = await body(ctx);
    ctx.checkpoint();
    view.stop();
    outputs.commit();
    process.stdout.write(report);
    return EXIT_CODES.ok;
  } catch (error) {
    view.stop();
    outputs.discard();
    const coded = asClosteraError(error);
    if (coded.code === ErrorCode.Cancelled || cancellation.received !== undefined) {
      process.stderr.write(`clostera: cancelled by ${cancellation.received ?? 'signal'}; no output was written\n`);
      return cancellation.received === undefined ? EXIT_CODES.interrupted : cancellation.exitCode();
    }
    throw coded;
  } finally {
    view.stop();
    cancellation.dispose();
  }
}
