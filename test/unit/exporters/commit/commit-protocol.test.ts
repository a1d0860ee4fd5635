// The commit protocol alone, against an in-memory consumer group and an in-memory store, with the
// real file writer, formats and spool: a worker dies at each step of a file's life (before its
// intent commit, after it, after a part is uploaded, before the done commit, and during the next
// worker's recovery), and the next worker leaves exactly what a worker that never died leaves:
// the same names with the same bytes, every record in exactly one line, the export log naming
// every stored file, and the group's offsets past every record with no intent pending.
// The chaos tests (test/integration/exporters/) do the same with real processes, Kafka and stores.
import { mkdtempSync, rmSync } from "node:fs";
import { buffer } from "node:stream/consumers";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KafkaMessage } from "kafkajs";
import { afterAll, describe, expect, it } from "vitest";
import type { Batch, OffsetRange } from "../../../../main/core/exporters/files/batch.js";
import { decodeMetadata } from "../../../../main/core/exporters/commit/commit-metadata.js";
import { CommitProtocol, type CommittedOffset, type GroupOffsets, type OffsetCommit } from "../../../../main/core/exporters/commit/commit-protocol.js";
import { fileFormatOf } from "../../../../main/core/exporters/files/file-format.js";
import { fileKindFormats } from "../../../../common/record-format.js";
import { fileShapeOf, type FileShape } from "../../../../main/core/exporters/file-shape.js";
import { StoreFileWriter } from "../../../../main/core/exporters/files/file-writer.js";
import { Spool } from "../../../../main/core/exporters/files/spool.js";
import type { LogEntry } from "../../../../main/core/exporters/worker-protocol.js";
import { isSpooled, openBody, type FileBody } from "../../../../main/core/stores/file-body.js";
import type { ObjectStore } from "../../../../main/core/stores/object-store.js";
import type { Compression, Decoding } from "../../../../common/record-format.js";
import { registryDecoding } from "../../../../main/core/exporters/lines/wire-decoding.js";
import { avroType } from "../../../../main/core/schemas/avro-json.js";
import { RegistryError } from "../../../../main/core/schemas/registry-client.js";
import { SchemaDecoder, type SchemaSource } from "../../../../main/core/schemas/schema-decoder.js";
import { linesOf } from "../../../support/file-lines.js";

const topic = "clicks";
const partitions = [0, 1];
/** Offsets 0..9 on each partition; offset 4 of partition 1 is not JSON (an `-invalid` part). */
const recordsPer = 10;
/** The first cut takes offsets 0..5 of each partition, the second the rest. */
const firstCutThrough = 5;
const cutTimes = [1_780_000_000, 1_780_000_060] as const;

const scratch = mkdtempSync(join(tmpdir(), "streamdrop-protocol-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A step of a file's life where a worker can die. */
type Step = "intent-commit" | "after-intent" | "after-upload" | "done-commit";

/** The world the workers share: the topic's records, the group's offsets, the bucket, the export log. */
class World {
  /** Where each worker cuts: after which offset of each partition, at what time. */
  constructor(
    readonly cuts: ReadonlyArray<readonly [through: number, time: number]> = [
      [firstCutThrough, cutTimes[0]],
      [recordsPer - 1, cutTimes[1]],
    ],
    /** Whether the topic's values are in the wire format (for files that decode). */
    encoded = false,
  ) {
    this.records = new Map(partitions.map((partition) => [partition, Array.from({ length: recordsPer }, (_, offset) => message(partition, offset, encoded))]));
  }

  readonly records: Map<number, KafkaMessage[]>;
  readonly offsets = new Map<number, { offset: number; metadata: string }>();
  readonly objects = new Map<string, Buffer>();
  readonly log: LogEntry[] = [];
  private workers = 0;

  worker(shape: FileShape, dieAt?: { step: Step; recovery?: boolean }): Worker {
    return new Worker(this, shape, (this.workers += 1), dieAt);
  }
}

/** Values in a Schema Registry's wire format, for worlds whose files decode: Avro of schema id 7. */
const recordType = avroType({
  type: "record",
  name: "R",
  fields: [
    { name: "partition", type: "int" },
    { name: "offset", type: "long" },
  ],
});
const wire = (id: number, payload: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, 0, id]), payload]);
const registry: SchemaSource = {
  schema: async (id) => {
    if (id !== 7) throw new RegistryError("unknown", `no schema ${id}`);
    return { id, schemaType: "AVRO", schema: JSON.stringify(recordType.schema()), references: [] };
  },
  version: async () => {
    throw new Error("no references");
  },
};

/**
 * A record as the patched kafkajs hands it over (its headers as a list: patches/kafkajs+2.2.4.patch);
 * `encoded`: its value in the wire format. Offset 4 of partition 1 is not an event either way.
 */
const message = (partition: number, offset: number, encoded = false): KafkaMessage & { headerList: [] } => ({
  offset: String(offset),
  key: Buffer.from(`k${offset}`),
  value: encoded
    ? partition === 1 && offset === 4
      ? wire(99, Buffer.from([2]))
      : wire(7, recordType.toBuffer({ partition, offset: BigInt(offset) }))
    : Buffer.from(partition === 1 && offset === 4 ? "not json" : JSON.stringify({ partition, offset })),
  timestamp: String(1_779_999_000_000 + offset),
  attributes: 0,
  headers: {},
  headerList: [],
});

/** Intents here always carry their shape; what decodeMetadata reads older ones with. */
const shapeForOldIntents = fileShapeOf({ compression: "none", fields: ["value"], tombstones: "invalid" });

/** Thrown nowhere: a dead worker's calls simply never return, as in a process that is gone. */
const never = new Promise<never>(() => undefined);

class Worker {
  readonly protocol: CommitProtocol;
  readonly failures: unknown[] = [];
  private dead = false;
  private readonly died: Promise<"died">;
  private die!: () => void;

  constructor(
    private readonly world: World,
    shape: FileShape,
    id: number,
    private readonly dieAt?: { step: Step; recovery?: boolean },
  ) {
    this.died = new Promise((resolve) => (this.die = () => resolve("died")));
    const spool = new Spool(join(scratch, `${Date.now()}-${id}-${Math.random()}`));
    const decoder = registryDecoding(new SchemaDecoder(registry), {});
    this.protocol = new CommitProtocol({
      group: this.group(),
      files: new StoreFileWriter({
        store: this.store(),
        topic,
        exporterName: "clicks-export",
        now: () => cutTimes[1] * 1000,
        retry: {},
        log: async (entry) => {
          if (this.dead) return never;
          this.world.log.push(entry);
        },
        stored: () => undefined,
        skipped: () => undefined,
      }),
      spool,
      // A worker's own decoder, as each worker process has: its schemas are fetched again.
      newBatch: (fileShape) => fileFormatOf(fileShape).newBatch(topic, spool, fileShape.decode === "registry" ? decoder : undefined),
      shape,
      maxBatchBytes: 1 << 20,
      topic,
      now: () => cutTimes[1] * 1000,
      log: () => undefined,
      failed: (error) => this.failures.push(error),
    });
  }

  /** Whether this step, in this phase, is where the worker dies; if so it is dead from now on. */
  private diesAt(step: Step, recovering: boolean): boolean {
    if (this.dead || this.dieAt?.step !== step || (this.dieAt.recovery ?? false) !== recovering) return this.dead;
    this.dead = true;
    this.die();
    return true;
  }

  private recovering = false;

  private group(): GroupOffsets {
    return {
      committed: async (): Promise<CommittedOffset[]> =>
        this.dead
          ? never
          : partitions.map((partition) => ({
              partition,
              offset: this.world.offsets.get(partition)?.offset ?? -1,
              metadata: this.world.offsets.get(partition)?.metadata ?? null,
            })),
      commit: async (commits: OffsetCommit[]) => {
        const intent = commits.some((commit) => decodeMetadata(commit.metadata, shapeForOldIntents).intent);
        if (this.diesAt(intent ? "intent-commit" : "done-commit", this.recovering)) return never;
        for (const commit of commits) this.world.offsets.set(commit.partition, { offset: commit.offset, metadata: commit.metadata });
        if (intent && this.diesAt("after-intent", this.recovering)) return never;
        return true;
      },
      read: async (ranges: OffsetRange[], into: Batch) => {
        if (this.dead) return never;
        for (const range of ranges) {
          for (const entry of this.world.records.get(range.partition)!.slice(range.first, range.last + 1)) {
            await into.prepare(entry, range.first);
            into.addEntry(range.partition, entry, { from: range.first, through: range.last });
          }
        }
      },
    };
  }

  /** A create-only bucket: the same name again must be the same bytes, or a record was lost or doubled. */
  private store(): ObjectStore {
    return {
      uri: (key) => `mem://bucket/${key}`,
      put: async (key: string, body: FileBody) => {
        if (this.dead) return never;
        const bytes = isSpooled(body) ? await buffer(openBody(body)) : body;
        const before = this.world.objects.get(key);
        if (before && !before.equals(bytes)) throw new Error(`${key} was stored again with other bytes`);
        this.world.objects.set(key, bytes);
        if (this.diesAt("after-upload", this.recovering)) return never;
      },
      authorizationProblem: () => undefined,
      close: () => undefined,
    };
  }

  /** Joins, re-creates what is pending, reads from the committed offsets and cuts as every worker here does: until it dies. */
  async run(): Promise<"done" | "died"> {
    return Promise.race([this.died, this.work()]);
  }

  private async work(): Promise<"done"> {
    // Fetching starts from the offsets committed at the join, as kafkajs's does: before recovery
    // commits the pending files done, so their records are fetched again (and must be skipped).
    const from = new Map(partitions.map((partition) => [partition, Math.max(0, this.world.offsets.get(partition)?.offset ?? 0)]));
    this.protocol.joined(partitions);
    this.recovering = true;
    await this.protocol.prepare();
    this.recovering = false;
    for (const [through, time] of this.world.cuts) {
      for (const partition of partitions) {
        const fetchedFrom = from.get(partition)!;
        for (const entry of this.world.records.get(partition)!.slice(fetchedFrom, through + 1)) {
          await this.protocol.gather(
            partition,
            fetchedFrom,
            entry,
            () => !this.dead,
            () => undefined,
          );
        }
        from.set(partition, Math.max(fetchedFrom, through + 1));
      }
      await this.protocol.cut(time);
    }
    await this.protocol.settled();
    return "done";
  }
}

/** What a world holds once its workers are done: objects by name, the keys logged, the group's offsets. */
function outcome(world: World) {
  return {
    objects: new Map([...world.objects].sort(([a], [b]) => a.localeCompare(b))),
    logged: [...new Set(world.log.filter((entry) => entry.kind !== "skipped").map((entry) => entry.key))].sort(),
    offsets: partitions.map((partition) => ({
      partition,
      offset: world.offsets.get(partition)?.offset,
      pending: decodeMetadata(world.offsets.get(partition)?.metadata ?? null, shapeForOldIntents).intent !== undefined,
    })),
  };
}

/** Every record's line, from every object: each record once. */
function linesByRecord(world: World): string[] {
  return [...world.objects].flatMap(([key, bytes]) => linesOf(key, bytes).split("\n").filter(Boolean));
}

/** A world for files of `shape`: its values in the wire format when the files decode. */
const worldFor = (shape: FileShape) => new World(undefined, shape.decode === "registry");

async function crashFree(shape: FileShape) {
  const world = worldFor(shape);
  expect(await world.worker(shape).run()).toBe("done");
  return world;
}

describe.each<[Compression, Decoding]>([
  ["none", "none"],
  ["gzip", "none"],
  ["zstd", "none"],
  ["none", "registry"],
])("with %s files, decoding %s", (compression, decode) => {
  const shape = fileShapeOf({ compression, fields: ["value"], tombstones: "invalid", pathPrefix: "events", decode });

  it("leaves two cuts' files, every record in exactly one line, the offsets past them all", async () => {
    const world = await crashFree(shape);
    const { objects, logged, offsets } = outcome(world);
    expect([...objects.keys()]).toEqual([
      `events/2026-05-28T20:26:40-clicks---0-1-invalid${fileKindFormats[fileFormatOf(shape).kindOf("events")].suffix}`,
      `events/2026-05-28T20:26:40-clicks---0-1${fileKindFormats[fileFormatOf(shape).kindOf("events")].suffix}`,
      `events/2026-05-28T20:27:40-clicks---0-1${fileKindFormats[fileFormatOf(shape).kindOf("events")].suffix}`,
    ]);
    expect(logged).toEqual([...objects.keys()]);
    expect(offsets).toEqual(partitions.map((partition) => ({ partition, offset: recordsPer, pending: false })));
    const lines = linesByRecord(world);
    expect(lines).toHaveLength(partitions.length * recordsPer);
    expect(new Set(lines).size).toBe(lines.length);
    // Decoded or not, an event's line is the same JSON; what is not an event says why.
    expect(lines).toContain('{"partition":1,"offset":9}');
    const invalid = lines.filter((line) => line.includes('"reason"')).map((line) => (JSON.parse(line) as { reason: string }).reason);
    expect(invalid).toEqual([decode === "registry" ? "the Schema Registry does not know schema id 99" : "not JSON"]);
  });

  for (const step of ["intent-commit", "after-intent", "after-upload", "done-commit"] as const) {
    it(`a worker that dies at ${step} is followed by one that leaves what a crash-free run leaves`, async () => {
      const expected = outcome(await crashFree(shape));
      const world = worldFor(shape);
      expect(await world.worker(shape, { step }).run()).toBe("died");
      const next = world.worker(shape);
      expect(await next.run()).toBe("done");
      expect(next.failures).toEqual([]);
      expect(outcome(world)).toEqual(expected);
    });

    it(`a worker that dies at ${step} while re-creating a pending file is followed by one that finishes it`, async () => {
      const expected = outcome(await crashFree(shape));
      const world = worldFor(shape);
      // The first dies with its first file pending (uploaded, not done); the second dies at `step` of re-creating it.
      expect(await world.worker(shape, { step: "after-upload" }).run()).toBe("died");
      const pending = outcome(world).offsets;
      expect(pending.every((partition) => partition.pending)).toBe(true);
      const second = world.worker(shape, { step, recovery: true });
      // Recovery commits no intent: dying "at" the intent steps means it finishes and dies later, at the done commit of its own cut.
      const secondRan = await second.run();
      if (step === "intent-commit" || step === "after-intent") expect(secondRan).toBe("done");
      else expect(secondRan).toBe("died");
      const third = world.worker(shape);
      expect(await third.run()).toBe("done");
      expect(outcome(world)).toEqual(expected);
    });
  }
});

it("gives files cut in the same second the next counter, also when the first was left pending", async () => {
  const shape = fileShapeOf({ compression: "none", fields: ["value"], tombstones: "invalid" });
  const sameSecond = [
    [firstCutThrough, cutTimes[0]],
    [recordsPer - 1, cutTimes[0]],
  ] as const;
  for (const dieAt of [undefined, { step: "after-intent" as const }, { step: "after-upload" as const }]) {
    const world = new World(sameSecond);
    const first = await world.worker(shape, dieAt).run();
    if (first === "died") expect(await world.worker(shape).run()).toBe("done");
    expect([...world.objects.keys()].sort()).toEqual([
      "2026-05-28T20:26:40-clicks---0-1-invalid.jsonl",
      "2026-05-28T20:26:40-clicks---0-1.1.jsonl",
      "2026-05-28T20:26:40-clicks---0-1.jsonl",
    ]);
    expect(linesByRecord(world)).toHaveLength(partitions.length * recordsPer);
  }
});

it("re-creates a pending file in the shape its intent planned, whatever the worker's settings are now", async () => {
  const before = fileShapeOf({ compression: "gzip", fields: ["value"], tombstones: "invalid", pathPrefix: "events" });
  const after = fileShapeOf({ compression: "none", fields: ["key", "value"], tombstones: "invalid", pathPrefix: "other" });
  const world = new World();
  expect(await world.worker(before, { step: "after-intent" }).run()).toBe("died");
  expect(await world.worker(after).run()).toBe("done");
  const keys = [...world.objects.keys()].sort();
  // The first cut's files as planned (gzip, under events/), the second cut's in the new shape.
  expect(keys).toEqual([
    "events/2026-05-28T20:26:40-clicks---0-1-invalid.jsonl.gz",
    "events/2026-05-28T20:26:40-clicks---0-1.jsonl.gz",
    "other/2026-05-28T20:27:40-clicks---0-1.jsonl",
  ]);
  expect(outcome(world).offsets.every((partition) => partition.offset === recordsPer && !partition.pending)).toBe(true);
});

it("commits nothing for a batch when the group moved on during the cut: the new owner reads it again", async () => {
  const world = new World();
  const worker = world.worker(fileShapeOf({ compression: "none", fields: ["value"], tombstones: "invalid" }));
  const protocol = worker.protocol;
  protocol.joined(partitions);
  await protocol.prepare();
  for (const entry of world.records.get(0)!.slice(0, 3))
    await protocol.gather(
      0,
      0,
      entry,
      () => true,
      () => undefined,
    );
  // A rebalance: the batch gathered in the old epoch is void, and cutting it now stores nothing.
  protocol.joined([1]);
  await protocol.cut(cutTimes[0]);
  await protocol.settled();
  expect(world.objects.size).toBe(0);
  expect(world.offsets.size).toBe(0);
  expect(protocol.current).toEqual({ name: "recovering", epoch: 2 });
});

it("lets the batch a join voids go, its memory and spills back for the next batches", async () => {
  const made: { released: number }[] = [];
  const newBatch = () => {
    const kept = { released: 0 };
    made.push(kept);
    return { isEmpty: true, release: () => (kept.released += 1) } as unknown as Batch;
  };
  const protocol = new CommitProtocol({
    group: { committed: async () => [], commit: async () => true, read: async () => undefined },
    files: { write: async () => undefined, keyOf: () => "" },
    spool: { write: () => ({ path: "", length: 0 }), reset: () => undefined },
    newBatch,
    shape: fileShapeOf({ compression: "none", fields: ["value"], tombstones: "invalid" }),
    maxBatchBytes: 1 << 20,
    topic,
    now: () => cutTimes[1] * 1000,
    log: () => undefined,
    failed: () => undefined,
  });
  for (const assignment of [[0, 1], [1]]) {
    protocol.joined(assignment);
    await protocol.prepare();
  }
  // The constructor's batch and the first join's: each let go once; the second join's is the one gathering.
  expect(made.map((batch) => batch.released)).toEqual([1, 1, 0]);
});
