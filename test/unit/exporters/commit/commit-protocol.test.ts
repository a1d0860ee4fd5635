// The commit protocol alone, against an in-memory consumer group and an in-memory store, with the
// real file writer, formats and spool: a worker dies at each step of a file's life (before its
// intent commit, after it, after a part is uploaded, before the done commit, and during the next
// worker's recovery), also with two cuts in flight (the first cut's uploads held until the second
// cut's intent is committed, or until its files are stored), and the next worker leaves exactly
// what a worker that never died leaves:
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
import { decodeMetadata, encodeMetadata, sameIntent, type FileIntent } from "../../../../main/core/exporters/commit/commit-metadata.js";
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
import { StreamdropError } from "../../../../main/core/errors.js";

const topic = "clicks";
const partitions = [0, 1];
/** Offsets 0..9 on each partition; offset 4 of partition 1 is not JSON (an `-invalid` part). */
const recordsPer = 10;
/** The first cut takes offsets 0..5 of each partition, the second the rest. */
const firstCutThrough = 5;
const cutTimes = [1_780_000_000, 1_780_000_060] as const;
/** Both cuts in the same second (the second cut's files need the next counter). */
const cutsInOneSecond = [
  [firstCutThrough, cutTimes[0]],
  [recordsPer - 1, cutTimes[0]],
] as const;

const scratch = mkdtempSync(join(tmpdir(), "streamdrop-protocol-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A step of a file's life where a worker can die. */
type Step = "intent-commit" | "after-intent" | "after-upload" | "done-commit";

/** Where a worker dies: at the `nth` time it reaches `step` (the first by default), while recovering or not. */
interface DieAt {
  step: Step;
  nth?: number;
  recovery?: boolean;
}

/**
 * How a world's workers store the first cut's files (not re-created ones): as soon as they can; or
 * held until the second cut's intent is committed, so two cuts are in flight, and then stored
 * before the second cut's files ("in-order") or after them ("reversed").
 */
type Overlap = "none" | "in-order" | "reversed";

/** The first cut's files are named for its second (cutTimes[0]), the second cut's for cutTimes[1]. */
const ofFirstCut = (key: string) => key.includes("T20:26:40");

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
    readonly overlap: Overlap = "none",
    /** How long a done commit takes to reach the group (0: at once), so the next cut's intent commit could overtake it. */
    readonly doneCommitMs = 0,
  ) {
    this.records = new Map(partitions.map((partition) => [partition, Array.from({ length: recordsPer }, (_, offset) => message(partition, offset, encoded))]));
  }

  readonly records: Map<number, KafkaMessage[]>;
  readonly offsets = new Map<number, { offset: number; metadata: string }>();
  readonly objects = new Map<string, Buffer>();
  readonly log: LogEntry[] = [];
  /** Whether a partition's metadata ever named two files pending. */
  sawTwoPending = false;
  /** Intents a commit dropped from a partition before its offset passed their range: each a file whose records could be read again. */
  readonly dropped: string[] = [];

  /** Applies a commit, noting every intent it drops before the offset passes it. */
  apply(commits: OffsetCommit[]): void {
    for (const commit of commits) {
      const after = pendingIn(commit.metadata);
      for (const intent of pendingIn(this.offsets.get(commit.partition)?.metadata)) {
        const range = intent.ranges.find((candidate) => candidate.partition === commit.partition)!;
        if (!after.some((known) => sameIntent(known, intent)) && commit.offset <= range.last)
          this.dropped.push(`partition ${commit.partition}: the file of ${range.first}..${range.last} at offset ${commit.offset}`);
      }
      this.offsets.set(commit.partition, { offset: commit.offset, metadata: commit.metadata });
    }
  }
  private workers = 0;

  /** `refuses`: the keys its store refuses (a permission taken away), failing the file's cut. */
  worker(shape: FileShape, dieAt?: DieAt, refuses?: (key: string) => boolean): Worker {
    return new Worker(this, shape, (this.workers += 1), dieAt, refuses);
  }
}

/** A promise and what settles it. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((settle) => (resolve = settle));
  return { promise, resolve };
}

/** The intents a partition's metadata names pending, oldest first. */
function pendingIn(metadata: string | null | undefined): FileIntent[] {
  const { intent, next } = decodeMetadata(metadata, shapeForOldIntents);
  return [intent, next].filter((known) => known !== undefined);
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
  /** How often each step was reached, in recovery and out of it. */
  private readonly reached = new Map<string, number>();
  /** Settled when this worker's second cut has its intent committed, and when its files are stored: what the first cut's uploads wait for. */
  private readonly second = { intent: signal(), stored: signal() };
  /** Settled once this worker has stored the first cut's files (its events and its -invalid file). */
  private readonly firstStored = signal();
  private firstPuts = 0;

  constructor(
    private readonly world: World,
    shape: FileShape,
    id: number,
    private readonly dieAt?: DieAt,
    private readonly refuses: (key: string) => boolean = () => false,
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
    if (this.dead) return true;
    const seen = `${step}/${recovering}`;
    this.reached.set(seen, (this.reached.get(seen) ?? 0) + 1);
    if (this.dieAt?.step !== step || (this.dieAt.recovery ?? false) !== recovering || this.reached.get(seen) !== (this.dieAt.nth ?? 1)) return false;
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
        // An intent commit names a file its partition did not have pending; a done commit only lets files go.
        const added = commits.flatMap((commit) => {
          const before = pendingIn(this.world.offsets.get(commit.partition)?.metadata);
          return pendingIn(commit.metadata).filter((intent) => !before.some((known) => sameIntent(known, intent)));
        });
        const intent = added.length > 0;
        if (this.diesAt(intent ? "intent-commit" : "done-commit", this.recovering)) return never;
        if (!intent && this.world.doneCommitMs > 0) await new Promise((resolve) => setTimeout(resolve, this.world.doneCommitMs));
        if (this.dead) return never;
        this.world.apply(commits);
        this.world.sawTwoPending ||= commits.some((commit) => pendingIn(commit.metadata).length === 2);
        if (intent && this.diesAt("after-intent", this.recovering)) return never;
        if (added.some((known) => known.time === cutTimes[1])) this.second.intent.resolve();
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
        if (!this.recovering && this.world.overlap !== "none" && ofFirstCut(key))
          await (this.world.overlap === "in-order" ? this.second.intent : this.second.stored).promise;
        if (this.dead) return never;
        if (this.refuses(key)) throw new Error(`refused: ${key}`);
        const bytes = isSpooled(body) ? await buffer(openBody(body)) : body;
        const before = this.world.objects.get(key);
        if (before && !before.equals(bytes)) throw new Error(`${key} was stored again with other bytes`);
        this.world.objects.set(key, bytes);
        if (this.diesAt("after-upload", this.recovering)) return never;
        if (!this.recovering && !ofFirstCut(key)) this.second.stored.resolve();
        if (!this.recovering && ofFirstCut(key) && (this.firstPuts += 1) === 2) this.firstStored.resolve();
      },
      // A refusal needs a person: not retried, the cut fails at once.
      authorizationProblem: (error) =>
        error instanceof Error && error.message.startsWith("refused") ? new StreamdropError("storage", error.message) : undefined,
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
    for (const [index, [through, time]] of this.world.cuts.entries()) {
      // With slow done commits, the second cut comes once the first is stored and its done commit is on its way.
      if (index === 1 && this.world.doneCommitMs > 0) {
        await this.firstStored.promise;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
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
    dropped: world.dropped,
  };
}

/** Every record's line, from every object: each record once. */
function linesByRecord(world: World): string[] {
  return [...world.objects].flatMap(([key, bytes]) => linesOf(key, bytes).split("\n").filter(Boolean));
}

/** A world for files of `shape`: its values in the wire format when the files decode. */
const worldFor = (shape: FileShape, overlap: Overlap = "none") => new World(undefined, shape.decode === "registry", overlap);

/** The next worker in `world` finishes without a failure, and leaves what a crash-free run leaves. */
async function nextFinishes(world: World, shape: FileShape, expected: ReturnType<typeof outcome>): Promise<void> {
  const next = world.worker(shape);
  expect(await next.run()).toBe("done");
  expect(next.failures).toEqual([]);
  expect(outcome(world)).toEqual(expected);
}

/** Every step where a worker with two cuts in flight can die: two intent commits, three uploads (the first cut has two files), two done commits. */
const twoCutDeaths: DieAt[] = [
  ...[1, 2].map((nth) => ({ step: "intent-commit" as const, nth })),
  ...[1, 2].map((nth) => ({ step: "after-intent" as const, nth })),
  ...[1, 2, 3].map((nth) => ({ step: "after-upload" as const, nth })),
  ...[1, 2].map((nth) => ({ step: "done-commit" as const, nth })),
];

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
      await nextFinishes(world, shape, expected);
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

  for (const overlap of ["in-order", "reversed"] as const) {
    it(`stores two cuts at once (the first cut's files stored ${overlap === "in-order" ? "first" : "last"}) and leaves what one at a time leaves`, async () => {
      const expected = outcome(await crashFree(shape));
      const world = worldFor(shape, overlap);
      expect(await world.worker(shape).run()).toBe("done");
      expect(world.sawTwoPending).toBe(true);
      expect(outcome(world)).toEqual(expected);
    });

    for (const dieAt of twoCutDeaths) {
      it(`with two cuts in flight (${overlap}), a worker that dies at ${dieAt.step} #${dieAt.nth} is followed by one that leaves what a crash-free run leaves`, async () => {
        const expected = outcome(await crashFree(shape));
        const world = worldFor(shape, overlap);
        expect(await world.worker(shape, dieAt).run()).toBe("died");
        await nextFinishes(world, shape, expected);
      });
    }
  }

  it("never lets a slow done commit land after the next cut's intent commit and drop it", async () => {
    const expected = outcome(await crashFree(shape));
    // The first cut is stored at once, and its done commit is slow: the next cut's intent commit is decided meanwhile.
    const world = new World(undefined, shape.decode === "registry", "none", 20);
    await nextFinishes(world, shape, expected);
  });

  for (const [which, refuses] of [
    ["first", ofFirstCut],
    ["second", (key: string) => !ofFirstCut(key)],
  ] as const) {
    it(`commits nothing more once the ${which} of two cuts in flight fails to store, so the next worker re-creates both`, async () => {
      const expected = outcome(await crashFree(shape));
      // The first cut's files wait for the second cut's intent commit, so both are in flight when one fails.
      const world = worldFor(shape, "in-order");
      const failing = world.worker(shape, undefined, refuses);
      expect(await failing.run()).toBe("done");
      expect(failing.failures).toHaveLength(1);
      expect(partitions.map((partition) => pendingIn(world.offsets.get(partition)?.metadata).length)).toEqual([2, 2]);
      await nextFinishes(world, shape, expected);
    });
  }

  it("voids both done commits when the group moves on while two cuts are in flight, and the next owner re-creates both", async () => {
    const expected = outcome(await crashFree(shape));
    const world = worldFor(shape, "in-order");
    // A rebalance as the first cut's first file goes up, with the second cut's intent committed.
    let rejoined = false;
    const moved: Worker = world.worker(shape, undefined, () => {
      if (!rejoined) moved.protocol.joined(partitions);
      rejoined = true;
      return false;
    });
    expect(await moved.run()).toBe("done");
    expect(moved.failures).toEqual([]);
    expect(partitions.map((partition) => pendingIn(world.offsets.get(partition)?.metadata).length)).toEqual([2, 2]);
    await nextFinishes(world, shape, expected);
  });

  for (const dieAt of twoCutDeaths.filter(({ step }) => step === "after-upload" || step === "done-commit")) {
    it(`a worker that dies at ${dieAt.step} #${dieAt.nth} while re-creating two pending cuts is followed by one that finishes them`, async () => {
      const expected = outcome(await crashFree(shape));
      const world = worldFor(shape, "in-order");
      // The first dies with both cuts' intents committed and nothing stored.
      expect(await world.worker(shape, { step: "after-intent", nth: 2 }).run()).toBe("died");
      expect(partitions.map((partition) => pendingIn(world.offsets.get(partition)?.metadata).length)).toEqual([2, 2]);
      expect(world.objects.size).toBe(0);
      expect(await world.worker(shape, { ...dieAt, recovery: true }).run()).toBe("died");
      await nextFinishes(world, shape, expected);
    });
  }
});

it("stops on pending files listed in two orders, which only another tool could have written", async () => {
  const shape = fileShapeOf({ compression: "none", fields: ["value"], tombstones: "invalid" });
  const intentOf = (time: number, first: number) => ({
    time,
    counter: 0,
    held: partitions,
    ranges: partitions.map((partition) => ({ partition, first, last: first + 4 })),
    shape,
  });
  const [a, b] = [intentOf(cutTimes[0], 0), intentOf(cutTimes[1], 5)];
  const world = new World();
  world.offsets.set(0, { offset: 0, metadata: encodeMetadata({ intent: a, next: b }) });
  world.offsets.set(1, { offset: 5, metadata: encodeMetadata({ intent: b, next: a }) });
  const worker = world.worker(shape);
  worker.protocol.joined(partitions);
  await expect(worker.protocol.prepare()).rejects.toThrow(/listed in two orders/);
  expect(world.objects.size).toBe(0);
});

it("gives files cut in the same second the next counter, also when the first was left pending", async () => {
  const shape = fileShapeOf({ compression: "none", fields: ["value"], tombstones: "invalid" });
  for (const dieAt of [undefined, { step: "after-intent" as const }, { step: "after-upload" as const }]) {
    const world = new World(cutsInOneSecond);
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

it("keeps a re-created file's name as used once its done commit is made, so a worker after a crash right then never takes it again", async () => {
  const shape = fileShapeOf({ compression: "none", fields: ["value"], tombstones: "invalid" });
  const world = new World(cutsInOneSecond);
  expect(await world.worker(shape, { step: "after-intent" }).run()).toBe("died");
  // The second re-creates the first cut's files, commits them done, and dies at its own cut's intent.
  expect(await world.worker(shape, { step: "intent-commit" }).run()).toBe("died");
  const third = world.worker(shape);
  expect(await third.run()).toBe("done");
  expect(third.failures).toEqual([]);
  expect([...world.objects.keys()].sort()).toEqual([
    "2026-05-28T20:26:40-clicks---0-1-invalid.jsonl",
    "2026-05-28T20:26:40-clicks---0-1.1.jsonl",
    "2026-05-28T20:26:40-clicks---0-1.jsonl",
  ]);
  expect(linesByRecord(world)).toHaveLength(partitions.length * recordsPer);
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
    spool: { write: () => ({ spans: [], length: 0 }), reset: () => undefined },
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
