// The worker's own cost (issue #37), measured so two shared cores can show it: CPU per event read
// from /proc, never rates alone. For a plain, an lz4 and a zstd topic, kcat (librdkafka) reads the
// whole topic and discards it, and one Streamdrop worker drains it into the discard store (a store
// that costs almost nothing, so the time is Kafka's and the worker's; every drain is read back and
// held to exactly once). Then five exporters on quiet topics in one engine: their CPU per second
// and memory, in all, over a minute. Part of `npm run bench`; `BENCH_ONLY=cost bash bench/run.sh`
// runs it alone and rewrites only its section of docs/BENCHMARKS.md.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kafka, logLevel, type Admin } from "kafkajs";
import { consumerGroupId } from "../main/core/exporters/control/exporter-service.js";
import { createCore } from "../main/core/index.js";
import { osKeychain } from "../main/core/keychain/secret-store.js";
import { silentLogger } from "../main/core/log.js";
import { repoRoot } from "../stack/paths.js";
import { stopProcessGroup } from "../stack/processes.js";
import { childPids, treeCpuMs } from "./cpu.js";
import { mib, residentTogether, rssBytes } from "./memory.js";
import { measureKernel, type KernelCost } from "./kernel-alone.js";
import { kcatRawRead } from "./raw-consume.js";
import { machine, median, runStamp, writeBenchmarkSection } from "./report.js";
import {
  assertExactlyOnce,
  benchCredentials,
  benchTls,
  createBucket,
  readBack,
  startDiscardStore,
  trustBenchTls,
  type BenchTls,
  type S3Server,
} from "./s3-servers.js";
import { drain, type DrainResult } from "./streamdrop-drain.js";
import { processPerWorker } from "./process-workers.js";
import type { LaunchWorker } from "../main/core/exporters/control/worker-handle.js";
import { createTopic, preload } from "./workload.js";

export const costCodecs = ["none", "lz4", "zstd"] as const;
export type CostCodec = (typeof costCodecs)[number];

/** One drain into the discard store. */
export interface CostRun {
  /** Steady events per second. */
  rate: number;
  /** µs of CPU per event: the worker, the broker serving it, the discard store. */
  workerUs: number;
  brokerUs: number;
  storeUs: number;
  peakRss: number;
}

export interface CostRow extends CostRun {
  codec: CostCodec;
  kcat: { rate: number; readerUs: number; brokerUs: number };
  runs: CostRun[];
  /** The same drains into the discard store over HTTPS, as S3 is reached (no body hash; TLS instead). */
  https?: CostRun[];
}

export interface IdleCost {
  exporters: number;
  seconds: number;
  /** CPU of the worker hosts and of the engine's process (`streamdrop run`), ms per second. */
  workersMsPerSecond: number;
  engineMsPerSecond: number;
  /** Resident memory at the end: every worker host's, and the engine's process. */
  workersRss: number;
  engineRss: number;
  /** The same processes' resident memory together, pages they share (Node's code) counted once. */
  together: number;
  /** The processes the workers ran in (worker hosts). */
  hostCount: number;
}

/** Two workers of one exporter draining the plain topic, run alike but for where the workers live. */
export interface TwoWorkersRun {
  rate: number;
  /** µs of CPU per event, the two workers together. */
  workerUs: number;
  /** The worker processes' peaks, summed (one host, or two processes). */
  peaksSummed: number;
}

export interface TwoWorkers {
  host: TwoWorkersRun[];
  processes: TwoWorkersRun[];
}

export interface CostReport {
  date: string;
  commit: string;
  events: number;
  bytesPerEvent: number;
  maxBatchMb: number;
  rows: CostRow[];
  /** The gather kernel alone, in the bench's process: its share of the worker's CPU per event. */
  kernel?: KernelCost;
  idle?: IdleCost;
  twoWorkers?: TwoWorkers;
}

/** The median of the runs in each column (the runs kept, for the spread). */
export function medianRun(runs: CostRun[]): CostRun {
  return {
    rate: median(runs.map((run) => run.rate)),
    workerUs: median(runs.map((run) => run.workerUs)),
    brokerUs: median(runs.map((run) => run.brokerUs)),
    storeUs: median(runs.map((run) => run.storeUs)),
    peakRss: median(runs.map((run) => run.peakRss)),
  };
}

interface DrainSpec {
  brokers: string;
  topic: string;
  events: number;
  maxBatchMb: number;
  bucket: string;
}

/** One drain into a fresh discard store (over HTTPS with `tls`), read back and held to exactly once. */
async function discardDrain(spec: DrainSpec, workers: number, launch?: LaunchWorker, tls?: BenchTls): Promise<DrainResult> {
  const server = await startDiscardStore(tls);
  try {
    await createBucket(server, spec.bucket);
    const result = await drain({ ...spec, server, workers, intervalSeconds: 5, ...(launch ? { launch } : {}) });
    assertExactlyOnce(`the discard-store drain of ${spec.topic}`, await readBack(server, spec.bucket, "", spec.events), spec.events);
    return result;
  } finally {
    server.stop();
  }
}

async function drainOnce(spec: DrainSpec, tls?: BenchTls): Promise<CostRun> {
  const result = await discardDrain(spec, 1, undefined, tls);
  return { rate: result.steadyRate, workerUs: result.cpu.reader, brokerUs: result.cpu.broker, storeUs: result.cpu.store ?? 0, peakRss: result.peakRss };
}

/**
 * Two workers of one exporter on the plain topic, as threads of one worker host and as a process
 * each, taking turns so the machine's drift falls on both alike.
 */
async function measureTwoWorkers(spec: Omit<DrainSpec, "bucket">, repeat: number): Promise<TwoWorkers> {
  const twoWorkers: TwoWorkers = { host: [], processes: [] };
  const asRun = (result: DrainResult): TwoWorkersRun => ({ rate: result.steadyRate, workerUs: result.cpu.reader, peaksSummed: result.peaksSummed });
  for (let n = 0; n < repeat; n += 1) {
    twoWorkers.host.push(asRun(await discardDrain({ ...spec, bucket: `two-host-${n}-${Date.now().toString(36)}` }, 2)));
    twoWorkers.processes.push(asRun(await discardDrain({ ...spec, bucket: `two-proc-${n}-${Date.now().toString(36)}` }, 2, processPerWorker())));
  }
  return twoWorkers;
}

export async function measureWorkerCost(
  brokers: string,
  events: number,
  repeat: number,
  maxBatchMb: number,
  say: (line: string) => void,
  { idle = true, twoWorkers = true, https = true } = {},
): Promise<CostReport> {
  let idleCost: IdleCost | undefined;
  let twoWorkersCost: TwoWorkers | undefined;
  if (idle) {
    say("Idle cost: five exporters on quiet topics for 60 s...");
    idleCost = await measureIdle(brokers, 5, 60);
    say(
      `  ${idleCost.workersMsPerSecond + idleCost.engineMsPerSecond} ms of CPU per second, ${mib(idleCost.workersRss + idleCost.engineRss)} MiB summed, ${mib(idleCost.together)} MiB together.`,
    );
  }
  const tls = https ? benchTls() : undefined;
  if (tls) trustBenchTls(tls);
  const kernel = measureKernel();
  say(`The gather kernel alone: ${kernel.us} µs of CPU per event.`);
  const rows: CostRow[] = [];
  let bytes = 0;
  const run = Date.now().toString(36);
  for (const codec of costCodecs) {
    const topic = `bench-cost-${codec}-${run}`;
    say(`Worker cost, ${codec}: preloading ${events.toLocaleString("en")} events...`);
    const topicBytes = await preload(brokers, topic, events, codec);
    if (codec === "none") bytes = topicBytes;
    const kcat = await kcatRawRead(brokers, topic, events);
    const runs: CostRun[] = [];
    const httpsRuns: CostRun[] = [];
    // Taking turns, plain HTTP and HTTPS, so the machine's drift falls on both alike.
    for (let n = 0; n < repeat; n += 1) {
      runs.push(await drainOnce({ brokers, topic, events, maxBatchMb, bucket: `cost-${codec}-${run}-${n}` }));
      if (tls) httpsRuns.push(await drainOnce({ brokers, topic, events, maxBatchMb, bucket: `cost-https-${codec}-${run}-${n}` }, tls));
    }
    const row = {
      codec,
      kcat: { rate: kcat.rate, readerUs: kcat.cpu.reader, brokerUs: kcat.cpu.broker },
      ...medianRun(runs),
      runs,
      ...(tls ? { https: httpsRuns } : {}),
    };
    const overHttps = tls ? `; over HTTPS ${medianRun(httpsRuns).workerUs} µs/event (${(medianRun(httpsRuns).workerUs / kcat.cpu.reader).toFixed(2)}×)` : "";
    say(
      `  kcat ${kcat.cpu.reader} µs/event at ${kcat.rate.toLocaleString("en")}/s; the worker ${row.workerUs} µs/event at ${row.rate.toLocaleString("en")}/s (${(row.workerUs / kcat.cpu.reader).toFixed(2)}×)${overHttps}.`,
    );
    rows.push(row);
    if (codec === "none" && twoWorkers) {
      say("  Two workers on the plain topic, threads of one host and a process each, taking turns...");
      const two = await measureTwoWorkers({ brokers, topic, events, maxBatchMb }, repeat);
      say(`  one host ${thousands(median(two.host.map((r) => r.rate)))}/s, two processes ${thousands(median(two.processes.map((r) => r.rate)))}/s.`);
      twoWorkersCost = two;
    }
  }
  return {
    ...runStamp(events, bytes, maxBatchMb),
    rows,
    kernel,
    ...(idleCost ? { idle: idleCost } : {}),
    ...(twoWorkersCost ? { twoWorkers: twoWorkersCost } : {}),
  };
}

/**
 * `count` exporters, each on a quiet topic of its own, run by one headless engine (`streamdrop
 * run`, the built CLI, in a process of its own as on a server; the app's main process runs the same
 * engine): what the engine and its workers cost doing nothing for `seconds`.
 */
export async function measureIdle(brokers: string, count: number, seconds: number): Promise<IdleCost> {
  const home = mkdtempSync(join(tmpdir(), "streamdrop-bench-idle-"));
  const keychainService = "Streamdrop-bench-idle";
  const server: S3Server = await startDiscardStore();
  const core = createCore({ dataDir: home, secrets: osKeychain(keychainService), log: silentLogger() });
  const run = Date.now().toString(36);
  const admin = new Kafka({ brokers: [brokers], logLevel: logLevel.NOTHING }).admin();
  let engine: ChildProcess | undefined;
  try {
    await createBucket(server, "idle");
    const key = JSON.stringify({ AccessKey: { AccessKeyId: benchCredentials.accessKeyId, SecretAccessKey: benchCredentials.secretAccessKey } });
    await core.sinks.create({ name: "idle", bucket: "idle", credentials: { from: "text", text: key, label: "bench key" }, endpoint: server.endpoint });
    const groups: string[] = [];
    for (let n = 0; n < count; n += 1) {
      const topic = `bench-idle-${run}-${n}`;
      await createTopic(brokers, topic);
      await core.streams.create({ name: `idle-${n}`, bootstrapServers: brokers, topic });
      groups.push(consumerGroupId(await core.exporters.create({ streamName: `idle-${n}`, sinkName: "idle", name: `idle-${n}`, intervalSeconds: 60 })));
    }
    engine = spawn(process.execPath, [join(repoRoot, "out", "main", "cli.js"), "run", "--progress-every", "3600"], {
      env: { ...process.env, STREAMDROP_HOME: home, STREAMDROP_KEYCHAIN_SERVICE: keychainService },
      stdio: ["ignore", "ignore", "ignore"],
      detached: true, // a group of its own, so its workers are stopped with it
    });
    const pid = engine.pid!;
    await admin.connect();
    await settled(admin, groups, () => childPids(pid).length > 0);
    // Longer, for start-up to pass: five workers sampled every 5 s from their start took 527, 67,
    // 24 and 36 ms/s, then 4–5 from 20 s on (compiling, loading modules when first used, the
    // heap's first collections); 10 s after the groups settled still caught its tail.
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    const workers = childPids(pid);
    const [workersBefore, engineBefore] = [workers.reduce((total, worker) => total + treeCpuMs(worker), 0), treeCpuMs(pid, workers)];
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const [workersAfter, engineAfter] = [workers.reduce((total, worker) => total + treeCpuMs(worker), 0), treeCpuMs(pid, workers)];
    if (childPids(pid).join() !== workers.join()) throw new Error("An idle exporter's worker host exited while it was measured.");
    return {
      exporters: count,
      seconds,
      workersMsPerSecond: Math.round(((workersAfter - workersBefore) / seconds) * 10) / 10,
      engineMsPerSecond: Math.round(((engineAfter - engineBefore) / seconds) * 10) / 10,
      workersRss: workers.reduce((total, worker) => total + rssBytes(worker), 0),
      engineRss: rssBytes(pid),
      together: residentTogether([pid, ...workers]),
      hostCount: workers.length,
    };
  } finally {
    if (engine?.pid !== undefined && engine.exitCode === null) await stopProcessGroup(engine.pid);
    await admin.disconnect();
    for (let n = 0; n < count; n += 1) await core.exporters.delete([`idle-${n}`]).catch(() => undefined);
    await core.sinks.delete("idle", { recursive: true }).catch(() => undefined);
    server.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

/** Until every group is stable with a member holding partitions, and `ready` says so too (two minutes at most). */
async function settled(admin: Admin, groups: string[], ready: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 120_000; ; await new Promise((resolve) => setTimeout(resolve, 500))) {
    const described = await admin.describeGroups(groups).catch(() => undefined);
    if (ready() && described?.groups.every((group) => group.state === "Stable" && group.members.some((member) => member.memberAssignment.length > 0))) return;
    if (Date.now() > deadline) throw new Error("The idle exporters never settled.");
  }
}

const start = "<!-- bench:cost:start (bench/worker-cost.ts rewrites this part) -->";
const end = "<!-- bench:cost:end -->";
const thousands = (value: number) => Math.round(value).toLocaleString("en");

export function costMarkdown(report: CostReport): string {
  const repeat = report.rows[0]?.runs.length ?? 0;
  const lines = [
    `Run on ${report.date} at commit ${report.commit}, on ${machine()}; ${thousands(report.events)} clickstream events of ${report.bytesPerEvent} bytes on average in 6 partitions, compressed by kcat's producer as named; kcat reads each topic whole and discards it, and 1 Streamdrop worker drains it into the discard store (${report.maxBatchMb} MiB batches, 5 s interval; ${repeat} run${repeat === 1 ? "" : "s"}, each column the median), every drain read back and held to exactly once.`,
    "",
    "| topic | kcat events/s | kcat CPU (µs/event) | worker events/s steady | × kcat's rate | worker CPU (µs/event) | × kcat's CPU | broker CPU serving kcat, the worker (µs/event) | discard store CPU (µs/event) | worker peak RSS (MiB) | runs (events/s; worker µs/event) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...report.rows.map(
      (row) =>
        `| ${row.codec === "none" ? "plain" : row.codec} | ${thousands(row.kcat.rate)} | ${row.kcat.readerUs.toFixed(2)} | ${thousands(row.rate)} | ${(row.rate / row.kcat.rate).toFixed(2)} | ${row.workerUs.toFixed(2)} | **${(row.workerUs / row.kcat.readerUs).toFixed(2)}** | ${row.kcat.brokerUs.toFixed(2)}, ${row.brokerUs.toFixed(2)} | ${row.storeUs.toFixed(2)} | ${mib(row.peakRss)} | ${row.runs.map((run) => `${thousands(run.rate)}; ${run.workerUs.toFixed(2)}`).join(" · ")} |`,
    ),
  ];
  const overHttps = report.rows.filter((row) => row.https && row.https.length > 0);
  if (overHttps.length > 0)
    lines.push(
      "",
      "**Over HTTPS**, as S3 is reached: the same drains into the discard store serving TLS, taking turns with those above. The worker then sends each body UNSIGNED-PAYLOAD, encrypted, where over plain HTTP it hashes it for the signature.",
      "",
      "| topic | worker events/s steady | worker CPU (µs/event) | × kcat's CPU | discard store CPU (µs/event) | worker peak RSS (MiB) | runs (events/s; worker µs/event) |",
      "| --- | --- | --- | --- | --- | --- | --- |",
      ...overHttps.map((row) => {
        const https = medianRun(row.https!);
        return `| ${row.codec === "none" ? "plain" : row.codec} | ${thousands(https.rate)} | ${https.workerUs.toFixed(2)} | **${(https.workerUs / row.kcat.readerUs).toFixed(2)}** | ${https.storeUs.toFixed(2)} | ${mib(https.peakRss)} | ${row.https!.map((run) => `${thousands(run.rate)}; ${run.workerUs.toFixed(2)}`).join(" · ")} |`;
      }),
    );
  if (report.kernel)
    lines.push(
      "",
      `**The gather kernel alone** (\`bench/kernel-alone.ts\`: the same events as one record batch's ${report.kernel.bytesPerEvent}-byte records, walked, checked and copied out as lines in the bench's process): **${report.kernel.us.toFixed(2)} µs** of CPU per event, part of the worker's above.`,
    );
  if (report.twoWorkers) lines.push("", twoWorkersMarkdown(report.twoWorkers));
  const idle = report.idle;
  if (idle)
    lines.push(
      "",
      `**Idle:** ${idle.exporters} exporters on quiet topics in one headless engine (\`streamdrop run\`, its workers threads of ${idle.hostCount} worker host${idle.hostCount === 1 ? "" : "s"}), over ${idle.seconds} s once settled: the workers **${idle.workersMsPerSecond} ms** of CPU per second and the engine's process ${idle.engineMsPerSecond} (**${(idle.workersMsPerSecond + idle.engineMsPerSecond).toFixed(1)} ms/s in all**); resident memory: the workers **${mib(idle.workersRss)} MiB** and the engine's process ${mib(idle.engineRss)} (**${mib(idle.workersRss + idle.engineRss)} MiB** summed; **${mib(idle.together)} MiB** together, counting once the pages they share, Node's own code mostly).`,
    );
  return lines.join("\n");
}

function twoWorkersMarkdown(two: TwoWorkers): string {
  const side = (runs: TwoWorkersRun[]) =>
    `${thousands(median(runs.map((run) => run.rate)))} events/s steady, ${median(runs.map((run) => run.workerUs)).toFixed(2)} µs of the workers' CPU per event, ${mib(median(runs.map((run) => run.peaksSummed)))} MiB at their peak (runs: ${runs.map((run) => `${thousands(run.rate)}; ${run.workerUs.toFixed(2)}; ${mib(run.peaksSummed)}`).join(" · ")})`;
  return `**Two workers** of one exporter on the plain topic, the two ways taking turns (medians; the peak summed over the workers' processes): as threads of one worker host, ${side(two.host)}; as a process each, ${side(two.processes)}.`;
}

export function writeCostReport(report: CostReport): void {
  writeBenchmarkSection({ start, end }, costMarkdown(report));
}
