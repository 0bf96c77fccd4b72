/**
 * `clostera bench [args...]`: hands over to the benchmark command of `@clostera/bench`
 * (`packages/bench/dist/cli.js`) with the remaining arguments, and ends with its exit code.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { ClosteraError, ErrorCode } from '@clostera/kernels';

/** Path of the bench command, if `@clostera/bench` is installed (it is part of the repository, not of the published packages). */
export function benchCli(): string {
  try {
    const pkg = createRequire(import.meta.url).resolve('@clostera/bench/package.json');
    return join(dirname(pkg), 'dist', 'cli.js');
  } catch (error) {
    throw new ClosteraError(ErrorCode.Io, 'clostera bench needs @clostera/bench, which ships with the repository checkout (npm install && npm run build there)', { cause: error });
  }
}

function bench(args: string[]): Promise<number> {
  const cli = benchCli();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: 'inherit' });
    // The terminal sends Ctrl-C to the whole process group: the child handles it; we only wait.
    const ignore = (): void => {};
    process.on('SIGINT', ignore);
    child.once('error', (error) => {
      process.off('SIGINT', ignore);
      reject(new ClosteraError(ErrorCode.Io, `cannot start ${cli}: ${error.message}`, { cause: error }));
    });
    child.once('exit', (code, signal) => {
      process.off('SIGINT', ignore);
      resolve(code ?? (signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 1));
    });
  });
}

/** Registers `bench`: every argument after it goes to the bench command unchanged. */
export function registerBench(program: Command, setExit: (code: number) => void): void {
  program
    .command('bench')
    .description('run the side-by-side benchmarks (@clostera/bench); arguments go to it unchanged, e.g. clostera bench --suite quick')
    .argument('[args...]', 'arguments of the bench command (clostera bench --help for its usage)')
    .helpOption(false)
    .allowUnknownOption()
    .passThroughOptions()
    .action(async (args: string[]) => setExit(await bench(args)));
}
