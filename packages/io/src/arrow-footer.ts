/**
 * A bounds check of an Arrow IPC *file* footer before apache-arrow sees it. apache-arrow trusts
 * the footer's block list: a corrupted count or offset makes it loop for minutes re-reading the
 * same bytes. Parsing the few flatbuffer fields involved by hand (Footer.dictionaries = field 2,
 * Footer.recordBatches = field 3, each a vector of 24-byte Block structs) lets a lying footer
 * fail fast with `CLOSTERA_FORMAT`.
 */
import { MessageHeader, MessageReader } from 'apache-arrow';
import { formatError, toCoded } from './errors.js';

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

/**
 * Check the message a block points to has the type the footer says. apache-arrow re-reads a
 * record-batch block forever when it holds another message type, so this must pass first.
 */
export function checkBlockMessage(block: ArrowBlock, metadata: Uint8Array): void {
  const want = block.kind === 'batch' ? MessageHeader.RecordBatch : MessageHeader.DictionaryBatch;
  let type: MessageHeader | undefined;
  try {
    type = new MessageReader(metadata).readMessage()?.headerType;
  } catch (err) {
    throw toCoded(err, `arrow: unreadable message at byte ${block.offset}`);
  }
  if (type !== want) {
    throw formatError(`arrow: the ${block.kind} block at byte ${block.offset} holds a ${type === undefined ? 'missing' : MessageHeader[type]} message`, {
      expected: MessageHeader[want],
      actual: type === undefined ? 'none' : MessageHeader[type],
    });
  }
}
