// One batch being gathered: per partition, the offset range and the lines. Files list partitions
// in ascending order and each partition's lines in offset order, so the same offset ranges
// always give the same bytes.
import { convertMessage, type RawMessage } from "./jsonl.js";

export interface OffsetRange {
  partition: number;
  /** First and last offset in the batch (inclusive). */
  first: number;
  last: number;
}

interface PartitionLines {
  first: number;
  last: number;
  events: Buffer[];
  invalid: Buffer[];
}

export interface BatchContent {
  ranges: OffsetRange[];
  /** The `.jsonl` body, absent when the batch has no events. */
  events?: Buffer;
  invalid?: Buffer;
  eventCount: number;
  invalidCount: number;
}

export class Batch {
  private readonly partitions = new Map<number, PartitionLines>();
  private byteCount = 0;
  private messageCount = 0;

  add(message: RawMessage): void {
    const offset = Number(message.offset);
    let lines = this.partitions.get(message.partition);
    if (!lines) {
      lines = { first: offset, last: offset, events: [], invalid: [] };
      this.partitions.set(message.partition, lines);
    }
    if (offset <= lines.last && lines.events.length + lines.invalid.length > 0) {
      throw new Error(`offset ${offset} of partition ${message.partition} arrived after ${lines.last}`);
    }
    lines.last = offset;
    const converted = convertMessage(message);
    (converted.kind === "event" ? lines.events : lines.invalid).push(converted.line);
    this.byteCount += converted.line.length + 1; // UTF-8 bytes, newline included
    this.messageCount += 1;
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
    const events = order.flatMap((partition) => this.partitions.get(partition)!.events);
    const invalid = order.flatMap((partition) => this.partitions.get(partition)!.invalid);
    return {
      ranges,
      ...(events.length > 0 ? { events: joinLines(events) } : {}),
      ...(invalid.length > 0 ? { invalid: joinLines(invalid) } : {}),
      eventCount: events.length,
      invalidCount: invalid.length,
    };
  }
}

/** One allocation for the whole file: each line, then a newline. */
function joinLines(lines: Buffer[]): Buffer {
  const out = Buffer.allocUnsafe(lines.reduce((total, line) => total + line.length + 1, 0));
  let offset = 0;
  for (const line of lines) {
    offset += line.copy(out, offset);
    out[offset++] = 0x0a;
  }
  return out;
}
