// A worker reuses its memory from batch to batch (chunks back to a pool, each cut's files in
// spool files written over by the next cut). Reuse must never leak one batch's bytes into another's file.
// A compressed entry lets its decompressed records go once they are gathered.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Batch, type SpillTarget } from "../../../../main/core/exporters/files/batch.js";
import { Spool } from "../../../../main/core/exporters/files/spool.js";
import type { SpooledFile } from "../../../../main/core/stores/file-body.js";
import type { KafkaRecord } from "../../../../main/core/exporters/lines/records.js";
import type { FetchedEntry } from "../../../../main/core/streams/fetch-response.js";
import { RecordBatch } from "../../../../main/core/streams/record-batch.js";
import { encodeBatch, encodeRecord } from "../../../support/record-batches.js";

const record = (partition: number, offset: number, value: string | null): KafkaRecord => ({
  partition,
  offset: String(offset),
  timestamp: "0",
  key: null,
  value: value === null ? null : Buffer.from(value),
  headers: [],
});

/** A batch of `count` events per partition, with a few invalid ones; lines long enough to fill several 256 KiB chunks. */
function filled(tag: string, count: number, spill?: SpillTarget): Batch {
  const batch = new Batch(undefined, "", spill);
  for (let offset = 0; offset < count; offset += 1) {
    for (const partition of [2, 0, 1])
      batch.add(record(partition, offset, offset % 97 === 5 ? "not json" : JSON.stringify({ tag, partition, offset, pad: "p".repeat(offset % 300) })));
  }
  return batch;
}

function expectedEvents(tag: string, count: number): string {
  const lines: string[] = [];
  for (const partition of [0, 1, 2])
    for (let offset = 0; offset < count; offset += 1)
      if (offset % 97 !== 5) lines.push(JSON.stringify({ tag, partition, offset, pad: "p".repeat(offset % 300) }));
  return `${lines.join("\n")}\n`;
}

describe("batch memory reused across cuts", () => {
  it("gives each cut exactly its own bytes, in partition order, with chunks and spool files reused", () => {
    const dir = mkdtempSync(join(tmpdir(), "spool-"));
    try {
      const spool = new Spool(join(dir, "worker-0"));
      const bySlot: Array<SpooledFile | undefined> = [];
      for (const [round, count] of [
        [1, 3000],
        [2, 1200],
        [3, 4000],
        [4, 500],
      ] as const) {
        const batch = filled(`round-${round}`, count);
        // Two cuts may be stored at once, so cuts take the spool's two sets of names in turn.
        const slot = round % 2 === 1 ? 0 : 1;
        const other = bySlot[1 - slot];
        const otherBytes = other && readFileSync(other.path, "utf8");
        spool.reset(slot);
        const content = batch.content(undefined, spool);
        batch.release();
        expect(batch.isEmpty).toBe(true);
        expect(readFileSync(content.events!.path, "utf8")).toBe(expectedEvents(`round-${round}`, count));
        expect(content.events!.length).toBe(Buffer.byteLength(expectedEvents(`round-${round}`, count)));
        expect(readFileSync(content.invalid!.path, "utf8").split("\n").filter(Boolean)).toHaveLength(3 * Math.ceil((count - 5) / 97));
        expect(content.eventCount + content.invalidCount).toBe(3 * count);
        // The file of the cut before last is written over by this one: that is the reuse; the last cut's, maybe still being stored, is not.
        if (bySlot[slot]) expect(content.events!.path).toBe(bySlot[slot].path);
        if (other) {
          expect(content.events!.path).not.toBe(other.path);
          expect(readFileSync(other.path, "utf8")).toBe(otherBytes);
        }
        bySlot[slot] = content.events;
      }
      spool.clear();
      expect(existsSync(join(dir, "worker-0"))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gives the same bytes in memory as in the spool", () => {
    const dir = mkdtempSync(join(tmpdir(), "spool-"));
    try {
      const batch = filled("same", 2000);
      const inMemory = batch.content();
      const spooled = batch.content(undefined, new Spool(join(dir, "worker-0")));
      expect(readFileSync(spooled.events!.path).equals(inMemory.events!)).toBe(true);
      expect(readFileSync(spooled.invalid!.path).equals(inMemory.invalid!)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("spills full chunks to the disk while gathering, gives the same files, and writes the next batch over the released spills", () => {
    const dir = mkdtempSync(join(tmpdir(), "spool-"));
    try {
      const spool = new Spool(join(dir, "worker-0"));
      const spilled = filled("spill", 4000, spool);
      const spills = () => readdirSync(join(dir, "worker-0")).filter((name) => name.startsWith("spill-"));
      expect(spills().length).toBeGreaterThan(0);
      const inMemory = filled("spill", 4000);
      expect(spilled.bytes).toBe(inMemory.bytes);
      const [fromSpill, fromMemory] = [spilled.content(undefined, spool), inMemory.content()];
      expect(readFileSync(fromSpill.events!.path).equals(fromMemory.events!)).toBe(true);
      expect(readFileSync(fromSpill.invalid!.path).equals(fromMemory.invalid!)).toBe(true);
      expect(spilled.content([1]).events!.equals(inMemory.content([1]).events!)).toBe(true);
      const made = spills();
      spilled.release();
      // A smaller batch next, in the released spills (their older, longer bytes must not show through).
      const next = filled("next", 1500, spool);
      expect(spills()).toEqual(made);
      spool.reset(0);
      const nextFile = next.content(undefined, spool);
      expect(readFileSync(nextFile.events!.path, "utf8")).toBe(expectedEvents("next", 1500));
      next.release();
      spool.clear();
      expect(existsSync(join(dir, "worker-0"))).toBe(false);
      // After a clear (the worker stopping), a batch still gathering releases its spills without harm, and new ones are made.
      const after = filled("after", 1500, spool);
      spool.reset(0);
      expect(readFileSync(after.content(undefined, spool).events!.path, "utf8")).toBe(expectedEvents("after", 1500));
      after.release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps released spills for the next batches only within its limits, removing the rest", () => {
    const dir = mkdtempSync(join(tmpdir(), "spool-"));
    try {
      const spool = new Spool(join(dir, "worker-0"), false, { count: 2, bytes: 700 * 1024 });
      const spills = [spool.open(), spool.open(), spool.open()];
      spills.forEach((spill, n) => spill.append(Buffer.alloc((n + 1) * 200 * 1024, n)));
      spills.forEach((spill) => spill.release());
      // 200 KiB and 400 KiB kept (600 of 700); the third would pass the bytes.
      expect(readdirSync(join(dir, "worker-0")).sort()).toEqual(["spill-0.part", "spill-1.part"]);
      const again = spool.open();
      expect(again.length).toBe(0);
      again.append(Buffer.from("new"));
      expect(Buffer.concat([...again.pieces()]).toString()).toBe("new");
      expect(readdirSync(join(dir, "worker-0")).sort()).toEqual(["spill-0.part", "spill-1.part"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("says what to do when the spool cannot be written", () => {
    const dir = mkdtempSync(join(tmpdir(), "spool-"));
    try {
      writeFileSync(join(dir, "blocked"), "a file where the folder should be");
      const spool = new Spool(join(dir, "blocked", "worker-0"));
      expect(() => filled("x", 10).content(undefined, spool)).toThrow(
        /Cannot write the next batch file to .*blocked.*Fix the folder so the exporter can go on: the events stay in Kafka/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a compressed entry's decompressed records", () => {
  const gzip = 1;

  async function gzipEntry(count: number, compression = gzip): Promise<FetchedEntry & { recordBatch: RecordBatch }> {
    const records = Array.from({ length: count }, (_, offsetDelta) =>
      encodeRecord({
        offsetDelta,
        timestampDelta: offsetDelta,
        key: null,
        value: Buffer.from(JSON.stringify({ id: offsetDelta, pad: "x".repeat(200) })),
        headers: {},
      }),
    );
    const { buffer } = await encodeBatch({
      compression,
      firstOffset: "0",
      firstTimestamp: 1_700_000_000_000,
      maxTimestamp: 1_700_000_000_000 + count,
      lastOffsetDelta: count - 1,
      records,
    });
    const recordBatch = new RecordBatch(buffer);
    return { offset: String(recordBatch.lastOffset), isControlRecord: false, key: null, recordBatch } as FetchedEntry & { recordBatch: RecordBatch };
  }

  // kafkajs keeps a fetch response's entries until its last partition is handled: an entry that
  // held on to its records would keep tens of MiB of a compressed fetch alive.
  it("go once the entry is gathered to its end, and stay while the rest of it is for the next batch", async () => {
    const entry = await gzipEntry(100);
    expect(entry.recordBatch.codec).toBe("gzip");
    const first = entry.recordBatch.records();
    const firstBytes = Buffer.from(first);
    expect(entry.recordBatch.records()).toBe(first); // decompressed once, while in use

    const filling = new Batch();
    const full = filling.addEntry(0, entry, { from: 0, maxBytes: 2000 });
    expect(full).toBeGreaterThanOrEqual(0);
    expect(full).toBeLessThan(99);
    expect(entry.recordBatch.records()).toBe(first); // the rest of the entry is still to come

    const rest = new Batch();
    expect(rest.addEntry(0, entry, { from: full! + 1 })).toBeUndefined();
    expect(first.length).toBe(0); // let go, their memory given back at once
    const again = entry.recordBatch.records();
    expect(again.equals(firstBytes)).toBe(true); // decompressed anew when asked
    const lines = (batch: Batch) =>
      batch
        .content()
        .events!.toString()
        .split("\n")
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { id: number }).id);
    expect([...lines(filling), ...lines(rest)]).toEqual(Array.from({ length: 100 }, (_, id) => id));
  });

  it("of a plain entry are a view of the fetch response, which a release leaves as it is", async () => {
    const entry = await gzipEntry(10, 0);
    expect(entry.recordBatch.codec).toBe("none");
    const records = entry.recordBatch.records();
    const bytes = Buffer.from(records);
    expect(new Batch().addEntry(0, entry, { from: 0 })).toBeUndefined();
    expect(records.equals(bytes)).toBe(true);
  });
});
