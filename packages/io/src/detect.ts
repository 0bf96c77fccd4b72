/**
 * Format detection: magic bytes first (they cannot lie about the container), then the file
 * extension for the headerless formats (.fvecs, raw .f32...), then an explicit option.
 */
import { extname } from 'node:path';
import type { SourceFormat } from './source.js';

/** How `open()` decided on a format. */
export type DetectedBy = 'option' | 'magic' | 'extension' | 'type';

/** The format `open()` chose and why. */
export interface Detection {
  /** Format in use. */
  format: SourceFormat;
  /** What decided it. */
  by: DetectedBy;
  /** With `memmap: true`: whether a native mapping or the positional-read fallback serves it. */
  memmap?: 'native' | 'positional-read';
}

/** Format names accepted by the `format` option of `open()`. */
export type FormatOption = 'npy' | 'raw' | 'fvecs' | 'bvecs' | 'ivecs' | 'parquet' | 'arrow' | 'arrow-file' | 'arrow-stream';

const EXTENSIONS: Record<string, SourceFormat> = {
  '.npy': 'npy',
  '.parquet': 'parquet',
  '.pq': 'parquet',
  '.arrow': 'arrow-file',
  '.feather': 'arrow-file',
  '.ipc': 'arrow-file',
  '.arrows': 'arrow-stream',
  '.fvecs': 'fvecs',
  '.bvecs': 'bvecs',
  '.ivecs': 'ivecs',
  '.f32': 'raw',
  '.f64': 'raw',
  '.f16': 'raw',
  '.u8': 'raw',
  '.i8': 'raw',
  '.bin': 'raw',
  '.raw': 'raw',
};

/** Raw extensions that also state the dtype. */
export const RAW_EXTENSION_DTYPE: Record<string, 'float32' | 'float64' | 'float16' | 'uint8' | 'int8'> = {
  '.f32': 'float32',
  '.f64': 'float64',
  '.f16': 'float16',
  '.u8': 'uint8',
  '.i8': 'int8',
};

/** Recognise a container by its leading (and for Parquet trailing) bytes. */
export function detectMagic(head: Uint8Array, tail: Uint8Array): SourceFormat | undefined {
  const ascii = (b: Uint8Array, n: number): string => String.fromCharCode(...b.subarray(0, n));
  if (head.length >= 6 && head[0] === 0x93 && ascii(head.subarray(1), 5) === 'NUMPY') return 'npy';
  if (head.length >= 4 && ascii(head, 4) === 'PAR1' && tail.length >= 4 && ascii(tail.subarray(tail.length - 4), 4) === 'PAR1') return 'parquet';
  if (head.length >= 6 && ascii(head, 6) === 'ARROW1') return 'arrow-file';
  if (head.length >= 8 && head[0] === 0xff && head[1] === 0xff && head[2] === 0xff && head[3] === 0xff) return 'arrow-stream';
  return undefined;
}

/** Format implied by a path's extension, if any. */
export function detectExtension(path: string): SourceFormat | undefined {
  return EXTENSIONS[extname(path).toLowerCase()];
}

/** Map the `format` option to a source format (`arrow` picks file or stream from the magic). */
export function formatFromOption(option: FormatOption, magic: SourceFormat | undefined): SourceFormat {
  if (option === 'arrow') return magic === 'arrow-stream' ? 'arrow-stream' : 'arrow-file';
  return option;
}
