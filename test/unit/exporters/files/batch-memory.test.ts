// A worker reuses its memory from batch to batch (chunks back to a pool, each cut's bodies in
// spills written over by a batch after it once it is stored). Reuse must never leak one batch's
// bytes into another's file.
// A compressed entry lets its decompressed records go once they are gathered.
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Batch, type SpillTarget } from "../../../../main/core/exporters/files/batch.js";
import { Spool } from "../../../../main/core/exporters/files/spool.js";
import type { SpooledFile } from "../../../../main/core/stores/file-body.js";
import { spooledBytes } from "../../../support/spooled.js";
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

/** The files under `folder` this process holds open (Linux: its descriptors' links, " (deleted)" once removed). */
function openUnder(folder: string): string[] {
  return readdirSync("/proc/self/fd").flatMap((fd) => {
    try {
      const target = readlinkSync(join("/proc/self/fd", fd));
      return target.startsWith(`${folder}/`) ? [target] : [];
    } catch {
      return [];
    }
  });
}

describe("batch memory reused across cuts", () => {
  const spillsIn = (dir: string) => readdirSync(dir).filter((name) => name.startsWith("spill-"));

  it("gives each cut exactly its own bytes, in partition order, its spills as they lie, taken again only once its slot comes round", () => {
    const dir = mkdtempSync(join(tmpdir(), "spool-"));
    try {
      const folder = join(dir, "worker-0");
      const spool = new Spool(folder);
      const bySlot: Array<{ body: SpooledFile; bytes: string } | undefined> = [];
      const files: number[] = [];
      for (const [round, count] of [
        [1, 3000],
        [2, 1200],
        [3, 4000],
        [4, 500],
        [5, 2500],
      ] as const) {
        // Gathered into the spool's spills, as a worker gathers, while the two cuts before may still be stored.
        const batch = filled(`round-${round}`, count, spool);
        // Two cuts may be stored at once, so cuts take the spool's two slots in turn.
        const slot = round % 2 === 1 ? 0 : 1;
        spool.reset(slot);
        const content = batch.content(undefined, spool);
        batch.release();
        expect(batch.isEmpty).toBe(true);
        expect(content.events!.wholeFile).toBeUndefined();
        expect(content.events!.spans).toHaveLength(3); // one spill per partition, in partition order
        // Lines that never filled their first 4 KiB chunk (the -invalid ones here, but for round 3's) share the cut's one tails file.
        if (round !== 3) expect(new Set(content.invalid!.spans.map((span) => span.path)).size).toBe(1);
        expect(spooledBytes(content.events!).toString()).toBe(expectedEvents(`round-${round}`, count));
        expect(content.events!.length).toBe(Buffer.byteLength(expectedEvents(`round-${round}`, count)));
        expect(spooledBytes(content.invalid!).toString().split("\n").filter(Boolean)).toHaveLength(3 * Math.ceil((count - 5) / 97));
        expect(content.eventCount + content.invalidCount).toBe(3 * count);
        // The last cut, maybe still being stored, keeps its bytes through this batch's gathering and cut.
        const other = bySlot[1 - slot];
        if (other) expect(spooledBytes(other.body).toString()).toBe(other.bytes);
        bySlot[slot] = { body: content.events!, bytes: spooledBytes(content.events!).toString() };
        files.push(spillsIn(folder).length);
      }
      // Once the slots have come round, later batches write over the spills of the cuts stored: no more files are made.
      expect(files.slice(2)).toEqual([files[2], files[2], files[2]]);
      // At most three batches' (one gathered, two cuts being stored): six spills each, three partitions' events and -invalid lines.
      expect(files[2]).toBeLessThanOrEqual(18);
      spool.clear();
      expect(existsSync(folder)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("copies each body into a file of its own for stores that upload by path, each slot's files written over by the cut two later", () => {
    const dir = mkdtempSync(join(tmpdir(), "spool-"));
    try {
      const spool = new Spool(join(dir, "worker-0"), { bodies: "files" });
      const bySlot: Array<SpooledFile | undefined> = [];
      for (const [round, count] of [
        [1, 3000],
        [2, 1200],
        [3, 4000],
        [4, 500],
      ] as const) {
        const batch = filled(`round-${round}`, count, spool);
        const slot = round % 2 === 1 ? 0 : 1;
        const other = bySlot[1 - slot];
        const otherBytes = other && readFileSync(other.wholeFile!, "utf8");
        spool.reset(slot);
        const content = batch.content(undefined, spool);
        batch.release();
        expect(readFileSync(content.events!.wholeFile!, "utf8")).toBe(expectedEvents(`round-${round}`, count));
        expect(spooledBytes(content.events!).toString()).toBe(expectedEvents(`round-${round}`, count));
        // The file of the cut before last is written over by this one: that is the reuse; the last cut's, maybe still being stored, is not.
        if (bySlot[slot]) expect(content.events!.wholeFile).toBe(bySlot[slot].wholeFile);
        if (other) {
          expect(content.events!.wholeFile).not.toBe(other.wholeFile);
          expect(readFileSync(other.wholeFile!, "utf8")).toBe(otherBytes);
        }
        bySlot[slot] = content.events;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gives the same bytes in memory as in the spool", () => {
    const dir = mkdtempSync(join(tmpdir(), "spool-"));
    try {
      const inMemory = filled("same", 2000).content();
      const spool = new Spool(join(dir, "worker-0"));
      const spooled = filled("same", 2000, spool).content(undefined, spool);
      expect(spooledBytes(spooled.events!).equals(inMemory.events!)).toBe(true);
      expect(spooledBytes(spooled.invalid!).equals(inMemory.invalid!)).toBe(true);
      // A batch gathered in memory, cut into a spool: copied into a file of its own.
      const copied = filled("same", 2000).content(undefined, spool);
      expect(readFileSync(copied.events!.wholeFile!).equals(inMemory.events!)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("spills full chunks to the disk while gathering, gives the same files, and writes the next batch over the spills once their cut's slot comes round", () => {
    const dir = mkdtempSync(join(tmpdir(), "spool-"));
    try {
      const folder = join(dir, "worker-0");
      const spool = new Spool(folder);
      const spilled = filled("spill", 4000, spool);
      expect(spillsIn(folder).length).toBeGreaterThan(0);
      const inMemory = filled("spill", 4000);
      expect(spilled.bytes).toBe(inMemory.bytes);
      expect(spilled.content([1]).events!.equals(inMemory.content([1]).events!)).toBe(true);
      spool.reset(0);
      const [fromSpill, fromMemory] = [spilled.content(undefined, spool), inMemory.content()];
      expect(spooledBytes(fromSpill.events!).equals(fromMemory.events!)).toBe(true);
      expect(spooledBytes(fromSpill.invalid!).equals(fromMemory.invalid!)).toBe(true);
      // The body took the lines where they lie: asking for them again is a mistake, said at once.
      expect(() => spilled.content([1])).toThrow("a batch's lines were asked for again after a body took them");
      const made = spillsIn(folder);
      spilled.release();
      // The cut may still be stored: a batch gathered now takes spills of its own...
      const meanwhile = filled("meanwhile", 200, spool);
      spool.reset(1);
      meanwhile.content(undefined, spool);
      meanwhile.release();
      expect(spooledBytes(fromSpill.events!).equals(fromMemory.events!)).toBe(true);
      const withMeanwhile = spillsIn(folder);
      expect(withMeanwhile.length).toBeGreaterThan(made.length);
      // ...and once its slot comes round (it is stored by then), a smaller batch writes over its spills
      // (their older, longer bytes must not show through).
      spool.reset(0);
      const next = filled("next", 1500, spool);
      expect(spillsIn(folder)).toEqual(withMeanwhile);
      spool.reset(1);
      const nextFile = next.content(undefined, spool);
      expect(spooledBytes(nextFile.events!).toString()).toBe(expectedEvents("next", 1500));
      next.release();
      spool.clear();
      expect(existsSync(folder)).toBe(false);
      // After a clear (the worker stopping), a batch still gathering releases its spills without harm, and new ones are made.
      const after = filled("after", 1500, spool);
      spool.reset(0);
      expect(spooledBytes(after.content(undefined, spool).events!).toString()).toBe(expectedEvents("after", 1500));
      after.release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("leaves no spill open when a cut fails partway, once the spool is cleared (the worker stopping on the failure)", () => {
    const dir = mkdtempSync(join(tmpdir(), "spool-"));
    try {
      const folder = join(dir, "worker-0");
      const spool = new Spool(folder);
      const batch = new Batch(undefined, "", spool);
      for (let offset = 0; offset < 2000; offset += 1) batch.add(record(0, offset, JSON.stringify({ offset, pad: "p".repeat(100) })));
      batch.add(record(1, 0, JSON.stringify({ few: true }))); // never fills a chunk: it goes to the cut's tails spill
      expect(spillsIn(folder)).toHaveLength(1);
      // The folder goes bad after partition 0's spill was written: the tails spill cannot be opened.
      rmSync(folder, { recursive: true });
      writeFileSync(folder, "not a folder");
      spool.reset(0);
      expect(() => batch.content(undefined, spool)).toThrow(/Cannot write the next batch file/);
      batch.release();
      spool.clear();
      expect(openUnder(folder)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps released spills for the next batches only within its limits, removing the rest", () => {
    const dir = mkdtempSync(join(tmpdir(), "spool-"));
    try {
      const spool = new Spool(join(dir, "worker-0"), { limits: { count: 2, bytes: 700 * 1024 } });
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
      const says = /Cannot write the next batch file to .*blocked.*Fix the folder so the exporter can go on: the events stay in Kafka/;
      expect(() => filled("x", 10).content(undefined, spool)).toThrow(says);
      // Lines gathered into the spool's spills too, a few (none spilled yet) or many.
      for (const count of [10, 3000]) expect(() => filled("x", count, spool).content(undefined, spool)).toThrow(says);
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
