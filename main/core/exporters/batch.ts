// One batch being gathered: per partition, the offset range and the lines. Files list partitions
// in ascending order and each partition's lines in offset order, so the same offset ranges
// always give the same bytes. Lines are copied into the batch's own chunks as they arrive: a
// message's bytes are a slice of kafkajs's whole fetch response, and keeping slices would keep
// every response alive until the file is cut.
import { defaultLineFormat, lineOf, type LineFormat } from "./line-format.js";
import type { KafkaRecord } from "./records.js";

export interface OffsetRange {
  partition: number;
  /** First and last offset in the batch (inclusive). */
  first: number;
  last: number;
}

/** Newline-terminated lines, appended into chunks of 256 KiB (a bigger line gets its own). */
class Lines {
  private static readonly chunkBytes = 256 * 1024;
  /** Full chunks, trimmed to what they hold. */
  private readonly closed: Buffer[] = [];
  private current?: Buffer;
  private used = 0;
  count = 0;

  append(line: Buffer): void {
    if (!this.current || this.used + line.length + 1 > this.current.length) {
      if (this.current) this.closed.push(this.current.subarray(0, this.used));
      this.current = Buffer.allocUnsafe(Math.max(Lines.chunkBytes, line.length + 1));
      this.used = 0;
    }
    line.copy(this.current, this.used);
    this.current[this.used + line.length] = 0x0a;
    this.used += line.length + 1;
    this.count += 1;
  }

  /** The lines' bytes, in order, as a few buffers. */
  parts(): Buffer[] {
    return this.current ? [...this.closed, this.current.subarray(0, this.used)] : [];
  }
}

interface PartitionLines {
  first: number;
  last: number;
  events: Lines;
  invalid: Lines;
  skipped: number;
}

export interface BatchContent {
  ranges: OffsetRange[];
  /** The `.jsonl` body, absent when the batch has no events. */
  events?: Buffer;
  invalid?: Buffer;
  eventCount: number;
  invalidCount: number;
  /** Records the format writes nothing for (skipped tombstones); their offsets are in the ranges all the same. */
  skippedCount: number;
}

export class Batch {
  private readonly partitions = new Map<number, PartitionLines>();
  private byteCount = 0;
  private messageCount = 0;

  constructor(
    private readonly format: LineFormat = defaultLineFormat,
    private readonly topic = "",
  ) {}

  add(record: KafkaRecord): void {
    const offset = Number(record.offset);
    let lines = this.partitions.get(record.partition);
    if (!lines) {
      lines = { first: offset, last: offset, events: new Lines(), invalid: new Lines(), skipped: 0 };
      this.partitions.set(record.partition, lines);
    } else if (offset <= lines.last) {
      throw new Error(`offset ${offset} of partition ${record.partition} arrived after ${lines.last}`);
    }
    lines.last = offset;
    this.messageCount += 1;
    const line = lineOf(record, this.format, this.topic);
    if (line.kind === "skipped") {
      lines.skipped += 1;
      return;
    }
    (line.kind === "event" ? lines.events : lines.invalid).append(line.line);
    this.byteCount += line.line.length + 1; // UTF-8 bytes, newline included
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

  /** The files' content for all partitions, or for `only` those. */
  content(only?: number[]): BatchContent {
    const order = this.partitionsWithMessages().filter((partition) => !only || only.includes(partition));
    const ranges = order.map((partition) => {
      const lines = this.partitions.get(partition)!;
      return { partition, first: lines.first, last: lines.last };
    });
    const of = (kind: "events" | "invalid") => order.map((partition) => this.partitions.get(partition)![kind]);
    const [events, invalid] = [of("events"), of("invalid")];
    const eventCount = events.reduce((total, lines) => total + lines.count, 0);
    const invalidCount = invalid.reduce((total, lines) => total + lines.count, 0);
    const skippedCount = order.reduce((total, partition) => total + this.partitions.get(partition)!.skipped, 0);
    return {
      ranges,
      ...(eventCount > 0 ? { events: Buffer.concat(events.flatMap((lines) => lines.parts())) } : {}),
      ...(invalidCount > 0 ? { invalid: Buffer.concat(invalid.flatMap((lines) => lines.parts())) } : {}),
      eventCount,
      invalidCount,
      skippedCount,
    };
  }
}
