// One exporter worker: a Kafka consumer in the exporter's group that gathers batches and stores
// them as files, exactly once. The protocol, per batch (docs/EXACTLY-ONCE.md has the argument):
//   1. commit each partition's current offset again, with the file's intent in the metadata;
//   2. store the file(s) under the name the intent fixes;
//   3. commit the offsets past the batch, clearing the intent.
// After any join (start, restart, rebalance) a worker first re-creates the files of intents left
// on its partitions, reading their exact offset ranges back, so a crash at any point neither
// loses nor doubles an event: a re-created file is byte for byte the one it replaces.
// Steps 2 and 3 run in the background (the file "in flight") while the next batch is gathered;
// the next intent waits for them, so a partition never has two intents pending at once.
// Every commit counts only once the broker acknowledged it: kafkajs's commitOffsets returns
// quietly, having sent nothing, while its consumer is not running (a broker outage, a restart).
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import kafkajs, { type Admin, type Consumer, type EachBatchPayload, type Kafka } from "kafkajs";
import { joinKey } from "../sinks/path-prefix.js";
import { validationFile } from "../stores/validation.js";
import { kafkaClient } from "../streams/kafka-client.js";
import { Batch, type BatchContent, type OffsetRange } from "./batch.js";
import { processSpoolDir, Spool } from "./spool.js";
import { decodeMetadata, encodeMetadata, sameIntent, type FileIntent } from "./commit-metadata.js";
import { planIntents } from "./file-intents.js";
import type { FileShape } from "./file-shape.js";
import { batchFileKey, nextCut } from "./file-names.js";
import { exportLogProblem, kafkaProblem, NeedsPersonError, topicDeleted, type KafkaContext } from "./needs-person.js";
import { readRanges } from "./range-reader.js";
import { objectStoreFor, signsBodyHash, type ObjectStore } from "../stores/object-store.js";
import { bodyLength, type SpooledFile } from "../stores/file-body.js";
import { decodeFetchResponse, isBatchEntry, type FetchedEntry } from "../streams/fetch-response.js";
import { storeObject } from "./storage.js";
import { compressBody } from "./compression.js";
import { ExportLog } from "./export-log.js";
import { groupLag } from "./lag-probe.js";
import { exitCodes, stopTimings, type LogEntry, type WorkerSpec, type WorkerState, type WorkerStatus } from "./worker-protocol.js";

/**
 * Fetch sizes, smaller than kafkajs's defaults (1 MiB per partition, 10 MiB per fetch). Each
 * fetch response arrives as socket chunks that kafkajs joins into one buffer; both become garbage
 * once the batch is gathered, but live long enough to wait for a full collection, so a worker's
 * resident memory grows by several responses between collections. Kafka still returns a record
 * batch larger than these whole (KIP-74), so they bound memory, not what can be read. Measured in
 * docs/BENCHMARKS.md ("What each change bought", item 8): ArrayBuffers at the peak 62–81 MiB
 * against 87–112, the drain rate within the noise.
 */
export const fetchSizes = { maxBytesPerPartition: 256 * 1024, maxBytes: 2 * 1024 * 1024 };

export interface WorkerHooks {
  status(status: WorkerStatus): void;
  file(entry: LogEntry): void;
  log(level: "error" | "warn" | "info", message: string, fields?: Record<string, unknown>): void;
  /** The worker cannot go on; its process should exit with `code` and be restarted. */
  fatal(error: unknown, code: number): void;
}

interface PlannedFile {
  intent: FileIntent;
  content: BatchContent<SpooledFile>;
}

class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

const rebalanceErrors = /REBALANCE_IN_PROGRESS|ILLEGAL_GENERATION|UNKNOWN_MEMBER_ID|FENCED_INSTANCE_ID|rebalanc/i;

export class ExportWorker {
  private readonly kafka: Kafka;
  private readonly store: ObjectStore;
  private readonly exportLog: ExportLog;
  private consumer?: Consumer;
  private admin?: Admin;
  /** A second admin that does not retry: the 5-second look at the cluster that notices an outage fast. */
  private probe?: Admin;
  /** Since when Kafka has been unreachable, and the lag when it was last reachable (cleared on contact). */
  private outage?: { since: number; lag: number; error: string };
  private readonly lock = new Mutex();
  /** Bumped on every group join; a batch or commit from an older epoch is void. */
  private epoch = 0;
  private preparedEpoch = -1;
  private assignment: number[] = [];
  private batch: Batch;
  /** Where the batch's full chunks and each cut's files are written before they are stored (see Spool). */
  private readonly spool: Spool;
  /** Consecutive topic checks that found the topic gone (two in a row: deleted, not a metadata race). */
  private topicMissing = 0;
  /** Last file time and counter per partition, so names are never reused. */
  private readonly last = new Map<number, { time: number; counter: number }>();
  /** Offsets already exported by recovery in this epoch, to skip when they are fetched again. */
  private readonly skipThrough = new Map<number, number>();
  private nextBoundary = 0;
  /** The topic's retention.ms (undefined: unknown or infinite), for the lag warning. */
  private retentionMs?: number;
  /** Timestamps of the oldest event in the batch being gathered, in the file being stored, and of the last one fetched. */
  private oldestPending?: number;
  private oldestInFlight?: number;
  private lastFetched?: number;
  /** The upload and done commit of the last cut batch, running while the next one is gathered. */
  private inFlight?: Promise<void>;
  private timers: NodeJS.Timeout[] = [];
  private ticking = false;
  private stopping = false;
  /** Aborted by stop(): a storage backoff waiting to retry ends at once. */
  private readonly stopSignal = new AbortController();
  private failed = false;
  private readonly status: WorkerStatus = { state: "starting", assigned: [], eventsExported: 0, invalidExported: 0, bytesExported: 0, filesWritten: 0, tombstonesSkipped: 0, lag: [] };
  private readonly context: KafkaContext;

  constructor(
    private readonly spec: WorkerSpec,
    private readonly hooks: WorkerHooks,
    private readonly now: () => number = Date.now,
  ) {
    const log = (level: "error" | "warn" | "info", message: string, fields: Record<string, unknown>) => hooks.log(level, message, fields);
    this.kafka = kafkaClient(spec.kafka, `streamdrop-${spec.exporterName}-${spec.workerIndex}`, log);
    this.store = objectStoreFor(spec.storage, `streamdrop-${spec.exporterName}`);
    this.exportLog = new ExportLog(spec.dataDir);
    // A compressed file is uploaded from memory, and hashed there: hashing its lines would be wasted.
    this.spool = new Spool(processSpoolDir(join(spec.dataDir, "spool"), `${spec.exporterId}-${spec.workerIndex}`), signsBodyHash(spec.storage) && spec.shape.compression === "none");
    this.batch = this.newBatch(spec.shape);
    this.context = { topic: spec.topic, brokers: spec.kafka.brokers, groupId: spec.groupId, ...(spec.kafka.sasl ? { username: spec.kafka.sasl.username } : {}) };
  }

  /** A batch whose lines take `shape`'s format: new files take the exporter's, a re-created one its intent's. */
  private newBatch(shape: FileShape): Batch {
    return new Batch(shape.lines, this.spec.topic, this.spool, shape.rules);
  }

  /** Starts consuming; failures are reported through the hooks (status, then fatal). */
  async start(): Promise<void> {
    try {
      await this.startConsuming();
    } catch (error) {
      this.fail(error);
    }
  }

  private async startConsuming(): Promise<void> {
    this.setState("starting");
    if (this.spec.writeValidationFile) await this.writeValidationFile();
    this.admin = this.kafka.admin();
    await this.admin.connect();
    // Its own client: kafkajs retries connecting at the client level, which would hide an outage for 10 s and more.
    this.probe = kafkaClient(this.spec.kafka, `streamdrop-${this.spec.exporterName}-${this.spec.workerIndex}-probe`, undefined, { retries: 0 }).admin({ retry: { retries: 0 } });
    await this.probe.connect();
    // A missing topic needs a person; subscribing would only retry (never auto-create it: see below).
    if (!(await this.admin.listTopics()).includes(this.spec.topic)) throw topicDeleted(this.context);
    this.retentionMs = await this.topicRetention();
    const consumer = this.kafka.consumer({
      groupId: this.spec.groupId,
      sessionTimeout: this.spec.sessionTimeoutMs,
      heartbeatInterval: Math.min(3000, this.spec.sessionTimeoutMs / 3),
      rebalanceTimeout: 30_000,
      retry: { retries: 8 },
      // An exporter reads; a deleted topic must stay deleted, not come back empty on a broker that auto-creates.
      allowAutoTopicCreation: false,
      // Record batches, not kafkajs's per-record objects: see fetch-response.ts.
      decodeFetchResponse,
      ...fetchSizes,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.epoch += 1;
      this.assignment = [...(payload.memberAssignment[this.spec.topic] ?? [])].sort((a, b) => a - b);
      this.status.assigned = this.assignment;
      this.hooks.log("info", "joined the consumer group", { partitions: this.assignment });
      this.report();
    });
    // kafkajs restarts the consumer itself after retriable crashes (it then rejoins, which starts a
    // new epoch); only a crash it gives up on ends the worker.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!this.stopping && !payload.restart) this.fail(payload.error);
      else this.hooks.log("warn", "the Kafka consumer restarts after an error", { error: payload.error.message });
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.spec.topic, fromBeginning: this.spec.fromBeginning });
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: (payload) => this.onBatch(payload) });
    this.nextBoundary = nextCut(this.now(), this.spec.intervalSeconds);
    this.timers = [setInterval(() => void this.tick(), 200), setInterval(() => void this.look(), 5000)];
    this.setState("running");
  }

  /** Stops consuming; a batch not yet stored is dropped uncommitted and read again next time. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.stopSignal.abort();
    this.timers.forEach((timer) => clearInterval(timer));
    // A file being stored finishes (or gives up, now that we are stopping) before we leave the
    // group; but a commit kafkajs retries through a rebalance can take a minute, and the
    // supervisor's grace is shorter: past `fileMs` the worker leaves it pending, as a crash would.
    const file = (async () => {
      await this.lock.run(async () => undefined);
      await this.inFlight?.catch(() => undefined);
    })();
    if (!(await settlesWithin(file, stopTimings.fileMs))) this.hooks.log("warn", "stopping with a file unfinished; the next start re-creates it from its intent", { waitedSeconds: stopTimings.fileMs / 1000 });
    const leave = Promise.all([this.consumer?.disconnect(), this.admin?.disconnect(), this.probe?.disconnect()]);
    if (!(await settlesWithin(leave, stopTimings.leaveMs))) this.hooks.log("warn", "stopping without having left the consumer group; the broker ends the membership at its session timeout", { waitedSeconds: stopTimings.leaveMs / 1000 });
    this.store.close();
    this.spool.clear();
    this.setState("stopped");
  }

  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const beat = setInterval(() => void heartbeat().catch(() => undefined), 2500);
    // Offsets are resolved (the next fetch starts after them) up to the last message added.
    let added: string | undefined;
    try {
      await this.lock.run(async () => {
        await this.prepareEpoch();
        // Records before the fetch offset come with a compressed batch that began earlier; those
        // recovery already exported come again after it.
        const start = Math.max(Number(batch.fetchedOffset), (this.skipThrough.get(batch.partition) ?? -1) + 1);
        for (const entry of batch.messages as FetchedEntry[]) {
          for (let from = start; ; ) {
            if (!isRunning() || isStale() || this.stopping) return;
            const full = this.batch.addEntry(batch.partition, entry, { from, maxBytes: this.spec.maxBatchBytes });
            this.noteFetched(entry);
            if (full === undefined) break;
            added = String(full);
            resolveOffset(added);
            await this.cut(Math.floor(this.now() / 1000));
            from = full + 1;
          }
          added = entry.offset;
        }
      });
    } catch (error) {
      this.fail(error);
    } finally {
      if (added !== undefined) resolveOffset(added);
      clearInterval(beat);
    }
  }

  /** Per fetched entry, not per record: the oldest event pending and the newest fetched (for the retention warning). */
  private noteFetched(entry: FetchedEntry): void {
    if (this.batch.isEmpty) return;
    const [first, last] = isBatchEntry(entry) ? [entry.recordBatch.baseTimestamp, entry.recordBatch.maxTimestamp] : [Number(entry.timestamp), Number(entry.timestamp)];
    this.oldestPending ??= first;
    this.lastFetched = last;
  }

  private async tick(): Promise<void> {
    if (this.ticking || this.stopping) return;
    this.ticking = true;
    try {
      const now = this.now();
      const due = now >= this.nextBoundary * 1000;
      const boundary = this.nextBoundary;
      if (due) this.nextBoundary = nextCut(now, this.spec.intervalSeconds);
      if (due || this.preparedEpoch !== this.epoch) {
        await this.lock.run(async () => {
          await this.prepareEpoch();
          if (due) await this.cut(boundary);
        });
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.ticking = false;
    }
  }

  /** Once per join: forget the old epoch's batch, then finish the files left pending. */
  private async prepareEpoch(): Promise<void> {
    while (this.preparedEpoch !== this.epoch && !this.stopping) {
      const epoch = this.epoch;
      if (epoch === 0) return; // Not joined yet.
      // Let the file in flight finish first (its done commit is void now), so recovery sees its intent settled.
      await this.inFlight?.catch(() => undefined);
      this.batch = this.newBatch(this.spec.shape);
      this.oldestPending = undefined;
      this.skipThrough.clear();
      await this.recover(epoch);
      this.preparedEpoch = epoch;
    }
  }

  private async recover(epoch: number): Promise<void> {
    const [committed] = await this.admin!.fetchOffsets({ groupId: this.spec.groupId, topics: [this.spec.topic] });
    const mine = new Set(this.assignment);
    const pending: FileIntent[] = [];
    for (const { partition, offset, metadata } of committed?.partitions ?? []) {
      const decoded = decodeMetadata(metadata, this.spec.shape);
      if (decoded.last) this.remember(partition, decoded.last);
      if (!mine.has(partition)) continue;
      if (decoded.unreadable) throw new NeedsPersonError("pending-file", `Partition ${partition} of ${this.spec.topic}: ${decoded.unreadable}`);
      const intent = decoded.intent;
      if (!intent) continue;
      const range = intent.ranges.find((candidate) => candidate.partition === partition);
      if (range && Number(offset) === range.first && !pending.some((known) => sameIntent(known, intent))) pending.push(intent);
    }
    for (const intent of pending) await this.redo(intent, epoch);
  }

  /** Re-creates a pending file from its intent: same ranges, same bytes, same key. */
  private async redo(intent: FileIntent, epoch: number): Promise<void> {
    this.hooks.log("warn", "re-creating a file left pending", { key: this.keyOf(intent) });
    const batch = this.newBatch(intent.shape);
    await readRanges(this.kafka, this.spec.topic, this.spec.groupId, intent.ranges, batch);
    this.spool.reset();
    const file = { intent, content: batch.content(undefined, this.spool) };
    batch.release();
    await this.storeFile(file, true);
    const mine = intent.ranges.filter((range) => this.assignment.includes(range.partition));
    if (await this.commit(epoch, mine, (range) => ({ offset: range.last + 1, metadata: encodeMetadata({ last: { time: intent.time, counter: intent.counter } }) }))) {
      for (const range of mine) this.skipThrough.set(range.partition, range.last);
    }
    for (const partition of intent.held) this.remember(partition, intent);
  }

  /**
   * Cuts the batch gathered so far into one file per group of held partitions: commits their
   * intent, then stores them and commits them done in the background, so gathering goes on
   * meanwhile. Waits first for the previous file, whose intent must be done before the next one.
   */
  private async cut(time: number): Promise<void> {
    if (this.batch.isEmpty || this.preparedEpoch !== this.epoch) return;
    await this.inFlight;
    if (this.preparedEpoch !== this.epoch) return; // A join while waiting: the batch is void.
    const epoch = this.epoch;
    const batch = this.batch;
    this.batch = this.newBatch(this.spec.shape);
    const oldest = this.oldestPending;
    this.oldestPending = undefined;
    const files = this.plan(batch, time);
    if (!(await this.commitIntent(files, epoch))) return; // The group moved on; whoever owns the batch reads it again.
    this.oldestInFlight = oldest;
    const flight = this.storeAndCommit(files, epoch).finally(() => {
      this.oldestInFlight = undefined;
      if (this.inFlight === flight) this.inFlight = undefined;
    });
    this.inFlight = flight;
    flight.catch((error: unknown) => this.fail(error));
  }

  private async commitIntent(files: PlannedFile[], epoch: number): Promise<boolean> {
    const intentOf = intentsByPartition(files);
    const committed = await this.commit(epoch, rangesOf(files), (range) => ({
      offset: range.first,
      metadata: encodeMetadata({ intent: intentOf.get(range.partition)!, ...(this.last.has(range.partition) ? { last: this.last.get(range.partition)! } : {}) }),
    }));
    // From here the names are used, whatever happens to the upload: never hand them out again.
    if (committed) for (const file of files) for (const partition of file.intent.held) this.remember(partition, file.intent);
    return committed;
  }

  private async storeAndCommit(files: PlannedFile[], epoch: number): Promise<void> {
    for (const file of files) await this.storeFile(file, false);
    const intentOf = intentsByPartition(files);
    await this.commit(epoch, rangesOf(files), (range) => {
      const intent = intentOf.get(range.partition)!;
      return { offset: range.last + 1, metadata: encodeMetadata({ last: { time: intent.time, counter: intent.counter } }) };
    });
  }

  /** The cut's files; `batch` is released into them. Only once the last cut's files are stored (see cut). */
  private plan(batch: Batch, time: number): PlannedFile[] {
    const held = [...new Set([...this.assignment, ...batch.partitionsWithMessages()])].sort((a, b) => a - b);
    const files: PlannedFile[] = [];
    this.spool.reset();
    const counterOf = (group: number[]) => Math.max(0, ...group.map((partition) => (this.last.get(partition)?.time === time ? this.last.get(partition)!.counter + 1 : 0)));
    for (const intent of planIntents({ time, held, shape: this.spec.shape, rangesOf: (group) => batch.rangesOf(group), counterOf })) {
      files.push({ intent, content: batch.content(intent.held, this.spool) });
    }
    batch.release();
    return files;
  }

  private keyOf(intent: FileIntent, kind: "events" | "invalid" = "events"): string {
    const { prefix, template, compression } = intent.shape;
    return batchFileKey({ ...(prefix ? { prefix } : {}), time: intent.time, topic: this.spec.topic, partitions: intent.held, counter: intent.counter, ...(template ? { template } : {}) }, kind, compression);
  }

  private async storeFile({ intent, content }: PlannedFile, recovered: boolean): Promise<void> {
    const parts: Array<["events" | "invalid", SpooledFile | undefined, number]> = [
      ["events", content.events, content.eventCount],
      ["invalid", content.invalid, content.invalidCount],
    ];
    // Skipped tombstones ride on the file's first part (events, else -invalid).
    let skipped = content.skippedCount;
    for (const [kind, lines, records] of parts) {
      if (!lines) continue;
      const key = this.keyOf(intent, kind);
      const body = await compressBody(lines, intent.shape.compression);
      await storeObject(this.store, key, body, this.retryPolicy());
      // Stored; but while Kafka is unreachable the exporter is still retrying, and says so.
      if (this.outage) this.noteOutage(new Error(this.outage.error));
      else this.setState("running");
      this.status.filesWritten += 1;
      this.status.bytesExported += bodyLength(body);
      if (kind === "events") this.status.eventsExported += records;
      else this.status.invalidExported += records;
      this.status.lastFile = key;
      await this.logFile({ at: new Date(this.now()).toISOString(), exporter: this.spec.exporterName, key, uri: this.uriOf(key), kind, bytes: bodyLength(body), records, partitions: content.ranges, ...(skipped > 0 ? { tombstonesSkipped: skipped } : {}), ...(recovered ? { recovered } : {}) });
      skipped = 0;
    }
    // Nothing stored: every record was a tombstone the policy skips. They are logged all the same,
    // before the done commit, under the key the intent names, so recovery re-running this intent
    // logs that key again and they count once (the log is read one entry per key).
    if (skipped > 0) {
      await this.logFile({ at: new Date(this.now()).toISOString(), exporter: this.spec.exporterName, key: this.keyOf(intent), kind: "skipped", partitions: content.ranges, tombstonesSkipped: skipped, ...(recovered ? { recovered } : {}) });
    }
    this.status.tombstonesSkipped += content.skippedCount;
    this.report();
  }

  private async writeValidationFile(): Promise<void> {
    const file = validationFile(this.spec.shape.compression, randomUUID());
    const key = joinKey(this.spec.shape.prefix, file.name);
    await storeObject(this.store, key, file.body, this.retryPolicy());
    await this.logFile({ at: new Date(this.now()).toISOString(), exporter: this.spec.exporterName, key, uri: this.uriOf(key), kind: "validation", bytes: 0, records: 0, partitions: [] });
  }

  /**
   * The export log is the user's only inventory (the key cannot list the bucket), so the worker
   * writes each entry itself, before the done commit: a crash before it leaves the intent pending,
   * and recovery logs the re-created file. A log that cannot be written needs a person.
   */
  private async logFile(entry: LogEntry): Promise<void> {
    try {
      await this.exportLog.append(this.spec.exporterId, entry);
    } catch (error) {
      throw exportLogProblem(this.exportLog.fileOf(this.spec.exporterId), error);
    }
    this.hooks.file(entry);
  }

  private uriOf(key: string): string {
    return this.store.uri(key);
  }

  private retryPolicy() {
    return {
      signal: this.stopSignal.signal,
      onRetry: (attempt: number, error: unknown, delayMs: number) => {
        this.status.lastError = `Storing a file failed (${(error as Error).name}: ${(error as Error).message}); retry ${attempt} in ${Math.round(delayMs / 1000)} s.`;
        this.setState("retrying");
      },
    };
  }

  /**
   * Commits for `ranges`; true only once the broker acknowledged it. False when the group moved on
   * since `epoch`, or when kafkajs sent nothing (its consumer not running): the caller then treats
   * the commit as not made, and the next join settles it from what Kafka really holds.
   */
  private async commit(epoch: number, ranges: OffsetRange[], entry: (range: OffsetRange) => { offset: number; metadata: string }): Promise<boolean> {
    if (epoch !== this.epoch || ranges.length === 0) return epoch === this.epoch;
    const commits = ranges.map((range) => ({ topic: this.spec.topic, partition: range.partition, ...stringOffset(entry(range)) }));
    // kafkajs emits COMMIT_OFFSETS only after the coordinator answered; commits never overlap here (see cut).
    let acknowledged = false;
    const stopListening = this.consumer!.on(this.consumer!.events.COMMIT_OFFSETS, ({ payload }) => {
      acknowledged ||= sameCommits(payload.topics, commits);
    });
    try {
      await this.consumer!.commitOffsets(commits);
      if (!acknowledged) this.hooks.log("warn", "a commit was not acknowledged by Kafka (its consumer is not running); it counts as not made", { partitions: ranges.map((range) => range.partition) });
      return acknowledged && epoch === this.epoch;
    } catch (error) {
      if (epoch !== this.epoch || rebalanceErrors.test(`${(error as Error).name} ${(error as Error).message} ${(error as { type?: string }).type}`)) return false;
      throw error;
    } finally {
      stopListening();
    }
  }

  private remember(partition: number, used: { time: number; counter: number }): void {
    const known = this.last.get(partition);
    if (!known || used.time > known.time || (used.time === known.time && used.counter > known.counter)) this.last.set(partition, { time: used.time, counter: used.counter });
  }

  /**
   * Every 5 s, one look at the cluster with the admin that does not retry: is the topic still
   * there, how far behind are we. An unreachable cluster shows as retrying within seconds, with
   * since when and how far behind; a topic gone twice running needs a person. It touches the spool
   * folder too, which tells other machines' workers sharing the data folder that this one lives.
   */
  private async look(): Promise<void> {
    this.spool.touch();
    if (!this.probe || this.stopping || this.failed) return;
    let topics: string[];
    try {
      topics = await this.probe.listTopics();
    } catch (error) {
      this.noteOutage(error);
      return;
    }
    this.endOutage();
    this.topicMissing = topics.includes(this.spec.topic) ? 0 : this.topicMissing + 1;
    if (this.topicMissing >= 2) this.fail(topicDeleted(this.context));
    // Lag is informational: a failed refresh waits for the next look.
    if (this.topicMissing === 0) await this.refreshLag(this.probe).catch(() => undefined);
  }

  private noteOutage(error: unknown): void {
    const lag = this.status.lag.reduce((total, partition) => total + Math.max(0, partition.end - partition.committed), 0);
    this.outage ??= { since: this.now(), lag, error: (error as Error).message };
    const seconds = Math.round((this.now() - this.outage.since) / 1000);
    this.status.lastError = `Reconnecting to Kafka at ${this.spec.kafka.brokers.join(",")} since ${new Date(this.outage.since).toISOString().slice(11, 19)} UTC (${seconds} s; ${this.outage.error}). ${this.outage.lag} events were still to export when it was last reachable; nothing is lost meanwhile.`;
    this.setState("retrying");
  }

  private endOutage(): void {
    if (!this.outage) return;
    this.outage = undefined;
    if (this.status.state === "retrying" && this.status.lastError?.startsWith("Reconnecting to Kafka")) this.setState("running");
  }

  private async refreshLag(admin: Admin): Promise<void> {
    this.status.lag = await groupLag(admin, this.spec.topic, this.spec.groupId, this.assignment);
    this.status.warning = this.retentionWarning();
    if (!this.status.warning) delete this.status.warning;
    this.report();
  }

  private async topicRetention(): Promise<number | undefined> {
    try {
      const described = await this.admin!.describeConfigs({ includeSynonyms: false, resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: this.spec.topic, configNames: ["retention.ms"] }] });
      const value = Number(described.resources[0]?.configEntries.find((entry) => entry.configName === "retention.ms")?.configValue);
      return Number.isFinite(value) && value > 0 ? value : undefined;
    } catch {
      return undefined;
    }
  }

  /** The oldest event not yet exported: in the file being stored, in the batch, or (behind, nothing read yet) after the last one read. */
  private oldestUnexported(): number | undefined {
    const behind = this.status.lag.some((partition) => partition.end > partition.committed);
    return this.oldestInFlight ?? this.oldestPending ?? (behind ? this.lastFetched : undefined);
  }

  /** Says so when the oldest event still to export is 80% of the way to the topic deleting it. */
  private retentionWarning(): string | undefined {
    const oldest = this.oldestUnexported();
    if (!this.retentionMs || oldest === undefined) return undefined;
    const age = this.now() - oldest;
    if (age < 0.8 * this.retentionMs) return undefined;
    const hours = (ms: number) => (ms >= 3_600_000 ? `${(ms / 3_600_000).toFixed(1)} h` : `${Math.round(ms / 60_000)} min`);
    return `Lag is close to the topic's retention: the oldest event not yet exported is ${hours(age)} old, and ${this.spec.topic} deletes events after ${hours(this.retentionMs)}. Add workers or hosts, or raise the topic's retention.ms, or those events will be lost.`;
  }

  /** The worker cannot go on. A failure that needs a person says so in the status, and its exit code makes the supervisor wait longer. */
  private fail(error: unknown): void {
    if (this.stopping || this.failed) return;
    this.failed = true;
    const problem = error instanceof NeedsPersonError ? error : kafkaProblem(error, this.context);
    this.status.lastError = (problem ?? (error as Error)).message;
    if (problem) this.status.problem = problem.problem;
    this.setState("error");
    this.hooks.fatal(problem ?? error, problem ? exitCodes.needsPerson : exitCodes.crashed);
  }

  private setState(state: WorkerState): void {
    this.status.state = state;
    if (state === "running") {
      delete this.status.lastError;
      delete this.status.problem;
    }
    this.report();
  }

  private report(): void {
    const oldest = this.oldestUnexported();
    const { oldestUnexportedAt: _, ...status } = this.status;
    this.hooks.status({ ...status, assigned: [...this.status.assigned], lag: [...this.status.lag], ...(oldest !== undefined ? { oldestUnexportedAt: oldest } : {}) });
  }
}

const rangesOf = (files: PlannedFile[]) => files.flatMap((file) => file.content.ranges);
const intentsByPartition = (files: PlannedFile[]) => new Map(files.flatMap((file) => file.content.ranges.map((range) => [range.partition, file.intent] as const)));
const stringOffset = ({ offset, metadata }: { offset: number; metadata: string }) => ({ offset: String(offset), metadata });

/** Whether `work` settles (either way) within `ms`; it goes on regardless. */
async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const settled = await Promise.race([work.then(() => true as const, () => true as const), late]);
  clearTimeout(timer);
  return settled;
}

/** Whether an acknowledged commit (kafkajs's COMMIT_OFFSETS payload) is the one we sent. */
function sameCommits(acknowledged: Array<{ topic: string; partitions: Array<{ partition: number; offset: unknown; metadata?: string | null }> }>, sent: Array<{ topic: string; partition: number; offset: string; metadata: string }>): boolean {
  const seen = new Map(acknowledged.flatMap((topic) => topic.partitions.map((entry) => [`${topic.topic}/${entry.partition}`, `${String(entry.offset)}|${entry.metadata ?? ""}`] as const)));
  return sent.every((commit) => seen.get(`${commit.topic}/${commit.partition}`) === `${commit.offset}|${commit.metadata}`);
}
