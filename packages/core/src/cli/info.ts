/**
 * `clostera info <input>`: what a file holds (format and how it was detected, N, D, dtype) and
 * whether it fits a memory budget, without reading the rows.
 *
 * @module
 */
import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { open } from '@clostera/io';
import { formatBytes } from '../bytes.js';
import { EXIT_CODES } from '../exit-codes.js';
import { defaultMaxRam } from '../options.js';
import { addInputFlags, openOptions, type InputFlags } from './input-flags.js';
import * as parse from './parse.js';

interface InfoFlags extends InputFlags {
  json?: boolean;
  maxRam?: number;
}

async function info(input: string, flags: InfoFlags): Promise<number> {
  const source = await open(input, openOptions(flags));
  try {
    const maxRam = flags.maxRam ?? defaultMaxRam();
    const float32Bytes = source.n * source.d * 4;
    const result = {
      path: input,
      format: source.detection.format,
      detectedBy: source.detection.by,
      n: source.n,
      d: source.d,
      dtype: source.dtype,
      fileBytes: statSync(input).size,
      float32Bytes,
      maxRam,
      fitsMaxRam: float32Bytes <= maxRam,
    };
    if (flags.json) {
      process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    } else {
      const int = (v: number): string => v.toLocaleString('en-US');
      process.stdout.write(
        [
          `file      ${input} (${formatBytes(result.fileBytes)})`,
          `format    ${result.format} (detected by ${result.detectedBy})`,
          `shape     N = ${int(result.n)}, D = ${int(result.d)}`,
          `dtype     ${result.dtype}`,
          `in RAM    ${formatBytes(float32Bytes)} as float32; ${result.fitsMaxRam ? 'fits' : 'exceeds'} the ${formatBytes(maxRam)} budget${result.fitsMaxRam ? '' : ' (cluster trains on a sample)'}`,
        ].join('\n') + '\n',
      );
    }
    return EXIT_CODES.ok;
  } finally {
    await source.close();
  }
}

/** Registers `info` on the program. */
export function registerInfo(program: Command, setExit: (code: number) => void): void {
  const command = program
    .command('info')
    .description('show the format, N, D and element type of a vectors file')
    .argument('<input>', 'vectors file')
    .option('--max-ram <size>', 'memory budget to compare with (default: half the RAM)', parse.byteSize)
    .option('--json', 'print as JSON');
  addInputFlags(command);
  command.action(async (input: string, flags: InfoFlags) => setExit(await info(input, flags)));
}
