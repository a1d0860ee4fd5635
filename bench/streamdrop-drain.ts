// Streamdrop draining a topic into a bucket: a real core, a real engine, real worker hosts,
// exactly as `streamdrop run` does it; timed from the engine's start to the last event stored.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel, type Admin } from "kafkajs";
import { consumerGroupId } from "../main/core/exporters/control/exporter-service.js";
import { createCore, type Core } from "../main/core/index.js";
import { osKeychain } from "../main/core/keychain/secret-store.js";
import { silentLogger } from "../main/core/log.js";
import type { ExportLogEntry } from "../main/core/exporters/worker-protocol.js";
import { defaultLaunchWorker } from "../main/core/exporters/control/worker-launcher.js";
import type { LaunchWorker } from "../main/core/exporters/control/worker-handle.js";
import { repoRoot } from "../stack/paths.js";
import { peakRssBytes } from "./memory.js";
import { CpuSpan, readerCpuMs, type CpuPerEvent } from "./cpu.js";
import { benchCredentials, type S3Server } from "./s3-servers.js";
import { partitions } from "./workload.js";
import type { Compression, ParquetCompression } from "../common/record-format.js";

export interface DrainOptions {
  brokers: string;
  topic: string;
  server: S3Server;
  bucket: string;
  /** Events to wait for: the backlog, or what a steady producer will send. */
  events: number;
  workers: number;
  intervalSeconds: number;
  maxBatchMb: number;
  /** The exporter's --compression (none by default). */
  compression?: Compression;
  /** Parquet files (`--format parquet`) instead of JSON Lines: their columns as text and Parquet's own codec (zstd unless said). */
  parquet?: { columns: string; compression?: ParquetCompression };
  /** The stream's Schema Registry: its exporter decodes wire-format values (the Avro part). */
  schemaRegistry?: string;
  /** How workers start; by default threads of the built worker hosts, as `streamdrop run` starts them. */
  launch?: LaunchWorker;
  /** Runs once the exporter is running (the latency run produces then). */
  whileRunning?: () => Promise<unknown>;
}

export interface DrainResult {
  /** From the engine's start (worker processes, group join) to the last event stored. */
  seconds: number;
  /**
   * Events per second once running: from the first file stored after the group settled (every
   * worker holding partitions) to the last, the events in the files after that first one.
   * Start-up (process start, group joins and the rebalance a second worker causes) is left out,
   * as it is for the raw consumers.
   */
  steadyRate: number;
  /** The largest worker host's peak RSS (one host holds up to eight workers). */
  peakRss: number;
  /** Every worker process's peak RSS, summed: a bound on what the workers held at once, however many processes they ran in (one restarted counts twice). */
  peaksSummed: number;
  /** The export log: every file stored, with the time it was. */
  stored: ExportLogEntry[];
  /** CPU per event from the group settling to the end: the broker, the workers, the store. */
  cpu: CpuPerEvent;
  /** Bytes of the events files as stored (compressed, when they are), each file once. */
  bytesStored: number;
  /**
   * Whether every worker held partitions at some point. A fast first worker may drain a small
   * topic alone before the others join; the rate and the CPU then count from the engine's start.
   */
  settled: boolean;
}

export async function drain(options: DrainOptions): Promise<DrainResult> {
  const home = mkdtempSync(join(tmpdir(), "streamdrop-bench-"));
  const core = createCore({ dataDir: home, secrets: osKeychain(`Streamdrop-bench-${options.bucket}`), log: silentLogger() });
  try {
    return await drainWith(core, options);
  } finally {
    await core.sinks.delete("bench", { recursive: true }).catch(() => undefined);
    rmSync(home, { recursive: true, force: true });
  }
}

async function drainWith(core: Core, options: DrainOptions): Promise<DrainResult> {
  const key = JSON.stringify({ AccessKey: { AccessKeyId: benchCredentials.accessKeyId, SecretAccessKey: benchCredentials.secretAccessKey } });
  await core.sinks.create({
    name: "bench",
    bucket: options.bucket,
    credentials: { from: "text", text: key, label: "bench key" },
    endpoint: options.server.endpoint,
  });
  await core.streams.create({
    name: "bench",
    bootstrapServers: options.brokers,
    topic: options.topic,
    ...(options.schemaRegistry ? { schemaRegistry: { url: options.schemaRegistry } } : {}),
  });
  const exporter = await core.exporters.create({
    streamName: "bench",
    sinkName: "bench",
    intervalSeconds: options.intervalSeconds,
    includeExistingEvents: true,
    maxBatchMb: options.maxBatchMb,
    workers: options.workers,
    ...(options.compression ? { compression: options.compression } : {}),
    ...(options.parquet
      ? { format: "parquet", columns: options.parquet.columns, ...(options.parquet.compression ? { compression: options.parquet.compression } : {}) }
      : {}),
  });
  // The built worker host and worker, as `streamdrop run` runs them (not the sources through tsx).
  const engine = core.engine({ launch: options.launch ?? defaultLaunchWorker(join(repoRoot, "out", "main")) });
  const started = Date.now();
  const fromStart = new CpuSpan({ reader: readerCpuMs(options.server.pid), ...(options.server.pid !== undefined ? { store: options.server.pid } : {}) });
  await engine.start();
  let producing: Promise<unknown> | undefined;
  const peaks = new Map<number, number>();
  const admin = new Kafka({ brokers: [options.brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    // Done when the exporter's group has committed every partition to the topic's end: the
    // workers' event counters may count a file twice (one re-created after a rebalance).
    let ends: Map<number, number> | undefined;
    let settledAt = 0;
    let cpu: CpuSpan | undefined;
    const storePid = options.server.pid;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      // Produce only once every partition has a worker, so start-up is not counted as latency.
      if (options.whileRunning && !producing && engine.statuses()[0]?.assignments.flat().length === partitions) {
        producing = options.whileRunning().then(async () => (ends = await endOffsets(admin, options.topic)));
      }
      if (!options.whileRunning && !ends) ends = await endOffsets(admin, options.topic);
      for (const pid of engine.workerPids()[exporter.name] ?? []) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, peakRssBytes(pid)));
      const status = engine.statuses()[0];
      const held = status?.assignments ?? [];
      if (held.length === options.workers && held.every((partitionsHeld) => partitionsHeld.length > 0)) {
        if (!settledAt) cpu = new CpuSpan({ reader: readerCpuMs(storePid), ...(storePid !== undefined ? { store: storePid } : {}) });
        settledAt ||= Date.now();
      } else settledAt = 0;
      if (status?.state === "error") throw new Error(`The exporter failed: ${status.lastError ?? "no message"}`);
      if (ends && (await committedThrough(admin, consumerGroupId(exporter), options.topic, ends))) break;
      if (Date.now() - started > 30 * 60_000) throw new Error(`Timed out with ${status?.eventsExported ?? 0} of ${options.events} events exported.`);
    }
    const seconds = (Date.now() - started) / 1000;
    await producing;
    const stored = await core.exportLog.read(exporter.id);
    const settled = cpu !== undefined;
    const since = settled ? settledAt : started;
    return {
      seconds,
      steadyRate: steadyRate(stored, since),
      peakRss: Math.max(0, ...peaks.values()),
      peaksSummed: [...peaks.values()].reduce((total, peak) => total + peak, 0),
      stored,
      bytesStored: bytesOfFiles(stored),
      cpu: (cpu ?? fromStart).perEvent(eventsStoredSince(stored, since)),
      settled,
    };
  } finally {
    await admin.disconnect();
    await engine.stop();
  }
}

async function endOffsets(admin: Admin, topic: string): Promise<Map<number, number>> {
  return new Map((await admin.fetchTopicOffsets(topic)).map((entry) => [entry.partition, Number(entry.high)]));
}

async function committedThrough(admin: Admin, groupId: string, topic: string, ends: Map<number, number>): Promise<boolean> {
  // A new group's coordinator may still be loading (or moving) on a broker just started: not yet.
  const fetched = await admin.fetchOffsets({ groupId, topics: [topic] }).catch((error: unknown) => {
    if ((error as { retriable?: boolean }).retriable === true) return undefined;
    throw error;
  });
  if (!fetched) return false;
  const [committed] = fetched;
  const at = new Map((committed?.partitions ?? []).map((entry) => [entry.partition, Number(entry.offset)]));
  return [...ends].every(([partition, end]) => end === 0 || (at.get(partition) ?? -1) >= end);
}

/** Each events file once (one re-created after a rebalance is logged again under the same key), stored at or after `since`, oldest first. */
function filesStoredSince(stored: ExportLogEntry[], since: number): ExportLogEntry[] {
  const firstStored = new Map<string, ExportLogEntry>();
  for (const entry of stored) if (entry.kind === "events" && !firstStored.has(entry.key)) firstStored.set(entry.key, entry);
  return [...firstStored.values()].filter((entry) => Date.parse(entry.at) >= since).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

const bytesOfFiles = (stored: ExportLogEntry[]) => filesStoredSince(stored, 0).reduce((total, entry) => total + entry.bytes, 0);

const eventsStoredSince = (stored: ExportLogEntry[], since: number) => filesStoredSince(stored, since).reduce((total, entry) => total + entry.records, 0);

/**
 * Events per second between the first file stored and the last full one. The backlog's last file
 * holds its remainder, cut at the next interval boundary rather than when full: the up to
 * `intervalSeconds` spent waiting for that boundary is not reading, and counting it made a drain
 * of a few seconds read as half its rate or less, depending on where the boundary fell.
 */
function steadyRate(stored: ExportLogEntry[], settledAt: number): number {
  const all = filesStoredSince(stored, settledAt);
  const files = all.length > 3 ? all.slice(0, -1) : all;
  if (files.length < 2) return 0;
  const events = files.slice(1).reduce((total, entry) => total + entry.records, 0);
  return Math.round(events / ((Date.parse(files.at(-1)!.at) - Date.parse(files[0]!.at)) / 1000));
}
