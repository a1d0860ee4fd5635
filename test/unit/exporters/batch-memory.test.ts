// A worker reuses its memory from batch to batch (chunks back to a pool, each cut's files in one
// reused FileSpace). Reuse must never leak one batch's bytes into another's file.
import { describe, expect, it } from "vitest";
import { Batch, FileSpace } from "../../../main/core/exporters/batch.js";
import type { KafkaRecord } from "../../../main/core/exporters/records.js";

const record = (partition: number, offset: number, value: string | null): KafkaRecord => ({ partition, offset: String(offset), timestamp: "0", key: null, value: value === null ? null : Buffer.from(value), headers: [] });

/** A batch of `count` events per partition, with a few invalid ones; lines long enough to fill several 256 KiB chunks. */
function filled(tag: string, count: number): Batch {
  const batch = new Batch();
  for (let offset = 0; offset < count; offset += 1) {
    for (const partition of [2, 0, 1]) batch.add(record(partition, offset, offset % 97 === 5 ? "not json" : JSON.stringify({ tag, partition, offset, pad: "p".repeat(offset % 300) })));
  }
  return batch;
}

function expectedEvents(tag: string, count: number): string {
  const lines: string[] = [];
  for (const partition of [0, 1, 2]) for (let offset = 0; offset < count; offset += 1) if (offset % 97 !== 5) lines.push(JSON.stringify({ tag, partition, offset, pad: "p".repeat(offset % 300) }));
  return `${lines.join("\n")}\n`;
}

describe("batch memory reused across cuts", () => {
  it("gives each cut exactly its own bytes, in partition order, with chunks and file space reused", () => {
    const space = new FileSpace();
    let previous: Buffer | undefined;
    for (const [round, count] of [[1, 3000], [2, 1200], [3, 4000]] as const) {
      const batch = filled(`round-${round}`, count);
      space.reset(batch.bytes);
      const content = batch.content(undefined, space);
      batch.release();
      expect(batch.isEmpty).toBe(true);
      expect(content.events!.toString()).toBe(expectedEvents(`round-${round}`, count));
      expect(content.invalid!.toString().split("\n").filter(Boolean)).toHaveLength(3 * Math.ceil((count - 5) / 97));
      expect(content.eventCount + content.invalidCount).toBe(3 * count);
      // The last cut's bytes are overwritten by this one: that is the reuse (the worker stores one cut at a time).
      if (previous && round === 2) expect(previous.toString().startsWith(expectedEvents("round-1", count).slice(0, 20))).toBe(false);
      previous = content.events;
    }
  });

  it("still takes a buffer of its own when a cut is bigger than the space was reset for", () => {
    const space = new FileSpace();
    space.reset(4);
    const part = space.take(10);
    expect(part.length).toBe(10);
  });
});
