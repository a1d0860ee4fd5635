// Everything an exporter test needs: a bucket, a topic, a sink (its key in the real keychain), a
// stream, an exporter and an engine running real workers; then a producer of events with
// unique ids, and a reader that takes every object back out of the bucket.
import { setTimeout as sleep } from "node:timers/promises";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import type { Producer } from "kafkajs";
import { inject } from "vitest";
import type { BatchExporterRecord } from "../../main/core/config/schema.js";
import type { ExportEngine } from "../../main/core/exporters/control/engine.js";
import type { LaunchWorker } from "../../main/core/exporters/control/worker-handle.js";
import { encodeMetadata, type FileIntent } from "../../main/core/exporters/commit/commit-metadata.js";
import { consumerGroupId } from "../../main/core/exporters/control/exporter-service.js";
import { decodingOf, fileShapeOf } from "../../main/core/exporters/file-shape.js";
import type { ExportLogEntry } from "../../main/core/exporters/worker-protocol.js";
import type { ClientCertificateInput, SaslInput } from "../../main/core/streams/stream-service.js";
import { kafka, s3Client, uniqueName } from "./clients.js";
import { linesOf } from "./file-lines.js";
import { parquetLines } from "./parquet-rows.js";
import { testCore, type TestCore } from "./core.js";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy.js";
import { waitFor } from "./wait-for.js";

export interface HarnessOptions {
  kafkaBrokers: string;
  /** Where the test reads the bucket (moto itself). */
  s3Endpoint: string;
  /** Where the sink writes; a proxy in outage tests. Defaults to s3Endpoint. */
  sinkEndpoint?: string;
  partitions?: number;
  intervalSeconds?: number;
  workers?: number;
  maxBatchMb?: number;
  prefix?: string;
  /** What each line holds, and the tombstone policy (the exporter's --fields and --tombstones). */
  fields?: string[];
  tombstones?: string;
  /** The exporter's --format, --compression and a Parquet exporter's --columns. */
  format?: string;
  compression?: string;
  columns?: string;
  /** The exporter's --path-template. */
  pathTemplate?: string;
  /** Topic settings, e.g. retention.ms. */
  topicConfig?: Record<string, string>;
  /** The stream's Schema Registry (its REST address), and the exporter's decoding. */
  schemaRegistry?: string;
  /** The registry logs in with the stream's OAuth client (the login's `sasl` is oauthbearer). */
  registryOauth?: boolean;
  decode?: string;
  /** Read the stream through a SASL listener of the same broker (the test still produces in plain). */
  sasl?: { brokers: string; mechanism: "scram-sha-256" | "scram-sha-512"; username: string; password: string };
  /** Read the stream through another listener of the same broker, with this login (mTLS, OAUTHBEARER). */
  login?: { brokers: string; caFile?: string; sasl?: SaslInput; clientCertificate?: ClientCertificateInput };
}

export interface StoredObject {
  key: string;
  /** The lines, decompressed when the name says the file is compressed; a Parquet file's rows as JSON lines. */
  body: string;
  /** The bytes as stored. */
  raw: Buffer;
  contentType?: string;
  contentEncoding?: string;
  /** Stored bytes (compressed, if it is). */
  bytes: number;
}

export class ExportHarness {
  readonly core: TestCore = testCore();
  readonly topic = uniqueName("events");
  readonly bucket = uniqueName("export");
  readonly s3: S3Client;
  exporter!: BatchExporterRecord;
  engine?: ExportEngine;
  private producer?: Producer;
  private produced = 0;

  constructor(readonly options: HarnessOptions) {
    this.s3 = s3Client(options.s3Endpoint);
  }

  async setUp(): Promise<void> {
    await this.s3.send(new CreateBucketCommand({ Bucket: this.bucket }));
    const admin = kafka(this.options.kafkaBrokers).admin();
    await admin.connect();
    const configEntries = Object.entries(this.options.topicConfig ?? {}).map(([name, value]) => ({ name, value }));
    await admin.createTopics({ topics: [{ topic: this.topic, numPartitions: this.options.partitions ?? 3, configEntries }], waitForLeaders: true });
    await admin.disconnect();
    const key = JSON.stringify({ AccessKey: { AccessKeyId: "AKIAEXPORTTESTEXPORT", SecretAccessKey: uniqueName("not-a-real-secret") } });
    await this.core.sinks.create({
      name: "s3",
      bucket: this.bucket,
      credentials: { from: "text", text: key, label: "(test key)" },
      endpoint: this.options.sinkEndpoint ?? this.options.s3Endpoint,
      pathPrefix: this.options.prefix ?? "events",
    });
    const { sasl, login } = this.options;
    await this.core.streams.create({
      name: "clicks",
      bootstrapServers: login?.brokers ?? sasl?.brokers ?? this.options.kafkaBrokers,
      topic: this.topic,
      ...(sasl ? { sasl: { mechanism: sasl.mechanism, username: sasl.username, password: { from: "value" as const, value: sasl.password } } } : {}),
      ...(login?.sasl ? { sasl: login.sasl } : {}),
      ...(login?.clientCertificate ? { clientCertificate: login.clientCertificate } : {}),
      ...(login?.caFile ? { caFile: login.caFile, ssl: true } : {}),
      ...(this.options.schemaRegistry ? { schemaRegistry: { url: this.options.schemaRegistry, ...(this.options.registryOauth ? { oauth: {} } : {}) } } : {}),
    });
    this.exporter = await this.core.exporters.create({
      streamName: "clicks",
      sinkName: "s3",
      intervalSeconds: this.options.intervalSeconds ?? 2,
      includeExistingEvents: true,
      workers: this.options.workers ?? 1,
      maxBatchMb: this.options.maxBatchMb ?? 32,
      ...(this.options.fields ? { fields: this.options.fields } : {}),
      ...(this.options.tombstones ? { tombstones: this.options.tombstones } : {}),
      ...(this.options.format ? { format: this.options.format } : {}),
      ...(this.options.compression ? { compression: this.options.compression } : {}),
      ...(this.options.columns ? { columns: this.options.columns } : {}),
      ...(this.options.pathTemplate ? { pathTemplate: this.options.pathTemplate } : {}),
      ...(this.options.decode ? { decode: this.options.decode } : {}),
    });
    this.producer = kafka(this.options.kafkaBrokers).producer();
    await this.producer.connect();
  }

  /**
   * Runs the exporter in real workers (threads of worker hosts), restarting them fast (tests kill
   * them often); `launch` wraps the engine's own, for a test that keeps the handles.
   */
  async startEngine(sessionTimeoutMs = 10_000, launch?: LaunchWorker): Promise<ExportEngine> {
    this.engine = this.core.engine({ restartBackoff: { initialMs: 300, maxMs: 2000 }, sessionTimeoutMs, ...(launch ? { launch } : {}) });
    await this.engine.start();
    return this.engine;
  }

  /** Produces `count` events with ids `<run>-<n>`, in requests of `per` messages, stamped `timestamp` (default now). */
  async produce(count: number, per = 500, timestamp?: number): Promise<string[]> {
    const ids: string[] = [];
    for (let sent = 0; sent < count; sent += per) {
      const size = Math.min(per, count - sent);
      const messages = Array.from({ length: size }, () => {
        const id = `${this.topic}-${this.produced++}`;
        ids.push(id);
        return {
          key: id,
          value: JSON.stringify({ id, strmMeta: { schemaId: "clickstream", nonce: this.produced, timestamp: Date.now() }, url: "https://example.test/" }),
          ...(timestamp !== undefined ? { timestamp: String(timestamp) } : {}),
        };
      });
      await this.producer!.send({ topic: this.topic, messages });
    }
    return ids;
  }

  /**
   * Produces `count` events every `pauseMs` until stopped, as a live topic gets them while a test
   * kills workers; `stop()` waits for the request in flight and gives every id produced.
   */
  produceSteadily(count: number, pauseMs: number): { stop(): Promise<string[]> } {
    const ids: string[] = [];
    let producing = true;
    const loop = (async () => {
      while (producing) {
        ids.push(...(await this.produce(count, 200)));
        await sleep(pauseMs);
      }
    })();
    return {
      stop: async () => {
        producing = false;
        await loop;
        return ids;
      },
    };
  }

  async produceRaw(messages: Array<{ key?: Buffer | string | null; value: Buffer | string | null; partition?: number }>): Promise<void> {
    await this.producer!.send({ topic: this.topic, messages });
  }

  /** Every object under the prefix, with its content. */
  /**
   * Makes a stored file pending again, as a crash between its intent and its done commit leaves
   * it: the group's offsets go back to the file's start, carrying its intent (the file's name and
   * ranges, the exporter's shape), exactly as a worker commits it before storing the file.
   */
  async pendAgain(file: ExportLogEntry): Promise<FileIntent> {
    const name = file.key.slice(file.key.lastIndexOf("/") + 1);
    const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)-.*---(\d+(?:-\d+)*)(?:\.(\d+))?(?:-invalid)?\.[a-z]/.exec(name);
    if (!match || !file.partitions) throw new Error(`${file.key} is not a batch file's key`);
    const intent: FileIntent = {
      time: Date.parse(`${match[1]}Z`) / 1000,
      counter: Number(match[3] ?? 0),
      held: match[2]!.split("-").map(Number),
      ranges: file.partitions,
      // Decoding as the engine decides it: with the stream's registry unless the exporter says none.
      shape: fileShapeOf({ ...this.exporter, decode: decodingOf(this.exporter, { schemaRegistry: this.options.schemaRegistry }) }),
    };
    const metadata = encodeMetadata({ intent });
    await this.commitAsAWorker(
      consumerGroupId(this.exporter),
      file.partitions.map((range) => ({ partition: range.partition, offset: String(range.first), metadata })),
    );
    return intent;
  }

  /**
   * The file made pending again (pendAgain) and re-created by a new engine's recovery: its intent,
   * and the bytes stored under its key once recovery logs it again.
   */
  async recreate(file: ExportLogEntry): Promise<{ intent: FileIntent; raw: Buffer }> {
    const intent = await this.pendAgain(file);
    const engine = await this.startEngine();
    await waitFor("the re-created file", async () =>
      (await this.core.exportLog.read(this.exporter.id)).find((entry) => entry.recovered && entry.key === file.key),
    );
    await engine.stop();
    return { intent, raw: (await this.objects()).find((object) => object.key === file.key)!.raw };
  }

  /**
   * Commits offsets (with their metadata) for the exporter's group as one of its workers would,
   * from a member of the group: what a worker that crashed mid-file leaves behind.
   */
  async commitAsAWorker(groupId: string, commits: Array<{ partition: number; offset: string; metadata: string }>): Promise<void> {
    // A broker that has just started answers "the coordinator is loading" for a while, and a
    // commit made around that can be lost: commit, read it back, and again until it holds.
    for (let attempt = 1; ; attempt += 1) {
      await this.commitOnce(groupId, commits);
      if (await this.holds(groupId, commits)) return;
      if (attempt === 5) throw new Error(`The commits for group ${groupId} did not hold after ${attempt} attempts.`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  private async commitOnce(groupId: string, commits: Array<{ partition: number; offset: string; metadata: string }>): Promise<void> {
    // No restart after a crash: a restarted member would rejoin the exporter's group after this
    // one has gone and hold partitions it never reads. A crash is a failed attempt instead.
    const consumer = kafka(this.options.kafkaBrokers).consumer({ groupId, sessionTimeout: 6000, retry: { retries: 2, restartOnFailure: async () => false } });
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: this.topic, fromBeginning: true });
      const joined = new Promise<boolean>((resolve) => {
        consumer.on(consumer.events.GROUP_JOIN, () => resolve(true));
        consumer.on(consumer.events.CRASH, () => resolve(false));
      });
      await consumer.run({ autoCommit: false, eachBatch: async () => undefined });
      if (await joined) await consumer.commitOffsets(commits.map((commit) => ({ topic: this.topic, ...commit })));
    } finally {
      await consumer.disconnect();
    }
  }

  private async holds(groupId: string, commits: Array<{ partition: number; offset: string; metadata: string }>): Promise<boolean> {
    const admin = kafka(this.options.kafkaBrokers).admin();
    await admin.connect();
    try {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [this.topic] });
      const byPartition = new Map((committed?.partitions ?? []).map((entry) => [entry.partition, entry]));
      return commits.every(
        (commit) => byPartition.get(commit.partition)?.offset === commit.offset && byPartition.get(commit.partition)?.metadata === commit.metadata,
      );
    } finally {
      await admin.disconnect();
    }
  }

  async objects(): Promise<StoredObject[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, ContinuationToken: token }));
      keys.push(...(page.Contents ?? []).map((object) => object.Key!));
      token = page.NextContinuationToken;
    } while (token);
    return Promise.all(
      keys.map(async (key) => {
        const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
        const bytes = Buffer.from(await object.Body!.transformToByteArray());
        return {
          key,
          // A Parquet file's rows as DuckDB reads them, one JSON object per line.
          body: key.endsWith(".parquet") && !isValidationFile(key) ? await parquetLines(bytes) : linesOf(key, bytes),
          raw: bytes,
          bytes: bytes.length,
          ...(object.ContentType ? { contentType: object.ContentType } : {}),
          ...(object.ContentEncoding ? { contentEncoding: object.ContentEncoding } : {}),
        };
      }),
    );
  }

  /** Event ids in the data files, with repeats (a doubled event shows twice). */
  static eventIds(objects: StoredObject[]): string[] {
    return objects
      .filter((object) => isDataFile(object.key))
      .flatMap((object) =>
        object.body
          .split("\n")
          .filter(Boolean)
          .map((line) => (JSON.parse(line) as { id: string }).id),
      );
  }

  /** Waits until the bucket holds `ids` (checks every second), or the deadline passes. */
  async waitForIds(ids: string[], timeoutMs: number): Promise<StoredObject[]> {
    const wanted = new Set(ids);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const objects = await this.objects();
      const seen = new Set(ExportHarness.eventIds(objects));
      if ([...wanted].every((id) => seen.has(id)) || Date.now() > deadline) return objects;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  async tearDown(): Promise<void> {
    await this.engine?.stop();
    await this.producer?.disconnect();
  }
}

/**
 * A harness set up on the stack (its Kafka unless `kafkaBrokers` names another), whose sink reaches
 * the stack's S3 through a TCP proxy the test can slow or cut; tear down both.
 */
export async function harnessBehindProxy(
  options: Omit<HarnessOptions, "kafkaBrokers" | "s3Endpoint" | "sinkEndpoint"> & { kafkaBrokers?: string },
): Promise<{ harness: ExportHarness; proxy: TcpProxy }> {
  const proxy = await startTcpProxy(Number(new URL(inject("s3Endpoint")).port));
  const harness = new ExportHarness({ kafkaBrokers: inject("kafkaBrokers"), ...options, s3Endpoint: inject("s3Endpoint"), sinkEndpoint: proxy.url });
  await harness.setUp();
  return { harness, proxy };
}

export const isValidationFile = (key: string) => /(^|\/)\.strm_test_[0-9a-f-]{36}(\.jsonl(\.gz|\.zst)?|\.parquet)$/.test(key);
export const isInvalidFile = (key: string) => /-invalid\.jsonl(\.gz|\.zst)?$/.test(key);
export const isDataFile = (key: string) => !isValidationFile(key) && !isInvalidFile(key);

/** Counts how often each id occurs; the exactly-once check is that every count is 1. */
export function duplicatesAndMissing(produced: string[], exported: string[]): { missing: string[]; doubled: string[]; unexpected: string[] } {
  const counts = new Map<string, number>();
  for (const id of exported) counts.set(id, (counts.get(id) ?? 0) + 1);
  const producedSet = new Set(produced);
  return {
    missing: produced.filter((id) => !counts.has(id)),
    doubled: [...counts].filter(([, count]) => count > 1).map(([id]) => id),
    unexpected: [...counts.keys()].filter((id) => !producedSet.has(id)),
  };
}
