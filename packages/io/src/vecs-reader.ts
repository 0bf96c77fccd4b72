/**
 * ANN-benchmark formats (.fvecs float32, .bvecs uint8, .ivecs int32): each row is a little-endian
 * int32 dimension followed by that many elements. There is no header, so the layout comes from
 * the first row; every row's prefix is checked against it as the row is read (ragged rows are
 * `CLOSTERA_FORMAT` with the row).
 */
import type { ByteSource } from './byte-source.js';
import { DTYPE_BYTES, type DType } from './dtype.js';
import { formatError } from './errors.js';
import { StridedSource } from './strided-source.js';

/** The three .*vecs flavours. */
export type VecsFormat = 'fvecs' | 'bvecs' | 'ivecs';

const VECS_DTYPE: Record<VecsFormat, DType> = { fvecs: 'float32', bvecs: 'uint8', ivecs: 'int32' };

/** Open a .fvecs/.bvecs/.ivecs. An empty file is a valid 0 x 0 source. */
export async function openVecs(bytes: ByteSource, format: VecsFormat, validate = false): Promise<StridedSource> {
  const dtype = VECS_DTYPE[format];
  if (bytes.size === 0) {
    return new StridedSource(bytes, { format, n: 0, d: 0, dtype, order: 'little', dataOffset: 0, rowStride: 4, rowPrefix: 4 }, validate);
  }
  if (bytes.size < 4) throw formatError(`${format}: file of ${bytes.size} bytes is shorter than one dimension prefix`, { expected: 4, actual: bytes.size });
  const head = new Uint8Array(4);
  await bytes.read(0, head);
  const d = new DataView(head.buffer).getInt32(0, true);
  const stride = 4 + d * DTYPE_BYTES[dtype];
  if (d <= 0 || stride > bytes.size) {
    throw formatError(`${format}: first row declares dimension ${d}, which does not fit the ${bytes.size}-byte file`, {
      row: 0,
      expected: `1..${Math.floor((bytes.size - 4) / DTYPE_BYTES[dtype])}`,
      actual: d,
    });
  }
  if (bytes.size % stride !== 0) {
    throw formatError(`${format}: ${bytes.size} bytes is not a whole number of ${stride}-byte rows (truncated or ragged)`, {
      expected: `multiple of ${stride}`,
      actual: bytes.size,
    });
  }
  const n = bytes.size / stride;
  return new StridedSource(
    bytes,
    {
      format,
      n,
      d,
      dtype,
      order: 'little',
      dataOffset: 0,
      rowStride: stride,
      rowPrefix: 4,
      checkPrefix: (prefix, row) => {
        const got = prefix[0]! | (prefix[1]! << 8) | (prefix[2]! << 16) | (prefix[3]! << 24);
        if (got !== d) throw formatError(`${format}: row ${row} declares dimension ${got}, expected ${d} (ragged rows)`, { row, expected: d, actual: got });
      },
    },
    validate,
  );
}
