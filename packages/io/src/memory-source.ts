/**
 * In-memory typed arrays as a source. A Float32Array is served as zero-copy subarray views;
 * other element types are converted chunk by chunk like files are.
 */
import { dtypeOfArray, type DType } from './dtype.js';
import { argumentError, unsupportedError, ErrorCode, ioError } from './errors.js';
import {
  assertOpen,
  checkFinite,
  checkIndices,
  rowRange,
  rowsPerChunk,
  type ChunkOptions,
  type VectorChunk,
  type VectorSource,
} from './source.js';

/** Any typed array accepted as an in-memory matrix. */
export type NumericArray = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

/** A {@link VectorSource} over a row-major typed array. */
export class MemorySource implements VectorSource {
  readonly n: number;
  readonly d: number;
  readonly dtype: DType;
  readonly format = 'memory' as const;
  private closed = false;

  /**
   * @param data row-major values, `n * d` long
   * @param d dimension; `data.length` must be a multiple of it
   */
  constructor(private readonly data: NumericArray, d: number, private readonly defaultValidate = false) {
    const dtype = dtypeOfArray(data);
    if (!dtype) throw unsupportedError('memory: unsupported array type', { actual: Object.prototype.toString.call(data) });
    if (!Number.isSafeInteger(d) || d <= 0) throw argumentError('memory: d must be a positive integer', { expected: '> 0', actual: d });
    if (data.length % d !== 0) {
      throw ioError(ErrorCode.DimensionMismatch, `memory: length ${data.length} is not a multiple of d=${d}`, {
        expected: `multiple of ${d}`,
        actual: data.length,
      });
    }
    this.dtype = dtype;
    this.d = d;
    this.n = data.length / d;
  }

  async *chunks(options?: ChunkOptions): AsyncGenerator<VectorChunk> {
    assertOpen(this.closed, this.format);
    const [start, end] = rowRange(this.n, options);
    const { d, data } = this;
    const per = rowsPerChunk(options?.maxBytes, d * 4);
    const validate = options?.validate ?? this.defaultValidate;
    for (let row = start; row < end; row += per) {
      assertOpen(this.closed, this.format);
      const rows = Math.min(per, end - row);
      const view = data.subarray(row * d, (row + rows) * d);
      const out = view instanceof Float32Array ? view : Float32Array.from(view);
      if (validate) checkFinite(out, d, row);
      yield { start: row, rows, data: out };
    }
  }

  async rows(indices: ArrayLike<number>, options?: { validate?: boolean }): Promise<Float32Array> {
    assertOpen(this.closed, this.format);
    checkIndices(indices, this.n);
    const { d, data } = this;
    const out = new Float32Array(indices.length * d);
    for (let i = 0; i < indices.length; i++) {
      const r = indices[i]!;
      out.set(data.subarray(r * d, (r + 1) * d), i * d);
    }
    if (options?.validate ?? this.defaultValidate) checkFinite(out, d, 0, indices);
    return out;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
