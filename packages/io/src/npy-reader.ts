/**
 * .npy reader (format versions 1, 2 and 3; little and big endian; C order).
 * Only the header is parsed up front; rows are read chunk by chunk by {@link StridedSource}.
 */
import type { ByteSource } from './byte-source.js';
import { DTYPE_BYTES } from './dtype.js';
import { formatError } from './errors.js';
import { parseNpyDict, parseNpyPrelude, shapeToMatrix, type NpyHeader } from './npy-header.js';
import { StridedSource } from './strided-source.js';

/** Read and validate the header of a .npy held by `bytes`. */
export async function readNpyHeader(bytes: ByteSource): Promise<NpyHeader> {
  const head = new Uint8Array(Math.min(12, bytes.size));
  await bytes.read(0, head);
  const { version, headerLen, prelude } = parseNpyPrelude(head);
  const dataOffset = prelude + headerLen;
  if (dataOffset > bytes.size) {
    throw formatError(`npy: header claims ${headerLen} bytes but the file has ${bytes.size - prelude} after the prelude`, {
      expected: dataOffset,
      actual: bytes.size,
    });
  }
  const raw = new Uint8Array(headerLen);
  await bytes.read(prelude, raw);
  // Versions 1 and 2 store latin1; version 3 allows utf8 in the header text.
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString(version === 3 ? 'utf8' : 'latin1');
  return parseNpyDict(text, version, dataOffset);
}

/**
 * Open a .npy as a vector source. The declared shape is checked against the file length before
 * anything else is allocated, so a lying header is a `CLOSTERA_FORMAT` error, never a huge buffer.
 */
export async function openNpy(bytes: ByteSource, validate = false): Promise<StridedSource> {
  const h = await readNpyHeader(bytes);
  const { n, d } = shapeToMatrix(h.shape);
  const need = h.dataOffset + n * d * DTYPE_BYTES[h.dtype];
  if (!Number.isSafeInteger(need) || need > bytes.size) {
    throw formatError(`npy: shape (${h.shape.join(', ')}) of ${h.dtype} needs ${need} bytes, file has ${bytes.size}`, {
      expected: need,
      actual: bytes.size,
    });
  }
  const rowBytes = d * DTYPE_BYTES[h.dtype];
  return new StridedSource(
    bytes,
    { format: 'npy', n, d, dtype: h.dtype, order: h.order, dataOffset: h.dataOffset, rowStride: rowBytes, rowPrefix: 0 },
    validate,
  );
}
