/**
 * The flags that say how to read an input file, shared by `cluster` and `info`.
 *
 * @module
 */
import { Option, type Command } from 'commander';
import { DTYPES, type DType, type FormatOption, type OpenOptions } from '@clostera/io';
import { positiveInt } from './parse.js';

/** Parsed input flags. */
export interface InputFlags {
  column?: string;
  format?: FormatOption;
  d?: number;
  dtype?: DType;
  memmap?: boolean;
}

const FORMATS: FormatOption[] = ['npy', 'raw', 'fvecs', 'bvecs', 'ivecs', 'parquet', 'arrow', 'arrow-file', 'arrow-stream'];

/** Adds the input flags to a command. */
export function addInputFlags(command: Command): Command {
  return command
    .option('--column <name>', 'Parquet/Arrow: the list or fixed-size-list column holding the vectors')
    .addOption(new Option('--format <format>', 'read as this format instead of detecting it').choices(FORMATS))
    .option('--d <d>', 'raw files: components per row', positiveInt)
    .addOption(new Option('--dtype <dtype>', 'raw files: element type').choices([...DTYPES]))
    .option('--memmap', '.npy, raw and .fvecs files: read through a memory mapping');
}

/** `@clostera/io` open options from the flags. */
export function openOptions(flags: InputFlags): OpenOptions {
  const o: OpenOptions = {};
  if (flags.column !== undefined) o.column = flags.column;
  if (flags.format !== undefined) o.format = flags.format;
  if (flags.d !== undefined) o.d = flags.d;
  if (flags.dtype !== undefined) o.dtype = flags.dtype;
  if (flags.memmap) o.memmap = true;
  return o;
}
