// Kafka's record batches (message format v2) read straight from the bytes of a fetch response,
// without building an object per record. kafkajs decodes every record into an object with
// string offsets, sliced Buffers and a header object: 1.7 µs of its own per event, more than
// everything else an exporter does. Here a batch is its header's fields and a view of its records'
// bytes, and `forEachRecord` walks them with one reused cursor; only the rare record that needs
// more (an envelope line, an invalid one) becomes a `KafkaRecord`.
//
// Layout (https://kafka.apache.org/documentation/#recordbatch), offsets from the batch's start:
//   0 baseOffset int64 · 8 batchLength int32 · 12 partitionLeaderEpoch int32 · 16 magic int8 ·
//   17 crc uint32 · 21 attributes int16 · 23 lastOffsetDelta int32 · 27 baseTimestamp int64 ·
//   35 maxTimestamp int64 · 43 producerId int64 · 51 producerEpoch int16 · 53 baseSequence int32 ·
//   57 recordCount int32 · 61 records
// Each record: length varint · attributes int8 · timestampDelta varlong · offsetDelta varint ·
//   key varint-length bytes (-1: null) · value likewise · header count varint, then per header a
//   varint-length UTF-8 key and varint-length bytes value.
import { codecNames, decompressRecords, type CodecName } from "./codecs.js";
import { freeBuffer } from "../free-buffer.js";
import type { KafkaRecord, RecordHeader } from "../exporters/lines/records.js";

export const recordBatchOverhead = 61;
/** The bytes before the batch length counts from (baseOffset and the length itself). */
export const logOverhead = 12;

const timestampTypeFlag = 0x08;
const transactionalFlag = 0x10;
const controlFlag = 0x20;

/** A malformed batch: the broker's bytes do not parse. Not transient; a person must look. */
export class RecordBatchError extends Error {
  override name = "RecordBatchError";
}

export class RecordBatch {
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly attributes: number;
  readonly baseTimestamp: number;
  readonly maxTimestamp: number;
  readonly producerId: bigint;
  readonly recordCount: number;
  private decompressed?: Buffer;

  /** `bytes` holds exactly one whole batch, from its baseOffset to its last record. */
  constructor(private readonly bytes: Buffer) {
    if (bytes.length < recordBatchOverhead)
      throw new RecordBatchError(`a record batch of ${bytes.length} bytes is shorter than its ${recordBatchOverhead}-byte header`);
    this.baseOffset = int64(bytes, 0);
    this.attributes = bytes.readInt16BE(21);
    this.lastOffset = this.baseOffset + bytes.readInt32BE(23);
    this.baseTimestamp = int64(bytes, 27);
    this.maxTimestamp = int64(bytes, 35);
    this.producerId = bytes.readBigInt64BE(43);
    this.recordCount = bytes.readInt32BE(57);
  }

  get codec(): CodecName {
    const codec = codecNames[this.attributes & 0x07];
    if (!codec) throw new RecordBatchError(`unknown compression codec ${this.attributes & 0x07} in the batch at offset ${this.baseOffset}`);
    return codec;
  }

  get isTransactional(): boolean {
    return (this.attributes & transactionalFlag) !== 0;
  }

  get isControl(): boolean {
    return (this.attributes & controlFlag) !== 0;
  }

  /** LogAppendTime: every record's timestamp is the batch's max timestamp (the broker's clock). */
  get logAppendTime(): boolean {
    return (this.attributes & timestampTypeFlag) !== 0;
  }

  /** The records' bytes, decompressed once. */
  records(): Buffer {
    if (!this.decompressed) {
      const body = this.bytes.subarray(recordBatchOverhead);
      const codec = this.codec;
      this.decompressed = codec === "none" ? body : decompressRecords(codec, body);
    }
    return this.decompressed;
  }

  /** Lets the decompressed records go, their memory at once (records() decompresses again if asked). */
  releaseRecords(): void {
    if (this.decompressed && this.codec !== "none") freeBuffer(this.decompressed);
    this.decompressed = undefined;
  }

  /** A control batch's marker: its one record's key is version int16 then type int16 (0 abort, 1 commit). */
  isAbortMarker(): boolean {
    if (!this.isControl) return false;
    let found = false;
    forEachRecord(this, 0, (record) => {
      found = record.keyLength >= 4 && record.buffer.readInt16BE(record.keyStart + 2) === 0;
      return false;
    });
    return found;
  }
}

/**
 * One record, as positions into `buffer` (the batch's decompressed records); valid only inside
 * the visitor it is handed to, which `forEachRecord` reuses for the next record.
 */
export interface RecordView {
  buffer: Buffer;
  offset: number;
  timestamp: number;
  keyStart: number;
  /** -1: a null key. */
  keyLength: number;
  valueStart: number;
  /** -1: a null value (a tombstone). */
  valueLength: number;
  headersStart: number;
  headerCount: number;
}

/**
 * Calls `visit` with each record at `from` or later, in offset order, until it returns false.
 * Records before `from` are there when a compressed batch began before the fetch offset.
 */
export function forEachRecord(batch: RecordBatch, from: number, visit: (record: RecordView) => boolean | void): void {
  const buffer = batch.records();
  const record = emptyView(buffer);
  let at = 0;
  for (let index = 0; index < batch.recordCount; index += 1) {
    at = readRecord(batch, at, index, record);
    if (record.offset >= from && visit(record) === false) return;
  }
}

/** The record of `batch` whose bytes start at `at` (the `index`th); `end` is where the next one starts. */
export function recordAt(batch: RecordBatch, at: number, index: number): { record: RecordView; end: number } {
  const record = emptyView(batch.records());
  return { record, end: readRecord(batch, at, index, record) };
}

const emptyView = (buffer: Buffer): RecordView => ({
  buffer,
  offset: 0,
  timestamp: 0,
  keyStart: 0,
  keyLength: -1,
  valueStart: 0,
  valueLength: -1,
  headersStart: 0,
  headerCount: 0,
});

/** Reads the record at `at` into `record`; returns where the next one starts. */
function readRecord(batch: RecordBatch, at: number, index: number, record: RecordView): number {
  const { buffer } = record;
  const cursor = new VarintCursor(buffer, at);
  const length = cursor.varint();
  const end = cursor.at + length;
  if (length < 0 || end > buffer.length) throw new RecordBatchError(`record ${index} of the batch at offset ${batch.baseOffset} runs past the batch's end`);
  cursor.at += 1; // attributes: unused in v2
  const timestampDelta = cursor.varlong();
  record.offset = batch.baseOffset + cursor.varint();
  record.timestamp = batch.logAppendTime ? batch.maxTimestamp : batch.baseTimestamp + timestampDelta;
  record.keyLength = cursor.varint();
  record.keyStart = cursor.at;
  if (record.keyLength > 0) cursor.at += record.keyLength;
  record.valueLength = cursor.varint();
  record.valueStart = cursor.at;
  if (record.valueLength > 0) cursor.at += record.valueLength;
  record.headerCount = cursor.varint();
  record.headersStart = cursor.at;
  return end;
}

export const keyOf = (record: RecordView): Buffer | null =>
  record.keyLength < 0 ? null : record.buffer.subarray(record.keyStart, record.keyStart + record.keyLength);
export const valueOf = (record: RecordView): Buffer | null =>
  record.valueLength < 0 ? null : record.buffer.subarray(record.valueStart, record.valueStart + record.valueLength);

export function headersOf(record: RecordView): RecordHeader[] {
  const cursor = new VarintCursor(record.buffer, record.headersStart);
  const headers: RecordHeader[] = [];
  for (let index = 0; index < record.headerCount; index += 1) {
    const keyLength = cursor.varint();
    const key = record.buffer.toString("utf8", cursor.at, cursor.at + keyLength);
    cursor.at += keyLength;
    const valueLength = cursor.varint();
    headers.push({ key, value: valueLength < 0 ? null : record.buffer.subarray(cursor.at, cursor.at + valueLength) });
    if (valueLength > 0) cursor.at += valueLength;
  }
  return headers;
}

/** The record as an object, for the lines that need more than the value's bytes. Its Buffers are views of the batch. */
export function kafkaRecordOf(partition: number, record: RecordView): KafkaRecord {
  return {
    partition,
    offset: String(record.offset),
    timestamp: String(record.timestamp),
    key: keyOf(record),
    value: valueOf(record),
    headers: record.headerCount === 0 ? [] : headersOf(record),
  };
}

/** int64 as a Number: offsets and millisecond timestamps stay far below 2^53. */
function int64(buffer: Buffer, at: number): number {
  return buffer.readInt32BE(at) * 0x1_0000_0000 + buffer.readUInt32BE(at + 4);
}

/** Zigzag varints (Protocol Buffers' encoding, as Kafka uses it). */
class VarintCursor {
  constructor(
    private readonly buffer: Buffer,
    public at = 0,
  ) {}

  varint(): number {
    let result = 0;
    let shift = 0;
    let byte: number;
    do {
      if (shift > 28) throw new RecordBatchError("a varint longer than 5 bytes");
      byte = this.buffer[this.at++]!;
      if (byte === undefined) throw new RecordBatchError("a varint runs past the batch's end");
      result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return (result >>> 1) ^ -(result & 1);
  }

  /** Up to 64 bits, in Number arithmetic: exact while the value stays within ±2^53. */
  varlong(): number {
    let result = 0;
    let scale = 1;
    let byte: number;
    let length = 0;
    do {
      if (length++ > 9) throw new RecordBatchError("a varlong longer than 10 bytes");
      byte = this.buffer[this.at++]!;
      if (byte === undefined) throw new RecordBatchError("a varlong runs past the batch's end");
      result += (byte & 0x7f) * scale;
      scale *= 128;
    } while (byte & 0x80);
    // Zigzag: even values are non-negative, odd ones negative.
    return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
  }
}
