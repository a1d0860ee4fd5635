// Fetch responses (versions 4 to 11, all that kafkajs speaks from 4 up) decoded into record batches
// instead of records. kafkajs keeps doing everything else (groups, heartbeats, offsets, errors,
// SASL, TLS); our patch to it (patches/kafkajs+2.2.4.patch) only lets a consumer hand it this
// decoder. What kafkajs's consumer then sees per partition is one entry per record batch, shaped
// like a message (`offset` is the batch's last offset), which is all its bookkeeping reads: it
// resolves and commits past control batches and aborted transactions as it does for records.
//
// What this decoder decides, as Kafka's Java consumer does (Fetcher, CompletedFetch):
// - read-committed: a transactional batch whose producer has an aborted transaction open at that
//   point is dropped, the abort marker closes it; the broker lists the aborted transactions;
// - control batches (transaction markers) are dropped;
// - a batch cut off at the end of the response (the broker fills up to the byte limit) is left
//   for the next fetch;
// - old message formats (v0 and v1, magic below 2) go to kafkajs's own decoder; a response that
//   switches format midway is cut at the switch, and the next fetch starts there.
import { createRequire } from "node:module";
import type { KafkaMessage } from "kafkajs";
import { logOverhead, RecordBatch, RecordBatchError } from "./record-batch.js";

const require = createRequire(import.meta.url);
type KafkajsDecoder = new (buffer: Buffer) => unknown;
const KafkajsDecoder = require("kafkajs/src/protocol/decoder") as KafkajsDecoder;
const decodeKafkajsMessages = require("kafkajs/src/protocol/requests/fetch/v4/decodeMessages") as (decoder: unknown) => Promise<KafkaMessage[]>;

/**
 * What kafkajs's consumer reads of a fetched record batch (`offset`: its last); `recordBatch` is
 * what the exporter reads. Control batches and aborted ones are marked as control records, which
 * kafkajs keeps out of `batch.messages` but counts when it resolves offsets past them.
 */
export type BatchEntry = { offset: string; key: null } & (
  { isControlRecord: false; recordBatch: RecordBatch } | { isControlRecord: true; recordBatch?: undefined }
);

/**
 * An entry of `batch.messages` on a consumer with this decoder: a record batch, or (old formats) a
 * kafkajs message. Valid only while its `eachBatch` handler runs: an uncompressed batch is a view
 * of the fetch response, whose buffer the connection reuses two fetches later (patches/kafkajs,
 * ResponseRing). Copy what must outlive the handler (Batch.addEntry does).
 */
export type FetchedEntry = Extract<BatchEntry, { isControlRecord: false }> | KafkaMessage;

export const isBatchEntry = (entry: FetchedEntry): entry is Extract<BatchEntry, { isControlRecord: false }> => (entry as BatchEntry).recordBatch !== undefined;

interface PartitionData {
  partition: number;
  errorCode: number;
  highWatermark: string;
  lastStableOffset: string;
  lastStartOffset?: string;
  /** Already applied here; empty, so kafkajs's own (per-record) filter has nothing to do. */
  abortedTransactions: [];
  preferredReadReplica?: number;
  messages: BatchEntry[] | KafkaMessage[];
}

export interface FetchResponse {
  throttleTime: number;
  clientSideThrottleTime?: number;
  errorCode?: number;
  sessionId?: number;
  responses: { topicName: string; partitions: PartitionData[] }[];
}

interface AbortedTransaction {
  producerId: bigint;
  firstOffset: number;
}

const magicOffset = 16;

/** The consumer option's function: null for the versions kafkajs should decode itself. */
export async function decodeFetchResponse(apiVersion: number, raw: Buffer): Promise<FetchResponse | null> {
  if (apiVersion < 4 || apiVersion > 11) return null;
  const reader = new Reader(raw);
  const throttle = reader.int32();
  const head = apiVersion >= 7 ? { errorCode: reader.int16(), sessionId: reader.int32() } : {};
  const responses: FetchResponse["responses"] = [];
  for (let topics = reader.int32(); topics > 0; topics -= 1) {
    const topicName = reader.string();
    const partitions: PartitionData[] = [];
    for (let count = reader.int32(); count > 0; count -= 1) partitions.push(await readPartition(reader, apiVersion));
    responses.push({ topicName, partitions });
  }
  // From v8 on the broker leaves throttling to the client (kafkajs reports it so, too).
  const throttling = apiVersion >= 8 ? { throttleTime: 0, clientSideThrottleTime: throttle } : { throttleTime: throttle };
  return { ...throttling, ...head, responses };
}

async function readPartition(reader: Reader, apiVersion: number): Promise<PartitionData> {
  const partition = reader.int32();
  const errorCode = reader.int16();
  const highWatermark = String(reader.int64());
  const lastStableOffset = String(reader.int64());
  const logStart = apiVersion >= 5 ? { lastStartOffset: String(reader.int64()) } : {};
  const aborted: AbortedTransaction[] = [];
  for (let count = reader.int32(); count > 0; count -= 1) aborted.push({ producerId: reader.bigint64(), firstOffset: reader.int64() });
  const replica = apiVersion >= 11 ? { preferredReadReplica: reader.int32() } : {};
  const size = reader.int32();
  const records = size > 0 ? reader.bytes(size) : Buffer.alloc(0);
  const messages = await entriesOf(records, aborted);
  return { partition, errorCode, highWatermark, lastStableOffset, ...logStart, abortedTransactions: [], ...replica, messages };
}

async function entriesOf(records: Buffer, aborted: AbortedTransaction[]): Promise<BatchEntry[] | KafkaMessage[]> {
  if (records.length > magicOffset && records[magicOffset]! < 2) return oldFormatMessages(records);
  const pending = [...aborted].sort((a, b) => a.firstOffset - b.firstOffset);
  const open = new Set<bigint>();
  const entries: BatchEntry[] = [];
  for (let at = 0; at + logOverhead <= records.length;) {
    const end = at + logOverhead + records.readInt32BE(at + 8);
    if (end > records.length) break; // cut off by the response's byte limit: the next fetch has it whole
    if (records[at + magicOffset] !== 2) break; // the format changes here: the next fetch starts at it
    const batch = new RecordBatch(records.subarray(at, end));
    at = end;
    while (pending.length > 0 && pending[0]!.firstOffset <= batch.lastOffset) open.add(pending.shift()!.producerId);
    const dropped = batch.isControl || (batch.isTransactional && open.has(batch.producerId));
    if (batch.isControl && batch.isAbortMarker()) open.delete(batch.producerId);
    entries.push(
      dropped
        ? { offset: String(batch.lastOffset), isControlRecord: true, key: null }
        : { offset: String(batch.lastOffset), isControlRecord: false, key: null, recordBatch: batch },
    );
  }
  return entries;
}

/** Message formats v0 and v1 (brokers before 0.11, or logs they wrote): kafkajs's own decoder, which has no headers to lose. */
async function oldFormatMessages(records: Buffer): Promise<KafkaMessage[]> {
  const sized = Buffer.allocUnsafe(4 + records.length);
  sized.writeInt32BE(records.length, 0);
  records.copy(sized, 4);
  return decodeKafkajsMessages(new KafkajsDecoder(sized));
}

class Reader {
  private at = 0;
  constructor(private readonly buffer: Buffer) {}

  private need(bytes: number): number {
    const start = this.at;
    if (start + bytes > this.buffer.length) throw new RecordBatchError(`a fetch response ends after ${this.buffer.length} bytes, inside a field at ${start}`);
    this.at += bytes;
    return start;
  }

  int16(): number {
    return this.buffer.readInt16BE(this.need(2));
  }

  int32(): number {
    return this.buffer.readInt32BE(this.need(4));
  }

  int64(): number {
    const at = this.need(8);
    return this.buffer.readInt32BE(at) * 0x1_0000_0000 + this.buffer.readUInt32BE(at + 4);
  }

  bigint64(): bigint {
    return this.buffer.readBigInt64BE(this.need(8));
  }

  string(): string {
    const length = this.int16();
    const at = this.need(length);
    return this.buffer.toString("utf8", at, at + length);
  }

  bytes(length: number): Buffer {
    const at = this.need(length);
    return this.buffer.subarray(at, at + length);
  }
}
