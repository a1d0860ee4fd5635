// Benchmark: Streamdrop draining a backlog of clickstream events (about 500 bytes each) from a
// 6-partition topic into an S3 server (BENCH_WORKERS workers, default 1). Reports events/s, MB/s and the worker's
// peak RSS, checks that every event arrived exactly once (a run that loses or doubles events is
// a failure, not a number), and records the result in docs/BENCHMARKS.md.
//   npm run bench                 (1,000,000 events; BENCH_EVENTS=... to change)
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { homedir } from "node:os";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { CompressionTypes, Kafka, logLevel } from "kafkajs";
import { createCore } from "../main/core/index.js";
import { osKeychain } from "../main/core/keychain/secret-store.js";
import { silentLogger } from "../main/core/log.js";
import { repoRoot } from "../stack/paths.js";
import { down, up } from "../stack/stack.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const events = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const workers = Number(process.env.BENCH_WORKERS ?? 1);
const maxBatchMb = Number(process.env.BENCH_MAX_BATCH_MB ?? 16);
/** `moto` (the stack's) or `gofakes3` (a fast in-memory S3 server from the Go module proxy). */
const store = process.env.BENCH_STORE ?? "moto";
const partitions = 6;
const credentials = { accessKeyId: "AKIABENCHBENCHBENCH1", secretAccessKey: "bench-not-a-secret" };

const padding = "x".repeat(105);
function event(id: number): string {
  return JSON.stringify({
    id,
    strmMeta: { schemaId: "clickstream", nonce: id * 7919, timestamp: 1_764_000_000_000 + id, keyLink: "04d243ba-2cc9-4def-b406-7241d4fce7d1", billingId: "bench", consentLevels: [0, 1] },
    producerSessionId: "ATqVzbsw2qN3XDj+3D0SABPPVjb2nIqCcdFcG1irE6w=",
    url: "https://www.example.com/rules",
    customer: { id: "ATqVzbsKWvI9GH/rTwcI78Behpe5zo30EJMXGyEbP+u0FEZcBRwdP+A=" },
    abTests: [],
    padding,
  });
}

async function preload(brokers: string, topic: string): Promise<number> {
  const kafka = new Kafka({ brokers: [brokers], logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  let bytes = 0;
  const chunk = 5000;
  const inFlight: Promise<unknown>[] = [];
  for (let start = 0; start < events; start += chunk) {
    const messages = Array.from({ length: Math.min(chunk, events - start) }, (_, i) => {
      const value = event(start + i);
      bytes += value.length;
      return { value, partition: (start + i) % partitions };
    });
    inFlight.push(producer.send({ topic, messages, acks: 1, compression: CompressionTypes.None }));
    if (inFlight.length >= 8) await Promise.all(inFlight.splice(0));
  }
  await Promise.all(inFlight);
  await producer.disconnect();
  return bytes;
}

/** The raw limit: kafkajs consuming the whole topic in a throwaway group and discarding it. */
async function kafkajsRawRate(brokers: string, topic: string): Promise<number> {
  const consumer = new Kafka({ brokers: [brokers], logLevel: logLevel.ERROR }).consumer({ groupId: `bench-raw-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let started = 0;
  const done = new Promise<number>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        started ||= Date.now();
        seen += batch.messages.length;
        if (seen >= events) resolve(Date.now() - started);
      },
    });
  });
  const ms = await done;
  await consumer.disconnect();
  return Math.round(events / (ms / 1000));
}

function rssOf(pid: number): { rss: number; hwm: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
    return { rss: kib("VmRSS") * 1024, hwm: kib("VmHWM") * 1024 };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

const gofakes3Version = "v1.2.0";

/** Starts gofakes3 (installed with `go install` on first use, cached in Go's own bin folder). */
async function startGofakes3(bucket: string): Promise<{ endpoint: string; process: ChildProcess }> {
  const binary = join(process.env.GOBIN ?? join(process.env.GOPATH ?? join(homedir(), "go"), "bin"), "gofakes3");
  if (!existsSync(binary)) execFileSync("go", ["install", `github.com/johannesboyne/gofakes3/cmd/gofakes3@${gofakes3Version}`], { stdio: "inherit" });
  const port = await new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port: free } = server.address() as { port: number };
      server.close(() => resolve(free));
    });
  });
  const child = spawn(binary, ["-backend", "memory", "-host", `127.0.0.1:${port}`, "-initialbucket", bucket], { stdio: "ignore" });
  const endpoint = `http://127.0.0.1:${port}`;
  for (let tries = 0; tries < 100; tries += 1) {
    if (await fetch(endpoint).then(() => true, () => false)) return { endpoint, process: child };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error("gofakes3 did not start");
}

async function verify(s3: S3Client, bucket: string): Promise<{ lines: number; distinct: number; files: number }> {
  const seen = new Uint8Array(events);
  let lines = 0;
  let files = 0;
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const object of page.Contents ?? []) {
      if (object.Key!.includes(".strm_test_")) continue;
      files += 1;
      const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key! }))).Body!.transformToString();
      for (const line of body.split("\n")) {
        if (!line) continue;
        lines += 1;
        const id = Number(/^\{"id":(\d+)/.exec(line)?.[1] ?? -1);
        if (id >= 0 && id < events) seen[id] = Math.min(255, seen[id]! + 1);
      }
    }
    token = page.NextContinuationToken;
  } while (token);
  return { lines, distinct: seen.reduce((total, count) => total + (count === 1 ? 1 : 0), 0), files };
}

async function main(): Promise<void> {
  const stack = await up();
  const home = mkdtempSync(join(tmpdir(), "streamdrop-bench-"));
  const topic = `bench-${Date.now().toString(36)}`;
  const bucket = topic;
  let stopStore: () => void = () => undefined;
  try {
    console.log(`Preloading ${events.toLocaleString("en")} events into ${topic} (${partitions} partitions)...`);
    const preloadStart = Date.now();
    const bytes = await preload(stack.kafkaBrokers, topic);
    console.log(`Preloaded ${(bytes / 1e6).toFixed(0)} MB in ${((Date.now() - preloadStart) / 1000).toFixed(1)} s.`);

    console.log("Measuring the raw limit: kafkajs consuming and discarding the topic...");
    const rawRate = await kafkajsRawRate(stack.kafkaBrokers, topic);
    console.log(`kafkajs raw: ${rawRate.toLocaleString("en")} events/s.`);

    const fast = store === "gofakes3" ? await startGofakes3(bucket) : undefined;
    stopStore = () => fast?.process.kill();
    const endpoint = fast?.endpoint ?? stack.s3Endpoint;
    const s3 = new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials, requestChecksumCalculation: "WHEN_REQUIRED" });
    if (!fast) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const core = createCore({ dataDir: home, secrets: osKeychain(`Streamdrop-bench-${topic}`), log: silentLogger() });
    const key = JSON.stringify({ AccessKey: { AccessKeyId: credentials.accessKeyId, SecretAccessKey: credentials.secretAccessKey } });
    await core.sinks.create({ name: "s3", bucket, credentials: { from: "text", text: key, label: "bench key" }, endpoint });
    await core.streams.create({ name: "bench", bootstrapServers: stack.kafkaBrokers, topic });
    const exporter = await core.exporters.create({ streamName: "bench", sinkName: "s3", intervalSeconds: 5, includeExistingEvents: true, maxBatchMb, workers });

    const engine = core.engine();
    const started = Date.now();
    await engine.start();
    let peak = 0;
    let exported = 0;
    while (exported < events) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      for (const pid of engine.workerPids()[exporter.name] ?? []) peak = Math.max(peak, rssOf(pid).hwm);
      exported = engine.statuses()[0]?.eventsExported ?? 0;
      if (Date.now() - started > 30 * 60_000) throw new Error(`Timed out with ${exported} of ${events} exported.`);
    }
    const seconds = (Date.now() - started) / 1000;
    await engine.stop();
    await core.sinks.delete("s3", { recursive: true });

    console.log("Checking exactly once (reading every object back)...");
    const check = await verify(s3, bucket);
    if (check.lines !== events || check.distinct !== events) throw new Error(`Not exactly once: ${check.lines} lines, ${check.distinct} events seen exactly once, of ${events}.`);

    const result = {
      date: new Date().toISOString().slice(0, 10),
      events,
      seconds: Number(seconds.toFixed(1)),
      eventsPerSecond: Math.round(events / seconds),
      kafkajsRawPerSecond: rawRate,
      ratioToRaw: Number((events / seconds / rawRate).toFixed(2)),
      mbPerSecond: Number((bytes / 1e6 / seconds).toFixed(1)),
      peakRssMb: Math.round(peak / 1024 / 1024),
      files: check.files,
      workers,
      store: store === "gofakes3" ? `gofakes3 ${gofakes3Version}` : "moto 5.2.5",
    };
    console.log(JSON.stringify(result, null, 2));
    record(result);
  } finally {
    stopStore();
    if (stack.started.length > 0) await down(stack.started);
  }
}

/** Adds the run to the results table in docs/BENCHMARKS.md, with the machine it ran on. */
function record(result: Record<string, string | number>): void {
  const file = join(repoRoot, "docs", "BENCHMARKS.md");
  const marker = "<!-- drain results: bench/drain.ts appends rows here -->";
  const text = readFileSync(file, "utf8");
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, kafkajs 2.2.4, Kafka 4.3.1`;
  const commit = (() => {
    try {
      return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repoRoot, encoding: "utf8" }).trim();
    } catch {
      return "?";
    }
  })();
  const row = `| ${result.date} | ${commit} | ${Number(result.events).toLocaleString("en")} | ${result.workers} | ${maxBatchMb} | ${result.store} | ${result.seconds} | ${Number(result.eventsPerSecond).toLocaleString("en")} | ${Number(result.kafkajsRawPerSecond).toLocaleString("en")} | ${result.ratioToRaw} | ${result.mbPerSecond} | ${result.peakRssMb} | ${result.files} | ${machine} |`;
  writeFileSync(file, text.replace(marker, `${row}\n${marker}`));
}

main().catch((error: unknown) => {
  console.error(`Benchmark failed: ${(error as Error).message}`);
  process.exit(1);
});
