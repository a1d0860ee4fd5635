// The exactly-once protocol of one worker, per batch (docs/EXACTLY-ONCE.md has the argument):
//   1. commit each partition's current offset again, with the file's intent in the metadata;
//   2. store the file(s) under the name the intent fixes;
//   3. commit the offsets past the batch, clearing the intent.
// After any join (start, restart, rebalance) it first re-creates the files of intents left on its
// partitions, reading their exact offset ranges back, so a crash at any point neither loses nor
// doubles an event: a re-created file is byte for byte the one it replaces.
// Steps 2 and 3 run in the background (the file "in flight") while the next batch is gathered;
// the next intent waits for them, so a partition never has two intents pending at once.
//
// It knows Kafka only through `GroupOffsets` (kafka-group-offsets.ts in the worker; an in-memory
// group in test/unit/exporters/commit-protocol.test.ts, which crashes it at every step) and the
// store only through `FileWriter`, and reads time from an injected clock.
import type { Batch, BatchContent, OffsetRange } from "../files/batch.js";
import { decodeMetadata, encodeMetadata, sameIntent, type FileIntent, type ColumnsOf } from "./commit-metadata.js";
import { planIntents } from "./file-intents.js";
import type { FileShape } from "../file-shape.js";
import { NeedsPersonError } from "../needs-person.js";
import type { BodySink } from "../files/spills-and-sinks.js";
import { isBatchEntry, type FetchedEntry } from "../../streams/fetch-response.js";
import type { SpooledFile } from "../../stores/file-body.js";

export interface CommittedOffset {
  partition: number;
  /** The next offset to read; -1 when the group has none for the partition. */
  offset: number;
  metadata: string | null;
}

export interface OffsetCommit {
  partition: number;
  offset: number;
  metadata: string;
}

/** What the protocol needs of the consumer group and the topic. */
export interface GroupOffsets {
  /** The group's committed offsets (and their metadata) for the topic's partitions. */
  committed(): Promise<CommittedOffset[]>;
  /** True only once the group's coordinator acknowledged it; false when it was not made (a rebalance, a consumer not running). */
  commit(commits: OffsetCommit[]): Promise<boolean>;
  /** Adds the records of exactly these ranges to `into`, whoever owns the partitions now. */
  read(ranges: OffsetRange[], into: Batch): Promise<void>;
}

export interface PlannedFile {
  intent: FileIntent;
  content: BatchContent<SpooledFile>;
}

/** Stores a planned file's parts under the names its intent fixes, and logs them. */
export interface FileWriter {
  write(file: PlannedFile, recovered: boolean): Promise<void>;
  keyOf(intent: FileIntent): string;
}

/** Where the cut files' bodies go before they are stored: the worker's spool. */
export interface CutSpool extends BodySink<SpooledFile> {
  /** The previous cut's files are stored: their space may be used again. */
  reset(): void;
}

export interface ProtocolDeps {
  group: GroupOffsets;
  files: FileWriter;
  spool: CutSpool;
  /** A batch whose lines take `shape`'s format. */
  newBatch(shape: FileShape): Batch;
  /** The shape of new files; a pending one keeps its intent's. */
  shape: FileShape;
  /** The exporter's Parquet columns by version: a pending file names the version it was planned with. */
  columnsOf?: ColumnsOf;
  maxBatchBytes: number;
  topic: string;
  /** Milliseconds since the epoch: the cut's time when a full batch is cut. */
  now(): number;
  log(level: "warn" | "info", message: string, fields?: Record<string, unknown>): void;
  /** The file in flight failed: the worker cannot go on. */
  failed(error: unknown): void;
}

/**
 * Where the worker is in the group: not joined yet; joined but with pending files of the join
 * still to re-create (nothing new is gathered); or gathering, in the epoch it recovered.
 */
export type ProtocolState =
  { readonly name: "not-joined" } | { readonly name: "recovering"; readonly epoch: number } | { readonly name: "gathering"; readonly epoch: number };

export class CommitProtocol {
  private state: ProtocolState = { name: "not-joined" };
  /** Bumped on every join; a batch or commit from an older epoch is void. */
  private epoch = 0;
  private held: number[] = [];
  private batch: Batch;
  /** Last file time and counter per partition, so names are never reused. */
  private readonly last = new Map<number, { time: number; counter: number }>();
  /** Offsets already exported by recovery in this epoch, to skip when they are fetched again. */
  private readonly skipThrough = new Map<number, number>();
  /** The upload and done commit of the last cut batch, running while the next one is gathered. */
  private inFlight?: Promise<void>;
  private closed = false;
  /** Timestamps of the oldest event in the batch being gathered, in the file being stored, and of the last one fetched. */
  private pendingSince?: number;
  private inFlightSince?: number;
  private lastFetchedAt?: number;

  constructor(private readonly deps: ProtocolDeps) {
    this.batch = deps.newBatch(deps.shape);
  }

  /** A join of the group: what came before it is void, and its pending files are due. */
  joined(assignment: readonly number[]): void {
    this.epoch += 1;
    this.held = [...assignment].sort((a, b) => a - b);
    this.state = { name: "recovering", epoch: this.epoch };
  }

  get assignment(): readonly number[] {
    return this.held;
  }

  get current(): ProtocolState {
    return this.state;
  }

  /** Bumped by every join: what a batch resolves must belong to the join it was handled in. */
  get joins(): number {
    return this.epoch;
  }

  /** Whether the join's pending files are re-created, so records may be gathered. */
  get ready(): boolean {
    return this.state.name === "gathering";
  }

  /** Stopping: no more recovery or cuts; what is in flight goes on (see settled). */
  close(): void {
    this.closed = true;
  }

  /** The file in flight, settled either way. */
  async settled(): Promise<void> {
    await this.inFlight?.catch(() => undefined);
  }

  /** Timestamps of the oldest event still to export, as far as this worker knows it. */
  oldest(): { inFlight?: number; pending?: number; lastFetched?: number } {
    return {
      ...(this.inFlightSince !== undefined ? { inFlight: this.inFlightSince } : {}),
      ...(this.pendingSince !== undefined ? { pending: this.pendingSince } : {}),
      ...(this.lastFetchedAt !== undefined ? { lastFetched: this.lastFetchedAt } : {}),
    };
  }

  /** Once per join: forget the old epoch's batch, then re-create the files left pending. */
  async prepare(): Promise<void> {
    while (this.state.name === "recovering" && !this.closed) {
      const epoch = this.state.epoch;
      // Let the file in flight finish first (its done commit is void now), so recovery sees its intent settled.
      await this.settled();
      // The old epoch's lines go, and their memory and spills back for the next batches.
      this.batch.release();
      this.batch = this.deps.newBatch(this.deps.shape);
      this.pendingSince = undefined;
      this.skipThrough.clear();
      await this.recover(epoch);
      if (this.epoch === epoch) this.state = { name: "gathering", epoch };
    }
  }

  /**
   * Adds a fetched entry's records from `fetchedFrom` on, cutting whenever the batch is full, while
   * `going()`. Tells `resolve` the offset through which records are added (the next fetch starts
   * after it). True when the whole entry was added.
   */
  async gather(partition: number, fetchedFrom: number, entry: FetchedEntry, going: () => boolean, resolve: (offset: string) => void): Promise<boolean> {
    // Records before the fetch offset come with a compressed batch that began earlier; those
    // recovery already exported come again after it.
    const start = Math.max(fetchedFrom, (this.skipThrough.get(partition) ?? -1) + 1);
    // Once for the entry: the batches cut from it share the worker's decoder, and so its schemas.
    if (going() && this.ready) await this.batch.prepare(entry, start);
    for (let from = start; ;) {
      if (!going() || this.closed || !this.ready) return false;
      const full = this.batch.addEntry(partition, entry, { from, maxBytes: this.deps.maxBatchBytes });
      this.noteFetched(entry);
      if (full === undefined) {
        resolve(entry.offset);
        return true;
      }
      resolve(String(full));
      await this.cut(Math.floor(this.deps.now() / 1000));
      from = full + 1;
    }
  }

  /** Per fetched entry, not per record: the oldest event pending and the newest fetched (for the retention warning). */
  private noteFetched(entry: FetchedEntry): void {
    if (this.batch.isEmpty) return;
    const [first, last] = isBatchEntry(entry)
      ? [entry.recordBatch.baseTimestamp, entry.recordBatch.maxTimestamp]
      : [Number(entry.timestamp), Number(entry.timestamp)];
    this.pendingSince ??= first;
    this.lastFetchedAt = last;
  }

  /**
   * Cuts the batch gathered so far into one file per group of held partitions: commits their
   * intent, then stores them and commits them done in the background, so gathering goes on
   * meanwhile. Waits first for the previous file, whose intent must be done before the next one.
   */
  async cut(time: number): Promise<void> {
    if (this.batch.isEmpty || !this.ready || this.closed) return;
    await this.inFlight;
    if (!this.ready) return; // A join while waiting: the batch is void.
    const epoch = this.epoch;
    const batch = this.batch;
    this.batch = this.deps.newBatch(this.deps.shape);
    const oldest = this.pendingSince;
    this.pendingSince = undefined;
    const files = this.plan(batch, time);
    if (!(await this.commitIntent(files, epoch))) return; // The group moved on; whoever owns the batch reads it again.
    this.inFlightSince = oldest;
    const flight = this.storeAndCommit(files, epoch).finally(() => {
      this.inFlightSince = undefined;
      if (this.inFlight === flight) this.inFlight = undefined;
    });
    this.inFlight = flight;
    flight.catch((error: unknown) => this.deps.failed(error));
  }

  private async recover(epoch: number): Promise<void> {
    const mine = new Set(this.held);
    const pending: FileIntent[] = [];
    for (const { partition, offset, metadata } of await this.deps.group.committed()) {
      const decoded = decodeMetadata(metadata, this.deps.shape, this.deps.columnsOf);
      if (decoded.last) this.remember(partition, decoded.last);
      if (!mine.has(partition)) continue;
      if (decoded.unreadable) throw new NeedsPersonError("pending-file", `Partition ${partition} of ${this.deps.topic}: ${decoded.unreadable}`);
      const intent = decoded.intent;
      if (!intent) continue;
      const range = intent.ranges.find((candidate) => candidate.partition === partition);
      if (range && offset === range.first && !pending.some((known) => sameIntent(known, intent))) pending.push(intent);
    }
    for (const intent of pending) await this.redo(intent, epoch);
  }

  /** Re-creates a pending file from its intent: same ranges, same bytes, same key. */
  private async redo(intent: FileIntent, epoch: number): Promise<void> {
    this.deps.log("warn", "re-creating a file left pending", { key: this.deps.files.keyOf(intent) });
    const batch = this.deps.newBatch(intent.shape);
    await this.deps.group.read(intent.ranges, batch);
    this.deps.spool.reset();
    const file = { intent, content: batch.content(undefined, this.deps.spool) };
    batch.release();
    await this.deps.files.write(file, true);
    const mine = intent.ranges.filter((range) => this.held.includes(range.partition));
    if (
      await this.commit(epoch, mine, (range) => ({
        offset: range.last + 1,
        metadata: encodeMetadata({ last: { time: intent.time, counter: intent.counter } }),
      }))
    ) {
      for (const range of mine) this.skipThrough.set(range.partition, range.last);
    }
    for (const partition of intent.held) this.remember(partition, intent);
  }

  private async commitIntent(files: PlannedFile[], epoch: number): Promise<boolean> {
    const intentOf = intentsByPartition(files);
    const committed = await this.commit(epoch, rangesOf(files), (range) => ({
      offset: range.first,
      metadata: encodeMetadata({
        intent: intentOf.get(range.partition)!,
        ...(this.last.has(range.partition) ? { last: this.last.get(range.partition)! } : {}),
      }),
    }));
    // From here the names are used, whatever happens to the upload: never hand them out again.
    if (committed) for (const file of files) for (const partition of file.intent.held) this.remember(partition, file.intent);
    return committed;
  }

  private async storeAndCommit(files: PlannedFile[], epoch: number): Promise<void> {
    for (const file of files) await this.deps.files.write(file, false);
    const intentOf = intentsByPartition(files);
    await this.commit(epoch, rangesOf(files), (range) => {
      const intent = intentOf.get(range.partition)!;
      return { offset: range.last + 1, metadata: encodeMetadata({ last: { time: intent.time, counter: intent.counter } }) };
    });
  }

  /** The cut's files; `batch` is released into them. Only once the last cut's files are stored (see cut). */
  private plan(batch: Batch, time: number): PlannedFile[] {
    const held = [...new Set([...this.held, ...batch.partitionsWithMessages()])].sort((a, b) => a - b);
    this.deps.spool.reset();
    const counterOf = (group: number[]) =>
      Math.max(0, ...group.map((partition) => (this.last.get(partition)?.time === time ? this.last.get(partition)!.counter + 1 : 0)));
    const files = planIntents({ time, held, shape: this.deps.shape, rangesOf: (group) => batch.rangesOf(group), counterOf }).map((intent) => ({
      intent,
      content: batch.content(intent.held, this.deps.spool),
    }));
    batch.release();
    return files;
  }

  /** Commits for `ranges` in `epoch`: false when the group moved on, or the commit was not made. */
  private async commit(epoch: number, ranges: OffsetRange[], entry: (range: OffsetRange) => { offset: number; metadata: string }): Promise<boolean> {
    if (epoch !== this.epoch || ranges.length === 0) return epoch === this.epoch;
    try {
      const made = await this.deps.group.commit(ranges.map((range) => ({ partition: range.partition, ...entry(range) })));
      return made && epoch === this.epoch;
    } catch (error) {
      // A join meanwhile voids the commit, whatever the error; otherwise it is the worker's to handle.
      if (epoch !== this.epoch) return false;
      throw error;
    }
  }

  private remember(partition: number, used: { time: number; counter: number }): void {
    const known = this.last.get(partition);
    if (!known || used.time > known.time || (used.time === known.time && used.counter > known.counter))
      this.last.set(partition, { time: used.time, counter: used.counter });
  }
}

const rangesOf = (files: PlannedFile[]) => files.flatMap((file) => file.content.ranges);
const intentsByPartition = (files: PlannedFile[]) =>
  new Map(files.flatMap((file) => file.content.ranges.map((range) => [range.partition, file.intent] as const)));
