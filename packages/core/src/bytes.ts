/**
 * Byte sizes as people write them (`8GiB`, `512 MB`, `1.5g`), for `maxRam` and `--max-ram`.
 *
 * @module
 */
import { invalidArgument } from './errors.js';

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1000,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1000 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1000 ** 4,
  tib: 1024 ** 4,
};

/**
 * Parses a byte size: a number with an optional unit (B, KB/MB/GB/TB in powers of 1000,
 * KiB/MiB/GiB/TiB or the bare letters K/M/G/T in powers of 1024), case-insensitive.
 *
 * @throws `CLOSTERA_INVALID_ARGUMENT` for anything else, or a size that is not positive.
 */
export function parseByteSize(text: string | number): number {
  if (typeof text === 'number') {
    if (!(text > 0)) throw invalidArgument('a byte size must be positive', '> 0', text);
    return text;
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m === null ? undefined : UNITS[m[2]!.toLowerCase()];
  if (m === null || unit === undefined) {
    throw invalidArgument(`cannot read the byte size '${text}'`, 'a number with an optional unit such as 512MiB, 8GiB or 2GB', text);
  }
  const bytes = Math.floor(Number(m[1]) * unit);
  if (!(bytes > 0)) throw invalidArgument(`the byte size '${text}' is not positive`, '> 0', text);
  return bytes;
}

/** Formats bytes with a binary unit, e.g. `30.6 MiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}
