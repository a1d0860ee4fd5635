// The exactly-once protocol of one worker, per batch (docs/EXACTLY-ONCE.md has the argument):
//   1. commit each partition's current offset again, with the file's intent in the metadata;
//   2. store the file(s) under the name the intent fixes;
//   3. commit the offsets past the batch, clearing the intent.
// After any join (start, restart, rebalance) it first re-creates the files of intents left on its
// partitions, reading their exact offset ranges back, so a crash at any point neither loses nor
// doubles an event: a re-created file is byte for byte the one it replaces.
// Steps 2 and 3 run in the background (the cut "in flight") while the next batch is gathered, and
// up to two cuts are in flight: the next cut's intent joins the first one's on the partitions they
// share (the committed offset stays the first one's), their files are stored side by side, and
// their done commits go in order. Every commit writes what is true of its partitions at that
// moment (`entryFor`): the offset of the first file not yet stored, with the intents from it on,
// or past the last one stored; the commits go one at a time, so the last one made is the truth.
//
// It knows Kafka only through `GroupOffsets` (kafka-group-offsets.ts in the worker; an in-memory
// group in test/unit/exporters/commit/commit-protocol.test.ts, which crashes it at every step) and
// the store only through `FileWriter`, and reads time from an injected clock.
import type { Batch, BatchContent, OffsetRange } from "../files/batch.js";
import { decodeMetadata, encodeMetadata, fitsMetadata, sameIntent, type ColumnsOf, type FileIntent, type UsedName } from "./commit-metadata.js";
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

/** Where a cut's file bodies are kept until they are stored: the worker's spool. */
export interface CutSpool extends BodySink<SpooledFile> {
  /** The next cut's bodies are held in `slot`: the cut that had it before has landed, so what it held may be written over. */
  reset(slot: Slot): void;
}

/** Of the spool's two slots for cuts' bodies, one per cut in flight. */
export type Slot = 0 | 1;

/** Cuts whose files may be stored at once. */
export const maxCutsInFlight = 2;

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
  /** A cut in flight failed: the worker cannot go on. */
  failed(error: unknown): void;
}

/**
 * Where the worker is in the group: not joined yet; joined but with pending files of the join
 * still to re-create (nothing new is gathered); or gathering, in the epoch it recovered.
 */
export type ProtocolState =
  { readonly name: "not-joined" } | { readonly name: "recovering"; readonly epoch: number } | { readonly name: "gathering"; readonly epoch: number };

/**
 * A cut from its intent commit (it joins the list as that commit is decided, so the commit names
 * it) until its done commit is made or it fails; or, while recovering, a file left pending that is
 * being re-created. What every commit writes comes from these.
 */
interface Flight {
  /** Each partition's file in the cut, and its offset range there. */
  readonly on: ReadonlyMap<number, { intent: FileIntent; range: OffsetRange }>;
  /** The spool's names its bodies are in. */
  readonly slot: Slot;
  /** Timestamp of its oldest event. */
  readonly oldest?: number;
  /** Its files are stored: commits pass over it, up to the first cut that is not. */
  stored: boolean;
  /** Settles once it leaves the list (never rejects): true when its files were stored and its done commit was tried, after the older cut's. */
  readonly ended: Promise<boolean>;
}

export class CommitProtocol {
  private state: ProtocolState = { name: "not-joined" };
  /** Bumped on every join; a batch or commit from an older epoch is void. */
  private epoch = 0;
  private held: number[] = [];
  private batch: Batch;
  /** Last file time and counter per partition, so names are never reused. */
  private readonly last = new Map<number, UsedName>();
  /** Offsets already exported by recovery in this epoch, to skip when they are fetched again. */
  private readonly skipThrough = new Map<number, number>();
  /** Oldest first: the cuts being stored while the next batch is gathered (at most two), or the files being re-created. */
  private flights: Flight[] = [];
  /** The last commit sent: the next waits for it, so commits reach the group in the order their entries were decided. */
  private commits: Promise<unknown> = Promise.resolve();
  /**
   * A cut failed to store: nothing more is committed, so every cut in flight stays pending for the
   * next join to re-create (the worker stops on the failure). Were commits to go on, the other cut's
   * would no longer know of the failed one, and pass over it or drop its intent.
   */
  private broken = false;
  private closed = false;
  /** Timestamps of the oldest event in the batch being gathered, and of the last one fetched. */
  private pendingSince?: number;
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

  /** The cuts in flight, settled either way. */
  async settled(): Promise<void> {
    await Promise.all(this.flights.map((flight) => flight.ended));
  }

  /** Timestamps of the oldest event still to export, as far as this worker knows it. */
  oldest(): { inFlight?: number; pending?: number; lastFetched?: number } {
    const times = this.flights.flatMap((flight) => (flight.oldest !== undefined ? [flight.oldest] : []));
    const inFlight = times.length > 0 ? Math.min(...times) : undefined;
    return {
      ...(inFlight !== undefined ? { inFlight } : {}),
      ...(this.pendingSince !== undefined ? { pending: this.pendingSince } : {}),
      ...(this.lastFetchedAt !== undefined ? { lastFetched: this.lastFetchedAt } : {}),
    };
  }

  /** Once per join: forget the old epoch's batch, then re-create the files left pending. */
  async prepare(): Promise<void> {
    while (this.state.name === "recovering" && !this.closed) {
      const epoch = this.state.epoch;
      // Let the cuts in flight finish first (their done commits are void now), so recovery sees their intents settled.
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
   * meanwhile. With two cuts in flight it waits for the older one first, and with one it waits
   * when the two intents would not fit in a shared partition's metadata.
   */
  async cut(time: number): Promise<void> {
    if (this.batch.isEmpty || !this.ready || this.closed) return;
    while (this.flights.length >= maxCutsInFlight) await this.flights[0]!.ended;
    const epoch = this.epoch;
    const before = this.flights[0];
    // Only a guess at the fit: `plan` makes the intents again, as the batch and the names used may have grown while waiting.
    if (before && !this.fitsAfter(before, this.intentsOf(this.batch, time))) await before.ended;
    if (!this.ready || this.epoch !== epoch || this.closed) return; // A join while waiting voids the batch; a stop cuts no more.
    const batch = this.batch;
    this.batch = this.deps.newBatch(this.deps.shape);
    const oldest = this.pendingSince;
    this.pendingSince = undefined;
    const slot: Slot = this.flights.some((flight) => flight.slot === 0) ? 1 : 0;
    const files = this.plan(batch, time, slot);
    const { flight, end } = newFlight(
      files.map((file) => file.intent),
      slot,
      oldest,
    );
    let intentCommit: { committed: boolean; previous?: Flight } = { committed: false };
    try {
      intentCommit = await this.commitIntent(flight, epoch);
    } finally {
      if (!intentCommit.committed) end(false);
    }
    if (!intentCommit.committed) return; // The group moved on; whoever owns the batch reads it again.
    void this.store(flight, files, epoch, intentCommit.previous).then(
      (done) => this.land(flight, end, done),
      (error: unknown) => {
        this.broken = true;
        this.land(flight, end, false);
        this.deps.failed(error);
      },
    );
  }

  /**
   * A cut's files, then its done commit once the older cut's is made. False when the older cut
   * failed: the worker stops on that, and this cut stays pending.
   */
  private async store(flight: Flight, files: PlannedFile[], epoch: number, previous: Flight | undefined): Promise<boolean> {
    for (const file of files) await this.deps.files.write(file, false);
    flight.stored = true;
    // In order: were this one to end first, the older one's done commit would no longer know to pass over it.
    if (previous && !(await previous.ended)) return false;
    await this.commitFor(epoch, [...flight.on.keys()]);
    return true;
  }

  private land(flight: Flight, end: (stored: boolean) => void, stored: boolean): void {
    this.flights = this.flights.filter((known) => known !== flight);
    end(stored);
  }

  /** Whether each of the cut's intents fits in its partitions' metadata beside the intent `before` has there. */
  private fitsAfter(before: Flight, intents: FileIntent[]): boolean {
    return intents.every((intent) => intent.ranges.every((range) => fitsMetadata(intent, before.on.get(range.partition)?.intent)));
  }

  private async recover(epoch: number): Promise<void> {
    const mine = new Set(this.held);
    const lists: Array<{ partition: number; intents: FileIntent[] }> = [];
    for (const { partition, offset, metadata } of await this.deps.group.committed()) {
      const decoded = decodeMetadata(metadata, this.deps.shape, this.deps.columnsOf);
      if (decoded.last) this.remember(partition, decoded.last);
      if (!mine.has(partition)) continue;
      if (decoded.unreadable) throw new NeedsPersonError("pending-file", `Partition ${partition} of ${this.deps.topic}: ${decoded.unreadable}`);
      if (!decoded.intent) continue;
      // Pending only while the offset is still at its first file's range (another tool may have moved it).
      if (offset === rangeOn(decoded.intent, partition)?.first)
        lists.push({ partition, intents: decoded.next ? [decoded.intent, decoded.next] : [decoded.intent] });
    }
    // Each file counts as pending, and is committed, only on the partitions that list it.
    const redos = inOrder(lists, this.deps.topic).map(({ intent, partitions }) => ({ intent, ...newFlight([intent], 0, undefined, partitions) }));
    // Their names are used: the commits that clear their intents keep them as the last names used.
    for (const { intent } of redos) for (const partition of intent.held) this.remember(partition, intent);
    this.flights.push(...redos.map((redo) => redo.flight));
    try {
      for (const { intent, flight } of redos) await this.redo(intent, flight, epoch);
    } finally {
      for (const { flight, end } of redos) this.land(flight, end, flight.stored);
    }
  }

  /** Re-creates a pending file from its intent: same ranges, same bytes, same key. */
  private async redo(intent: FileIntent, flight: Flight, epoch: number): Promise<void> {
    this.deps.log("warn", "re-creating a file left pending", { key: this.deps.files.keyOf(intent) });
    const batch = this.deps.newBatch(intent.shape);
    await this.deps.group.read(intent.ranges, batch);
    this.deps.spool.reset(flight.slot);
    let file: PlannedFile;
    try {
      file = { intent, content: batch.content(undefined, this.deps.spool) };
    } finally {
      batch.release();
    }
    await this.deps.files.write(file, true);
    flight.stored = true;
    if (await this.commitFor(epoch, [...flight.on.keys()]))
      for (const [partition, { range }] of flight.on) this.skipThrough.set(partition, Math.max(range.last, this.skipThrough.get(partition) ?? -1));
  }

  /**
   * Commits the cut's intents: from here it is in flight, and its names are used whatever happens
   * to the upload. Says which cut was in flight before it, whose done commit goes first.
   */
  private commitIntent(flight: Flight, epoch: number): Promise<{ committed: boolean; previous?: Flight }> {
    return this.serially(async () => {
      const previous = this.flights.at(-1);
      this.flights.push(flight);
      let committed = false;
      try {
        committed = await this.commitNow(epoch, [...flight.on.keys()]);
      } finally {
        if (!committed) this.flights = this.flights.filter((known) => known !== flight);
      }
      if (committed) for (const { intent } of flight.on.values()) for (const partition of intent.held) this.remember(partition, intent);
      return { committed, ...(previous ? { previous } : {}) };
    });
  }

  /** The cut's file intents, as `plan` will make them. */
  private intentsOf(batch: Batch, time: number): FileIntent[] {
    const held = [...new Set([...this.held, ...batch.partitionsWithMessages()])].sort((a, b) => a - b);
    const counterOf = (group: number[]) =>
      Math.max(0, ...group.map((partition) => (this.last.get(partition)?.time === time ? this.last.get(partition)!.counter + 1 : 0)));
    return planIntents({ time, held, shape: this.deps.shape, rangesOf: (group) => batch.rangesOf(group), counterOf });
  }

  /** The cut's files, their bodies held in `slot`; `batch` is released into them. */
  private plan(batch: Batch, time: number, slot: Slot): PlannedFile[] {
    this.deps.spool.reset(slot);
    try {
      return this.intentsOf(batch, time).map((intent) => ({ intent, content: batch.content(intent.held, this.deps.spool) }));
    } finally {
      batch.release();
    }
  }

  /** Commits what is true of `partitions` now (entryFor), after the commits before it. */
  private commitFor(epoch: number, partitions: number[]): Promise<boolean> {
    return this.serially(() => this.commitNow(epoch, partitions));
  }

  private serially<T>(run: () => Promise<T>): Promise<T> {
    const next = this.commits.then(run);
    this.commits = next.catch(() => undefined);
    return next;
  }

  /** False when the group moved on from `epoch`, a cut failed (see broken), or the commit was not made. */
  private async commitNow(epoch: number, partitions: number[]): Promise<boolean> {
    if (this.broken) return false;
    if (epoch !== this.epoch || partitions.length === 0) return epoch === this.epoch;
    try {
      const made = await this.deps.group.commit(partitions.map((partition) => ({ partition, ...this.entryFor(partition) })));
      return made && epoch === this.epoch;
    } catch (error) {
      // A join meanwhile voids the commit, whatever the error; otherwise it is the worker's to handle.
      if (epoch !== this.epoch) return false;
      throw error;
    }
  }

  /**
   * What the partition's committed offset says now: the first of its files not yet stored, with
   * that file's intent and the next one's; or, when all are stored, past the last of them.
   */
  private entryFor(partition: number): { offset: number; metadata: string } {
    const files = this.flights.flatMap((flight) => {
      const file = flight.on.get(partition);
      return file ? [{ ...file, stored: flight.stored }] : [];
    });
    const first = files.findIndex((file) => !file.stored);
    const last = this.last.get(partition);
    const named = last ? { last } : {};
    if (first < 0) return { offset: files.at(-1)!.range.last + 1, metadata: encodeMetadata(named) };
    const [intent, next, ...more] = files.slice(first).map((file) => file.intent) as [FileIntent, ...FileIntent[]];
    if (more.length > 0) throw new Error(`partition ${partition} has ${more.length + 2} files pending; at most ${maxCutsInFlight} are planned`);
    return { offset: files[first]!.range.first, metadata: encodeMetadata({ intent, ...(next ? { next } : {}), ...named }) };
  }

  private remember(partition: number, used: UsedName): void {
    const known = this.last.get(partition);
    if (!known || used.time > known.time || (used.time === known.time && used.counter > known.counter))
      this.last.set(partition, { time: used.time, counter: used.counter });
  }
}

/** A flight for these intents (on `only` their partitions, when given), and what ends it. */
function newFlight(intents: FileIntent[], slot: Slot, oldest?: number, only?: ReadonlySet<number>): { flight: Flight; end: (stored: boolean) => void } {
  let end!: (stored: boolean) => void;
  const ended = new Promise<boolean>((resolve) => (end = resolve));
  const on = new Map(
    intents.flatMap((intent) =>
      intent.ranges.filter((range) => only?.has(range.partition) ?? true).map((range) => [range.partition, { intent, range }] as const),
    ),
  );
  return { flight: { on, slot, stored: false, ended, ...(oldest !== undefined ? { oldest } : {}) }, end };
}

const rangeOn = (intent: FileIntent, partition: number) => intent.ranges.find((range) => range.partition === partition);

/**
 * The intents left pending, each after the one before it on any partition (a partition lists its
 * own oldest first; two cuts' files may share partitions in any pattern), with the partitions that
 * list each. Metadata that orders two files both ways was not written by this protocol.
 */
function inOrder(lists: ReadonlyArray<{ partition: number; intents: FileIntent[] }>, topic: string): Array<{ intent: FileIntent; partitions: Set<number> }> {
  const found: Array<{ intent: FileIntent; partitions: Set<number>; after: Set<number> }> = [];
  const idOf = (intent: FileIntent) => {
    const known = found.findIndex((candidate) => sameIntent(candidate.intent, intent));
    return known >= 0 ? known : found.push({ intent, partitions: new Set(), after: new Set() }) - 1;
  };
  for (const { partition, intents } of lists) {
    const ids = intents.map(idOf);
    ids.forEach((id, i) => {
      found[id]!.partitions.add(partition);
      if (i > 0) found[id]!.after.add(ids[i - 1]!);
    });
  }
  const order: number[] = [];
  while (order.length < found.length) {
    const next = found.findIndex((candidate, id) => !order.includes(id) && [...candidate.after].every((earlier) => order.includes(earlier)));
    if (next < 0)
      throw new NeedsPersonError(
        "pending-file",
        `The files left pending on ${topic} are listed in two orders, which Streamdrop never writes: the exporter's consumer group offsets were changed by another tool.`,
      );
    order.push(next);
  }
  return order.map((id) => found[id]!);
}
