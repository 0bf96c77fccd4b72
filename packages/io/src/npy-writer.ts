/**
 * Streaming, atomic .npy writer. The row count need not be known up front: the header reserves a
 * fixed-width shape field and is rewritten in place at `close()`, so rows are never buffered.
 */
import { AtomicFile } from './atomic-file.js';
import { DTYPE_BYTES, type DType } from './dtype.js';
import { argumentError, ErrorCode, ioError, unsupportedError } from './errors.js';
import { buildNpyHeader } from './npy-header.js';
import { toStorage, type WritableDType } from './storage.js';

/** Options for {@link createNpyWriter}. */
export interface NpyWriterOptions {
  /** Stored element type. */
  dtype: WritableDType;
  /** Shape of one row: `[]` for a 1-D array (labels), `[d]` for an n x d matrix. */
  rowShape: number[];
}

/** An open streaming writer. */
export interface MatrixWriter {
  /** Append whole rows (`values.length` must be a multiple of the row size). */
  write(values: ArrayLike<number>): Promise<void>;
  /** Finish the file and move it to its target path. Returns the rows written. */
  close(): Promise<number>;
  /** Drop everything written; the target is left untouched. */
  abort(): Promise<void>;
}

/** Room for any safe-integer row count, so the header never changes length when patched. */
const SHAPE_WIDTH_EXTRA = 20;

/** Open an atomic streaming .npy writer at `path`. */
export function createNpyWriter(path: string, options: NpyWriterOptions): MatrixWriter {
  const { dtype, rowShape } = options;
  if (!(dtype in DTYPE_BYTES) || (dtype as DType) === 'float16') {
    throw unsupportedError(`npy writer: unsupported dtype ${String(dtype)}`, { actual: dtype });
  }
  if (!rowShape.every((s) => Number.isSafeInteger(s) && s > 0)) {
    throw argumentError('npy writer: rowShape entries must be positive integers', { actual: JSON.stringify(rowShape) });
  }
  const rowSize = rowShape.reduce((a, b) => a * b, 1);
  const shapeFor = (rows: number): number[] => [rows, ...rowShape];
  const width = (rowShape.length === 0 ? `(,)` : `(, ${rowShape.join(', ')})`).length + SHAPE_WIDTH_EXTRA;
  const headerLength = buildNpyHeader(dtype, shapeFor(0), width).length;
  const file = AtomicFile.create(path);
  let rows = 0;
  let state: 'open' | 'closed' | 'failed' = 'open';
  // Reserve the header now; it is rewritten with the real row count at close.
  let ready: Promise<void> = file.writeAt(new Uint8Array(headerLength), 0);

  const guard = (): void => {
    if (state !== 'open') throw argumentError(`npy writer for ${path} is ${state}`);
  };
  const fail = (err: unknown): never => {
    state = 'failed';
    // A write still in flight (the reserved header, when the first write is refused) settles
    // on its own: nobody awaits it any more, so its outcome must not surface as unhandled.
    ready.catch(() => undefined);
    file.abort();
    throw err;
  };

  return {
    async write(values) {
      guard();
      if (values.length % rowSize !== 0) {
        fail(ioError(ErrorCode.DimensionMismatch, `npy writer: ${values.length} values is not a whole number of ${rowSize}-value rows`, {
          expected: `multiple of ${rowSize}`,
          actual: values.length,
        }));
      }
      const bytes = toStorage(values, dtype);
      const prev = ready;
      ready = (async () => {
        await prev;
        await file.append(bytes);
      })();
      try {
        await ready;
      } catch (err) {
        fail(err);
      }
      rows += values.length / rowSize;
    },
    async close() {
      guard();
      try {
        await ready;
        const header = buildNpyHeader(dtype, shapeFor(rows), width);
        if (header.length !== headerLength) throw ioError(ErrorCode.Internal, 'npy writer: header length changed');
        await file.writeAt(header, 0);
        file.commit();
      } catch (err) {
        fail(err);
      }
      state = 'closed';
      return rows;
    },
    async abort() {
      if (state === 'closed') return;
      state = 'failed';
      await ready.catch(() => undefined);
      file.abort();
    },
  };
}
