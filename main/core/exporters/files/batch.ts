// One batch being gathered: per partition, the offset range and the lines. Files list partitions
// in ascending order and each partition's lines in offset order, so the same offset ranges
// always give the same bytes. Lines are copied into the batch's own chunks as they arrive: a
// message's bytes are a slice of kafkajs's whole fetch response, and keeping slices would keep
// every response alive until the file is cut.
import { isBatchEntry, type FetchedEntry } from "../../streams/fetch-response.js";
import { forEachRecord, kafkaRecordOf, recordAt, type RecordBatch, type RecordView } from "../../streams/record-batch.js";
import { gatherKernels, type GatherKernel } from "../lines/gather-kernel.js";
import { defaultLineFormat, isValueOnly, lineOf, lineRules, type EventGroup, type Line, type LineCheck, type LineFormat } from "../lines/line-format.js";
import { recordOf, type KafkaRecord } from "../lines/records.js";
import { wireSchemaIds, type WireDecoder } from "../lines/wire-decoding.js";
import { memorySink, memorySpills, type BodyLines, type BodySink, type Spill, type SpillTarget } from "./spills-and-sinks.js";
import type { OffsetRange } from "../../../../common/stored-files.js";

export type { EventGroup, LineCheck, OffsetRange, SpillTarget };

/**
 * Chunks of released batches, for the next ones. A worker's batches come and go every few
 * seconds; fresh chunks each time would leave the old ones for a full garbage collection to
 * free (they live long enough to be tenured), and the process's memory would grow by whole
 * batches before one runs. A cap keeps a peak from being held forever.
 */
const chunkBytes = 256 * 1024;
const chunkPool: Buffer[] = [];
const maxPooledChunks = 96;

function pool(chunk: Buffer): void {
  if (chunk.length === chunkBytes && chunkPool.length < maxPooledChunks) chunkPool.push(chunk);
}

/**
 * A part's first chunk: small, each next one twice as big up to `chunkBytes`, so the many parts a
 * batch may hold (each partition's `-invalid` lines, and each writer schema's events) cost about
 * what they hold rather than a whole chunk each (128 partitions × 4 schemas would be 128 MiB).
 */
const firstChunkBytes = 4 * 1024;

/** Newline-terminated lines, appended into chunks growing to 256 KiB (a bigger line gets its own); full chunks are spilled. */
class Lines implements BodyLines {
  private spill?: Spill;
  private current?: Buffer;
  private used = 0;
  private nextChunk = firstChunkBytes;
  /** A body took the lines where they lie: they hold nothing more until released. */
  private handedOver = false;
  count = 0;

  constructor(readonly spillTarget: SpillTarget) {}

  /** The current chunk is full: spilled, and back to the pool. */
  private close(): void {
    if (!this.current) return;
    this.spill ??= this.spillTarget.open();
    this.spill.append(this.current.subarray(0, this.used));
    pool(this.current);
    this.current = undefined;
  }

  /** The line and a newline. */
  append(line: Buffer): void {
    const length = line.length;
    if (!this.current || this.used + length + 1 > this.current.length) {
      this.close();
      this.current = this.chunkFor(length + 1);
      this.used = 0;
    }
    line.copy(this.current, this.used);
    this.current[this.used + length] = 0x0a;
    this.used += length + 1;
    this.count += 1;
  }

  /** A chunk for at least `bytes`: the next size of the part's growth, a pooled one once they are whole. */
  private chunkFor(bytes: number): Buffer {
    const size = Math.max(bytes, this.nextChunk);
    this.nextChunk = Math.min(chunkBytes, this.nextChunk * 2);
    return size === chunkBytes ? (chunkPool.pop() ?? Buffer.allocUnsafe(chunkBytes)) : Buffer.allocUnsafe(size);
  }

  /** Whole lines, newlines included, `lines` of them: filling chunks to the brim (files join chunks as they are). */
  appendBlock(block: Buffer, lines: number): void {
    for (let from = 0; from < block.length;) {
      if (!this.current || this.used === this.current.length) {
        this.close();
        this.current = chunkPool.pop() ?? Buffer.allocUnsafe(chunkBytes);
        this.used = 0;
      }
      const copied = block.copy(this.current, this.used, from, Math.min(block.length, from + this.current.length - this.used));
      this.used += copied;
      from += copied;
    }
    this.count += lines;
  }

  get bytes(): number {
    return (this.spill?.length ?? 0) + this.used;
  }

  /** The lines' bytes, in order; each piece is valid only until the next is asked for. */
  *pieces(): Generator<Buffer> {
    if (this.handedOver) throw new Error("a batch's lines were asked for again after a body took them");
    if (this.spill) yield* this.spill.pieces();
    if (this.current && this.used > 0) yield this.current.subarray(0, this.used);
  }

  /** See BodyLines: a body takes the lines where they lie, and the spool releases the spill once the body is stored. */
  handOver(): Spill | Buffer | undefined {
    if (this.handedOver) throw new Error("a batch's lines were asked for again after a body took them");
    if (!this.spill) {
      this.handedOver = true;
      return this.used > 0 ? this.current!.subarray(0, this.used) : undefined;
    }
    this.close();
    const spill = this.spill;
    this.spill = undefined;
    this.used = 0;
    this.handedOver = true;
    return spill;
  }

  /** Hands the chunks back to the pool and the spill back to the spool; the lines are gone. */
  release(): void {
    if (this.current) pool(this.current);
    this.spill?.release();
    this.spill = undefined;
    this.current = undefined;
    this.used = 0;
    this.nextChunk = firstChunkBytes;
    this.handedOver = false;
  }
}

interface PartitionLines {
  first: number;
  last: number;
  events: Lines;
  /** Events of groups stored as parts of their own (a Parquet file per writer schema), by name. */
  groups?: Map<string, GroupLines>;
  invalid: Lines;
  skipped: number;
}

interface GroupLines {
  group: EventGroup;
  lines: Lines;
}

/** A group's events in a file's content. */
export interface GroupContent<Body> {
  group: EventGroup;
  body: Body;
  count: number;
}

export interface BatchContent<Body = Buffer> {
  ranges: OffsetRange[];
  /** The `.jsonl` body, absent when the batch has no events. */
  events?: Body;
  invalid?: Body;
  /**
   * The events of each group, in order of their names: one part each. Within a group, lines
   * keep the file's order (partitions ascending, offsets ascending), so the same ranges give the
   * same groups and the same bytes.
   */
  groups?: Array<GroupContent<Body>>;
  /** Every event, the groups' too. */
  eventCount: number;
  invalidCount: number;
  /** Records the format writes nothing for (skipped tombstones); their offsets are in the ranges all the same. */
  skippedCount: number;
}

/** Which of a fetched entry's records to add, and when to stop because the batch is full. */
export interface EntrySpan {
  /** The first offset to add (earlier ones were fetched again, or precede the fetch offset). */
  from: number;
  /** The last offset to add; default: all. */
  through?: number;
  /** Stop once the batch holds this many bytes; default: never. */
  maxBytes?: number;
}

export class Batch {
  private readonly partitions = new Map<number, PartitionLines>();
  private byteCount = 0;
  private messageCount = 0;
  private readonly valueOnly: boolean;

  constructor(
    private readonly format: LineFormat = defaultLineFormat,
    private readonly topic = "",
    /** Where full chunks go: the worker's spool; by default, copies in memory. */
    private readonly spill: SpillTarget = memorySpills,
    /** The line rules (line-format.ts): a re-created file keeps its intent's. */
    private readonly rules = lineRules,
    /** Wire-format keys and values decoded (a shape's `decode: "registry"`); absent: kept as bytes. */
    private readonly decoder?: WireDecoder,
    /** What else an event's line must be (a Parquet file's columns); absent: any event line. */
    private readonly check?: LineCheck,
  ) {
    // The kernel copies lines without looking at them: a batch that checks each line takes the general path.
    this.valueOnly = isValueOnly(format.fields) && check === undefined;
  }

  /** Makes ready what adding `entry` from offset `from` on needs: the schemas its wire-format keys and values name. */
  async prepare(entry: FetchedEntry, from: number): Promise<void> {
    if (this.decoder) await this.decoder.prepare(wireSchemaIds(entry, from, this.format.fields.includes("key")));
  }

  add(record: KafkaRecord): void {
    this.addLine(this.linesAt(record.partition, Number(record.offset)), lineOf(record, this.format, this.topic, this.rules, this.decoder, this.check));
  }

  /**
   * Adds the records of a fetched entry (a record batch, or an old-format message) within `span`;
   * when the batch decodes, `prepare` must have made the entry ready first.
   * Returns the offset of the last record added if that filled the batch (the rest of the entry
   * is for the next batch: call again from the offset after it), else undefined.
   */
  addEntry(partition: number, entry: FetchedEntry, span: EntrySpan): number | undefined {
    const through = span.through ?? Infinity;
    const maxBytes = span.maxBytes ?? Infinity;
    if (!isBatchEntry(entry)) {
      const offset = Number(entry.offset);
      if (offset < span.from || offset > through) return undefined;
      this.add(recordOf(partition, entry));
      return this.byteCount >= maxBytes ? offset : undefined;
    }
    const stoppedAt = this.valueOnly
      ? gatherKernels.use((kernel) => this.gatherValues(kernel, partition, entry.recordBatch, span.from, through, maxBytes))
      : this.gatherViews(partition, entry.recordBatch, span.from, through, maxBytes);
    // Done with the entry: its decompressed records go now, not with the whole fetch response,
    // which keeps every entry until the last partition's batch is handled (a 2 MiB fetch of a
    // zstd topic is tens of MiB decompressed). Only when done: a caller that goes on with the
    // rest of the entry after a cut (an await) must find them still here, since decompressing
    // again would read the entry's bytes from a fetch buffer that may hold a later fetch by then.
    if (stoppedAt === undefined) entry.recordBatch.releaseRecords();
    return stoppedAt;
  }

  private gatherViews(partition: number, batch: RecordBatch, from: number, through: number, maxBytes: number): number | undefined {
    let stoppedAt: number | undefined;
    forEachRecord(batch, from, (record) => {
      if (record.offset > through) return false;
      this.addView(partition, record);
      if (this.byteCount < maxBytes) return true;
      stoppedAt = record.offset;
      return false;
    });
    return stoppedAt;
  }

  /**
   * The hot path for the default line format, in WebAssembly (gather-kernel.wat): the kernel
   * copies each event that is already its line; a record it leaves (a tombstone, an invalid
   * value, JSON to minify) goes through addView, and the kernel resumes after it. The same
   * contract as addEntry.
   */
  private gatherValues(kernel: GatherKernel, partition: number, batch: RecordBatch, from: number, through: number, maxBytes: number): number | undefined {
    kernel.load(batch.records(), batch.recordCount);
    const base = batch.baseOffset;
    const delta = (offset: number) => Math.max(-1, Math.min(0x7fff_ffff, offset - base));
    const [fromDelta, throughDelta] = [delta(from), delta(through)];
    for (let at = 0, index = 0; ;) {
      const limit = Math.min(0x7fff_ffff, Math.max(1, maxBytes - this.byteCount));
      const result = kernel.gather(at, index, batch.recordCount, limit, fromDelta, throughDelta);
      if (result.copied > 0) {
        const lines = this.linesAt(partition, base + result.firstDelta, base + result.lastDelta, result.copied);
        lines.events.appendBlock(kernel.output(result.outBytes), result.copied);
        this.byteCount += result.outBytes;
      }
      if (result.reason === "full") return base + result.lastDelta;
      if (result.reason !== "record") return undefined;
      const { record, end } = recordAt(batch, result.at, result.index);
      this.addView(partition, record);
      if (this.byteCount >= maxBytes) return record.offset;
      at = end;
      index = result.index + 1;
    }
  }

  /** The general path: every line format, and the records the kernel leaves. */
  private addView(partition: number, record: RecordView): void {
    this.addLine(
      this.linesAt(partition, record.offset),
      lineOf(kafkaRecordOf(partition, record), this.format, this.topic, this.rules, this.decoder, this.check),
    );
  }

  /** The partition's lines, with the `count` records from `offset` to `last` counted in (offsets must rise). */
  private linesAt(partition: number, offset: number, last = offset, count = 1): PartitionLines {
    let lines = this.partitions.get(partition);
    if (!lines) {
      lines = { first: offset, last, events: new Lines(this.spill), invalid: new Lines(this.spill), skipped: 0 };
      this.partitions.set(partition, lines);
    } else if (offset <= lines.last) {
      throw new Error(`offset ${offset} of partition ${partition} arrived after ${lines.last}`);
    }
    lines.last = last;
    this.messageCount += count;
    return lines;
  }

  private addLine(lines: PartitionLines, line: Line): void {
    if (line.kind === "skipped") {
      lines.skipped += 1;
      return;
    }
    (line.kind === "invalid" ? lines.invalid : line.group ? this.groupLines(lines, line.group) : lines.events).append(line.line);
    this.byteCount += line.line.length + 1; // UTF-8 bytes, newline included
  }

  private groupLines(lines: PartitionLines, group: EventGroup): Lines {
    lines.groups ??= new Map();
    let kept = lines.groups.get(group.name);
    if (!kept) {
      kept = { group, lines: new Lines(this.spill) };
      lines.groups.set(group.name, kept);
    }
    return kept.lines;
  }

  get bytes(): number {
    return this.byteCount;
  }

  get size(): number {
    return this.messageCount;
  }

  get isEmpty(): boolean {
    return this.messageCount === 0;
  }

  /** The partitions with messages, ascending. */
  partitionsWithMessages(): number[] {
    return [...this.partitions.keys()].sort((a, b) => a - b);
  }

  /** The offset ranges of `partitions` that hold records, in ascending partition order. */
  rangesOf(partitions: readonly number[]): OffsetRange[] {
    return [...partitions]
      .sort((a, b) => a - b)
      .flatMap((partition) => {
        const lines = this.partitions.get(partition);
        return lines ? [{ partition, first: lines.first, last: lines.last }] : [];
      });
  }

  /**
   * The files' content for all partitions, or for `only` those, each body written to `sink`
   * (by default, buffers of its own).
   */
  content(only?: number[]): BatchContent;
  content<Body>(only: number[] | undefined, sink: BodySink<Body>): BatchContent<Body>;
  content<Body>(only?: number[], sink?: BodySink<Body>): BatchContent<Body | Buffer> {
    const to: BodySink<Body | Buffer> = sink ?? memorySink;
    const order = this.partitionsWithMessages().filter((partition) => !only || only.includes(partition));
    const ranges = this.rangesOf(order);
    const partitions = order.map((partition) => this.partitions.get(partition)!);
    const body = (all: Lines[]) => {
      if (all.every((lines) => lines.count === 0)) return undefined;
      const length = all.reduce((total, lines) => total + lines.bytes, 0);
      return to.write(length, all);
    };
    const count = (all: Lines[]) => all.reduce((total, lines) => total + lines.count, 0);
    const groups = groupsOf(partitions).map(({ group, lines }) => ({ group, body: body(lines)!, count: count(lines) }));
    const events = body(partitions.map((lines) => lines.events));
    const invalid = body(partitions.map((lines) => lines.invalid));
    return {
      ranges,
      ...(events ? { events } : {}),
      ...(invalid ? { invalid } : {}),
      ...(groups.length > 0 ? { groups } : {}),
      eventCount: count(partitions.map((lines) => lines.events)) + groups.reduce((total, group) => total + group.count, 0),
      invalidCount: count(partitions.map((lines) => lines.invalid)),
      skippedCount: partitions.reduce((total, lines) => total + lines.skipped, 0),
    };
  }

  /** Once its content is taken: empties the batch and hands its memory back for the next ones. */
  release(): void {
    for (const lines of this.partitions.values()) {
      lines.events.release();
      lines.invalid.release();
      for (const group of lines.groups?.values() ?? []) group.lines.release();
    }
    this.partitions.clear();
    this.byteCount = 0;
    this.messageCount = 0;
  }
}

/** Each group's lines across the partitions (in their order), the groups in order of their names. */
function groupsOf(partitions: PartitionLines[]): Array<{ group: EventGroup; lines: Lines[] }> {
  const groups = new Map<string, { group: EventGroup; lines: Lines[] }>();
  for (const partition of partitions)
    for (const [name, kept] of partition.groups ?? []) {
      const group = groups.get(name) ?? { group: kept.group, lines: [] };
      group.lines.push(kept.lines);
      groups.set(name, group);
    }
  return [...groups.values()].sort((a, b) => compareNames(a.group.name, b.group.name));
}

/** Names (schema ids, then message indexes: `12`, `12-1-0`) in the order of their numbers: the order parts are stored and logged in. */
function compareNames(a: string, b: string): number {
  const [x, y] = [a.split("-").map(Number), b.split("-").map(Number)];
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}
