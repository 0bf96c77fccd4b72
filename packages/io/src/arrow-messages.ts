/**
 * Structural checks of Arrow IPC message metadata before apache-arrow decodes it. apache-arrow
 * trusts flatbuffer vector lengths and row counts: a corrupted count makes it allocate arrays of
 * billions of entries (heap exhaustion) or loop on one block. Every message of a stream (or of a
 * file's embedded stream, plus the footer schema) is walked here with bounds checks first.
 */
import { ByteBuffer } from 'flatbuffers';
import { Message as FbMessage } from 'apache-arrow/fb/message';
import { MessageHeader } from 'apache-arrow/fb/message-header';
import { RecordBatch as FbRecordBatch } from 'apache-arrow/fb/record-batch';
import { DictionaryBatch as FbDictionaryBatch } from 'apache-arrow/fb/dictionary-batch';
import { Schema as FbSchema } from 'apache-arrow/fb/schema';
import { Field as FbField } from 'apache-arrow/fb/field';
import { Footer as FbFooter } from 'apache-arrow/fb/footer';
import { formatError } from './errors.js';

/** Reads `len` bytes at `pos` (throws a coded error past the end). */
export type ReadAt = (pos: number, len: number) => Promise<Uint8Array>;

const MAX_DEPTH = 32;

function bad(why: string): never {
  throw formatError(`arrow: corrupt IPC metadata (${why})`);
}

/** Vector lengths must fit the buffer they live in. */
function fits(count: number, elemBytes: number, bufLen: number, what: string): void {
  if (!(count >= 0) || count * elemBytes > bufLen) bad(`${what} declares ${count} entries in ${bufLen} bytes`);
}

function checkField(f: FbField, len: number, depth: number, budget: { fields: number }): void {
  if (depth > MAX_DEPTH) bad('schema nested too deep');
  if (--budget.fields < 0) bad('too many schema fields');
  fits(f.childrenLength(), 4, len, 'field children');
  fits(f.customMetadataLength(), 4, len, 'field metadata');
  for (let i = 0; i < f.childrenLength(); i++) {
    const c = f.children(i);
    if (!c) bad('missing child field');
    checkField(c, len, depth + 1, budget);
  }
}

/** Check a Schema table. */
export function checkSchema(s: FbSchema | null, len: number): void {
  if (!s) bad('missing schema');
  fits(s.fieldsLength(), 4, len, 'schema fields');
  fits(s.customMetadataLength(), 4, len, 'schema metadata');
  fits(s.featuresLength(), 8, len, 'schema features');
  const budget = { fields: Math.floor(len / 4) };
  for (let i = 0; i < s.fieldsLength(); i++) {
    const f = s.fields(i);
    if (!f) bad('missing field');
    checkField(f, len, 0, budget);
  }
}

function checkBatch(rb: FbRecordBatch | null, len: number, bodyLength: number): void {
  if (!rb) bad('missing record batch header');
  fits(rb.nodesLength(), 16, len, 'field nodes');
  fits(rb.buffersLength(), 16, len, 'buffers');
  fits(rb.variadicBufferCountsLength(), 8, len, 'variadic buffer counts');
  // Every supported column spends at least one bit per row, so rows beyond 8x the body are a lie
  // (and apache-arrow would allocate validity bitmaps for them).
  const maxRows = Math.max(64, bodyLength * 8);
  const rows = Number(rb.length());
  if (!(rows >= 0) || rows > maxRows) bad(`record batch declares ${rows} rows for a ${bodyLength}-byte body`);
  for (let i = 0; i < rb.nodesLength(); i++) {
    const n = rb.nodes(i);
    const nl = Number(n?.length());
    const nn = Number(n?.nullCount());
    if (!(nl >= 0) || nl > maxRows || !(nn >= 0) || nn > nl) bad(`field node ${i} declares ${nl} values`);
  }
  for (let i = 0; i < rb.buffersLength(); i++) {
    const b = rb.buffers(i);
    const off = Number(b?.offset());
    const bl = Number(b?.length());
    if (!(off >= 0) || !(bl >= 0) || off + bl > bodyLength) bad(`buffer ${i} runs outside the message body`);
  }
}

/** Check one message's metadata flatbuffer; returns its header type and body length. */
export function checkMessage(meta: Uint8Array): { type: MessageHeader; bodyLength: number } {
  const bb = new ByteBuffer(meta);
  if (meta.length < 8) bad('message metadata too short');
  const root = bb.readInt32(0);
  if (root < 4 || root > meta.length - 4) bad('message root offset');
  const m = FbMessage.getRootAsMessage(bb);
  const type = m.headerType();
  const bodyLength = Number(m.bodyLength());
  if (!(bodyLength >= 0)) bad('negative body length');
  fits(m.customMetadataLength(), 4, meta.length, 'message metadata');
  if (type === MessageHeader.Schema) checkSchema(m.header(new FbSchema()) as FbSchema | null, meta.length);
  else if (type === MessageHeader.RecordBatch) checkBatch(m.header(new FbRecordBatch()) as FbRecordBatch | null, meta.length, bodyLength);
  else if (type === MessageHeader.DictionaryBatch) {
    const db = m.header(new FbDictionaryBatch()) as FbDictionaryBatch | null;
    checkBatch(db?.data() ?? null, meta.length, bodyLength);
  } else bad(`unsupported message type ${type}`);
  return { type, bodyLength };
}

/** Walk the messages of an IPC stream occupying `[start, end)`. */
export async function checkStream(read: ReadAt, start: number, end: number): Promise<void> {
  let pos = start;
  while (pos + 4 <= end) {
    let head = await read(pos, 4);
    let len = new DataView(head.buffer, head.byteOffset, 4).getInt32(0, true);
    let metaStart = pos + 4;
    if (len === -1) {
      if (pos + 8 > end) bad('truncated message prefix');
      head = await read(pos + 4, 4);
      len = new DataView(head.buffer, head.byteOffset, 4).getInt32(0, true);
      metaStart = pos + 8;
    }
    if (len === 0) return;
    if (len < 0 || metaStart + len > end) bad(`message of ${len} bytes at ${pos} runs past the end`);
    const { bodyLength } = checkMessage(await read(metaStart, len));
    pos = metaStart + len + bodyLength;
    if (pos > end) bad(`message body at ${metaStart + len} runs past the end`);
  }
}

/** Check the footer's schema table (the file reader takes the schema from there). */
export function checkFooterSchema(footer: Uint8Array): void {
  const bb = new ByteBuffer(footer);
  const root = footer.length >= 4 ? bb.readInt32(0) : -1;
  if (root < 4 || root > footer.length - 4) bad('footer root offset');
  checkSchema(FbFooter.getRootAsFooter(bb).schema(new FbSchema()), footer.length);
}
