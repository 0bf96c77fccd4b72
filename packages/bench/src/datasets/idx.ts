/**
 * Reader for the IDX format of (Fashion-)MNIST, gzipped or not.
 *
 * IDX: two zero bytes, a type byte, the number of dimensions, then one big-endian uint32 per
 * dimension, then the values, big-endian, row-major.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { formatError, ioError } from '../errors.js';

/** A decoded IDX array: its shape and the values as float32 (every IDX type converts exactly except int32/float64 extremes). */
export interface IdxArray {
  /** Size of each dimension, outermost first. */
  shape: number[];
  /** The values in row-major order. */
  data: Float32Array;
}

/** Byte size of each IDX element type code. */
const TYPE_BYTES: Record<number, number> = { 0x08: 1, 0x09: 1, 0x0b: 2, 0x0c: 4, 0x0d: 4, 0x0e: 8 };

/**
 * Decodes IDX bytes (gunzip first if they start with the gzip magic).
 *
 * @throws {@link ClosteraError} `CLOSTERA_FORMAT` for a bad magic, unknown type or truncated data.
 */
export function parseIdx(input: Uint8Array): IdxArray {
  const bytes = input[0] === 0x1f && input[1] === 0x8b ? new Uint8Array(gunzipSync(input)) : input;
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) throw formatError('IDX: bad magic (expected two zero bytes)');
  const type = bytes[2]!;
  const ndim = bytes[3]!;
  const size = TYPE_BYTES[type];
  if (size === undefined) throw formatError(`IDX: unknown element type 0x${type.toString(16)}`, { actual: type });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = 4 + 4 * ndim;
  if (bytes.length < header) throw formatError('IDX: truncated header', { expected: header, actual: bytes.length });
  const shape: number[] = [];
  for (let i = 0; i < ndim; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  if (bytes.length < header + count * size) {
    throw formatError('IDX: truncated data', { expected: header + count * size, actual: bytes.length });
  }
  const data = new Float32Array(count);
  if (type === 0x08) {
    // The common case (images, labels): a straight widening copy, no DataView per element.
    data.set(bytes.subarray(header, header + count));
  } else {
    const read: (o: number) => number = {
      0x09: (o: number) => view.getInt8(o),
      0x0b: (o: number) => view.getInt16(o, false),
      0x0c: (o: number) => view.getInt32(o, false),
      0x0d: (o: number) => view.getFloat32(o, false),
      0x0e: (o: number) => view.getFloat64(o, false),
    }[type as 0x09]!;
    for (let i = 0; i < count; i++) data[i] = read(header + i * size);
  }
  return { shape, data };
}

/**
 * Reads and decodes an IDX file (`.gz` or plain).
 *
 * @throws {@link ClosteraError} `CLOSTERA_IO` when the file cannot be read, `CLOSTERA_FORMAT` when it is not IDX.
 */
export async function readIdx(path: string): Promise<IdxArray> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw ioError(`cannot read IDX file ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return parseIdx(bytes);
  } catch (error) {
    if (error instanceof Error && error.name === 'ClosteraError') throw error;
    throw formatError(`${path}: not a valid (gzipped) IDX file: ${(error as Error).message}`, { cause: error });
  }
}
