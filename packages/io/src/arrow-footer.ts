/**
 * A bounds check of an Arrow IPC *file* footer before apache-arrow sees it. apache-arrow trusts
 * the footer's block list: a corrupted count or offset makes it loop for minutes re-reading the
 * same bytes. Parsing the few flatbuffer fields involved by hand (Footer.dictionaries = field 2,
 * Footer.recordBatches = field 3, each a vector of 24-byte Block structs) lets a lying footer
 * fail fast with `CLOSTERA_FORMAT`.
 */
import { MessageHeader } from 'apache-arrow';
import { checkFooterSchema, checkMessage, checkStream, type ReadAt } from './arrow-messages.js';
import { formatError } from './errors.js';

/** One Block of the footer: where a dictionary or record batch message sits. */
export interface ArrowBlock {
  /** 'dictionary' (footer field 2) or 'batch' (field 3). */
  kind: 'dictionary' | 'batch';
  /** Byte offset of the message. */
  offset: number;
  /** Length of the message metadata (prefix included). */
  metaDataLength: number;
  /** Length of the message body. */
  bodyLength: number;
}

const MAGIC_TAIL = 'ARROW1';

/**
 * Throw `CLOSTERA_FORMAT` unless `tail` (the last bytes of a file of `fileSize` bytes) holds a
 * sane footer; return its blocks.
 */
export function checkArrowFooter(tail: Uint8Array, fileSize: number): ArrowBlock[] {
  const blocks: ArrowBlock[] = [];
  const fail = (why: string): never => {
    throw formatError(`arrow: corrupt IPC file footer (${why})`);
  };
  if (fileSize < 18 || tail.length < 10) fail('file too short');
  const end = tail.length;
  if (String.fromCharCode(...tail.subarray(end - 6)) !== MAGIC_TAIL) fail('missing trailing ARROW1 magic');
  const dv = new DataView(tail.buffer, tail.byteOffset, tail.length);
  const footerLen = dv.getInt32(end - 10, true);
  if (footerLen <= 0 || footerLen > fileSize - 18 || footerLen > end - 10) fail(`footer length ${footerLen}`);
  const base = end - 10 - footerLen;
  const footerStart = fileSize - 10 - footerLen;
  const u32 = (at: number): number => {
    if (at < base || at + 4 > base + footerLen) fail('offset outside the footer');
    return dv.getUint32(at, true);
  };
  const table = base + u32(base);
  const vtable = table - dv.getInt32(table < base || table + 4 > base + footerLen ? fail('root offset') : table, true);
  if (vtable < base || vtable + 4 > base + footerLen) fail('vtable outside the footer');
  const vtSize = dv.getUint16(vtable, true);
  for (const field of [2, 3]) {
    const slot = 4 + field * 2;
    if (slot + 2 > vtSize) continue;
    if (vtable + slot + 2 > base + footerLen) fail('vtable truncated');
    const rel = dv.getUint16(vtable + slot, true);
    if (rel === 0) continue;
    const ref = table + rel;
    const vec = ref + u32(ref);
    const count = u32(vec);
    if (count * 24 > footerLen) fail(`${count} blocks cannot fit a ${footerLen}-byte footer`);
    for (let i = 0; i < count; i++) {
      const b = vec + 4 + i * 24;
      if (b + 24 > base + footerLen) fail('block list truncated');
      const offset = Number(dv.getBigInt64(b, true));
      const meta = dv.getInt32(b + 8, true);
      const body = Number(dv.getBigInt64(b + 16, true));
      if (offset < 8 || meta <= 0 || body < 0 || offset + meta + body > footerStart) {
        fail(`block ${i} [${offset}, +${meta}, +${body}] runs outside the data`);
      }
      blocks.push({ kind: field === 2 ? 'dictionary' : 'batch', offset, metaDataLength: meta, bodyLength: body });
    }
  }
  return blocks;
}

/** Read a block's message, check its structure and that it is the type the footer says. */
async function checkBlock(read: ReadAt, block: ArrowBlock): Promise<void> {
  const want = block.kind === 'batch' ? MessageHeader.RecordBatch : MessageHeader.DictionaryBatch;
  const prefix = await read(block.offset, Math.min(8, block.metaDataLength));
  const dv = new DataView(prefix.buffer, prefix.byteOffset, prefix.length);
  const cont = prefix.length >= 8 && dv.getInt32(0, true) === -1;
  const len = prefix.length >= 4 ? dv.getInt32(cont ? 4 : 0, true) : -1;
  const metaStart = block.offset + (cont ? 8 : 4);
  if (len <= 0 || metaStart + len > block.offset + block.metaDataLength) {
    throw formatError(`arrow: the ${block.kind} block at byte ${block.offset} has a bad message prefix`, { actual: len });
  }
  const { type } = checkMessage(await read(metaStart, len));
  if (type !== want) {
    throw formatError(`arrow: the ${block.kind} block at byte ${block.offset} holds a ${MessageHeader[type] ?? type} message`, {
      expected: MessageHeader[want],
      actual: MessageHeader[type] ?? type,
    });
  }
}

/**
 * Validate an Arrow IPC file or stream of `size` bytes before apache-arrow reads it: footer,
 * footer schema, every block's message and every message of the embedded stream.
 */
export async function validateIpc(read: ReadAt, size: number, format: 'arrow-file' | 'arrow-stream'): Promise<void> {
  if (format === 'arrow-stream') return checkStream(read, 0, size);
  const tailLen = Math.min(size, 1 << 24);
  const tail = await read(size - tailLen, tailLen);
  const blocks = checkArrowFooter(tail, size);
  const footerLen = new DataView(tail.buffer, tail.byteOffset, tail.length).getInt32(tail.length - 10, true);
  checkFooterSchema(tail.subarray(tail.length - 10 - footerLen, tail.length - 10));
  for (const block of blocks) await checkBlock(read, block);
  await checkStream(read, 8, size - 10 - footerLen);
}
