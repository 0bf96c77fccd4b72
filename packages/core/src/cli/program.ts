/**
 * The `clostera` program: commands, usage errors and exit codes.
 *
 * @module
 */
import { Command, CommanderError } from 'commander';
import { asClosteraError } from '../errors.js';
import { EXIT_CODES, exitCodeFor } from '../exit-codes.js';
import { registerBench } from './bench.js';
import { registerCluster } from './cluster.js';
import { registerDemo } from './demo.js';
import { registerInfo } from './info.js';

const EXIT_HELP = `
Exit codes:
  0    success
  1    internal error (a bug; please report it)
  2    usage error or bad input (unknown option, bad value, malformed or unsupported file)
  3    environment: a file cannot be read or written, the memory budget is too small,
       a requested SIMD level is missing, an optional package is absent
  130  cancelled by Ctrl-C (SIGINT); 143 by SIGTERM. Cancelled runs write no output.

Examples:
  clostera demo
  clostera info embeddings.npy
  clostera cluster embeddings.npy -k 1024 --out labels.npy --centroids centroids.npy
  clostera cluster embeddings.parquet --column embedding -k 256 -m cos --out labels.parquet --max-ram 8GiB
  clostera bench --suite quick`;

/** Builds the program; every action reports its exit code through `setExit`. */
export function buildProgram(version: string, setExit: (code: number) => void): Command {
  const program = new Command('clostera')
    .description('k-means for large dense vector sets: cluster files, inspect them, run the benchmarks')
    .version(version, '-V, --version')
    .enablePositionalOptions()
    .showHelpAfterError('(run clostera --help for usage)')
    .addHelpText('after', EXIT_HELP)
    .exitOverride();
  registerCluster(program, setExit);
  registerInfo(program, setExit);
  registerBench(program, setExit);
  registerDemo(program, setExit);
  for (const c of program.commands) c.exitOverride();
  return program;
}

/** Runs the command line and returns the process exit code (never throws). */
export async function runCli(argv: readonly string[], version: string): Promise<number> {
  let code: number = EXIT_CODES.ok;
  const program = buildProgram(version, (c) => (code = c));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version "errors" are successes; anything else commander rejects is usage.
      return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    }
    const coded = asClosteraError(error);
    process.stderr.write(`clostera: ${coded.message} [${coded.code}]\n`);
    if (coded.code === 'CLOSTERA_INTERNAL' && coded.cause instanceof Error && coded.cause.stack) process.stderr.write(`${coded.cause.stack}\n`);
    return exitCodeFor(coded);
  }
}
