/**
 * One reader for every fixed-stride layout: .npy and raw matrices (rows back to back after a
 * header) and .fvecs/.bvecs/.ivecs (each row prefixed by its dimension). Only the layout
 * differs, so the chunking, conversion, sampling and validation live here once.
 */
import type { ByteSource } from './byte-source.js';
import { DTYPE_BYTES, HOST_ORDER, decodeInto, type ByteOrder, type DType } from './dtype.js';
import { formatError } from './errors.js';
import {
  assertOpen,
  checkFinite,
  checkIndices,
  rowRange,
  rowsPerChunk,
  type ChunkOptions,
  type SourceFormat,
  type VectorChunk,
  type VectorSource,
} from './source.js';

/** Where the rows sit in the byte source. */
export interface StrideLayout {
  /** Format reported by the source. */
  format: SourceFormat;
  /** Rows. */
  n: number;
  /** Components per row. */
  d: number;
  /** Stored element type. */
  dtype: DType;
  /** Stored byte order. */
  order: ByteOrder;
  /** Byte offset of the first row (its prefix included). */
  dataOffset: number;
  /** Bytes from the start of one row to the next. */
  rowStride: number;
  /** Bytes before each row's payload (4 for the .*vecs dimension prefix, else 0). */
  rowPrefix: number;
  /** Check a row's prefix bytes (e.g. the repeated dimension); throw a coded error if wrong. */
  checkPrefix?: (prefix: Uint8Array, row: number) => void;
}

/** Largest contiguous read `rows()` issues for a run of neighbouring sampled rows. */
const SAMPLE_RUN_BYTES = 1 << 20;

/** A {@link VectorSource} over a fixed-stride layout in a {@link ByteSource}. */
export class StridedSource implements VectorSource {
  readonly n: number;
  readonly d: number;
  readonly dtype: DType;
  readonly format: SourceFormat;
  private closed = false;
  private readonly payloadBytes: number;
  /** Rows are float32 in host order back to back: read straight into the output, no scratch. */
  private readonly direct: boolean;

  constructor(
    private readonly bytes: ByteSource,
    private readonly layout: StrideLayout,
    private readonly defaultValidate = false,
  ) {
    this.n = layout.n;
    this.d = layout.d;
    this.dtype = layout.dtype;
    this.format = layout.format;
    this.payloadBytes = layout.d * DTYPE_BYTES[layout.dtype];
    const end = layout.dataOffset + layout.n * layout.rowStride;
    // Checked here as well as by each reader: a layout that overruns its bytes is a lying header.
    if (!Number.isSafeInteger(end) || end > bytes.size) {
      throw formatError(`${layout.format}: ${layout.n} rows of ${layout.rowStride} bytes need ${end} bytes, file has ${bytes.size}`, {
        expected: end,
        actual: bytes.size,
      });
    }
    this.direct =
      layout.rowPrefix === 0 &&
      layout.rowStride === this.payloadBytes &&
      layout.dtype === 'float32' &&
      (layout.order === HOST_ORDER) &&
      bytes.view === undefined;
  }

  async *chunks(options?: ChunkOptions): AsyncGenerator<VectorChunk> {
    assertOpen(this.closed, this.format);
    const [start, end] = rowRange(this.n, options);
    const validate = options?.validate ?? this.defaultValidate;
    const { d, layout } = this;
    // The raw read buffer counts against the budget whenever there is one.
    const scratchPerRow = this.direct || this.bytes.view ? 0 : layout.rowStride;
    const per = rowsPerChunk(options?.maxBytes, d * 4 + scratchPerRow);
    for (let row = start; row < end; row += per) {
      assertOpen(this.closed, this.format);
      const rows = Math.min(per, end - row);
      const data = new Float32Array(rows * d);
      await this.readRows(row, rows, data, 0);
      if (validate) checkFinite(data, d, row);
      yield { start: row, rows, data };
    }
  }

  /** Decode rows `[first, first + count)` into `out` at row slot `outRow`. */
  private async readRows(first: number, count: number, out: Float32Array, outRow: number): Promise<void> {
    const { layout, d } = this;
    const pos = layout.dataOffset + first * layout.rowStride;
    const len = count * layout.rowStride;
    if (this.direct) {
      await this.bytes.read(pos, new Uint8Array(out.buffer, out.byteOffset + outRow * d * 4, count * d * 4));
      return;
    }
    if (this.bytes.view) {
      try {
        this.decodeRaw(this.bytes.view(pos, len), first, count, out, outRow);
      } finally {
        this.bytes.release?.(pos, len);
      }
      return;
    }
    const raw = new Uint8Array(len);
    await this.bytes.read(pos, raw);
    this.decodeRaw(raw, first, count, out, outRow);
  }

  private decodeRaw(raw: Uint8Array, first: number, count: number, out: Float32Array, outRow: number): void {
    const { layout, d } = this;
    if (layout.rowPrefix === 0 && layout.rowStride === this.payloadBytes) {
      decodeInto(raw, count * d, layout.dtype, layout.order, out, outRow * d);
      return;
    }
    if (layout.rowPrefix === 4 && layout.rowStride % 4 === 0 && raw.byteOffset % 4 === 0 && HOST_ORDER === layout.order &&
        (layout.dtype === 'float32' || layout.dtype === 'int32')) {
      // .fvecs/.ivecs: one word view over the block instead of a typed view per row.
      const words = new Int32Array(raw.buffer, raw.byteOffset, (count * layout.rowStride) / 4);
      const values = layout.dtype === 'float32' ? new Float32Array(raw.buffer, raw.byteOffset, words.length) : words;
      const sw = layout.rowStride / 4;
      for (let r = 0; r < count; r++) {
        const w = r * sw;
        if (words[w] !== d) layout.checkPrefix?.(raw.subarray(w * 4, w * 4 + 4), first + r);
        out.set(values.subarray(w + 1, w + 1 + d), (outRow + r) * d);
      }
      return;
    }
    for (let r = 0; r < count; r++) {
      const at = r * layout.rowStride;
      layout.checkPrefix?.(raw.subarray(at, at + layout.rowPrefix), first + r);
      const payload = raw.subarray(at + layout.rowPrefix, at + layout.rowPrefix + this.payloadBytes);
      decodeInto(payload, d, layout.dtype, layout.order, out, (outRow + r) * d);
    }
  }

  async rows(indices: ArrayLike<number>, options?: { validate?: boolean }): Promise<Float32Array> {
    assertOpen(this.closed, this.format);
    checkIndices(indices, this.n);
    const m = indices.length;
    const d = this.d;
    const out = new Float32Array(m * d);
    const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => indices[a]! - indices[b]!);
    const maxRun = Math.max(1, Math.floor(SAMPLE_RUN_BYTES / Math.max(1, this.layout.rowStride)));
    let i = 0;
    while (i < m) {
      const first = indices[order[i]!]!;
      let last = first;
      let j = i;
      // Extend the run over neighbouring (or repeated) rows so sorted samples read sequentially.
      while (j + 1 < m) {
        const next = indices[order[j + 1]!]!;
        if (next - last > 1 || next - first + 1 > maxRun) break;
        last = next;
        j++;
      }
      const count = last - first + 1;
      const block = new Float32Array(count * d);
      await this.readRows(first, count, block, 0);
      for (let k = i; k <= j; k++) {
        const slot = order[k]!;
        const local = indices[slot]! - first;
        out.set(block.subarray(local * d, (local + 1) * d), slot * d);
      }
      i = j + 1;
    }
    if (options?.validate ?? this.defaultValidate) checkFinite(out, d, 0, indices);
    return out;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.bytes.close();
  }
}
