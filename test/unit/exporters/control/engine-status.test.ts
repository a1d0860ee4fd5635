// The engine decides each exporter's one status, over fake workers and a fake clock: counters
// that survive pause, resume and restarts (the export log is their source), lag that keeps growing
// while paused, backlog progress against the lag at start, the rate computed as files are stored,
// time behind from record timestamps, silence on the topic, and versions that only grow.
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { PartitionLag } from "../../../../common/exporter-status.js";
import { ConfigStore } from "../../../../main/core/config/store.js";
import type { BatchExporterRecord } from "../../../../main/core/config/schema.js";
import { ExportEngine, type ExporterStatus } from "../../../../main/core/exporters/control/engine.js";
import { ExportLog } from "../../../../main/core/exporters/export-log.js";
import { thisProcess } from "../../../../main/core/exporters/process-owner.js";
import { StatusBoard } from "../../../../main/core/exporters/control/status-board.js";
import type { WorkerHandle } from "../../../../main/core/exporters/control/worker-handle.js";
import { exitCodes, type ExportLogEntry, type FromWorker, type SkippedLogEntry, type WorkerStatus } from "../../../../main/core/exporters/worker-protocol.js";
import { silentLogger } from "../../../../main/core/log.js";
import type { SinkService } from "../../../../main/core/sinks/sink-service.js";
import type { StreamService } from "../../../../main/core/streams/stream-service.js";

class FakeWorker implements WorkerHandle {
  readonly pid = Math.floor(Math.random() * 100_000);
  alive = true;
  private readonly listeners: Array<(message: FromWorker) => void> = [];
  private readonly exits: Array<(code: number | null, signal: string | null) => void> = [];
  send(message: { type: string }): void {
    if (message.type === "stop") this.exit(0);
  }
  onMessage(listener: (message: FromWorker) => void): void {
    this.listeners.push(listener);
  }
  onExit(listener: (code: number | null, signal: string | null) => void): void {
    this.exits.push(listener);
  }
  kill(): void {
    this.exit(null, "SIGKILL");
  }
  tell(message: FromWorker): void {
    this.listeners.forEach((listener) => listener(message));
  }
  exit(code: number | null, signal: string | null = null): void {
    if (!this.alive) return;
    this.alive = false;
    this.exits.forEach((listener) => listener(code, signal));
  }
}

const workerStatus = (lag: PartitionLag[], extra: Partial<WorkerStatus> = {}): WorkerStatus => ({
  state: "running",
  assigned: lag.map((entry) => entry.partition),
  eventsExported: 0,
  invalidExported: 0,
  bytesExported: 0,
  filesWritten: 0,
  tombstonesSkipped: 0,
  lag,
  ...extra,
});

function setUp(options: { silenceIntervals?: number } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), "streamdrop-engine-"));
  const config = new ConfigStore(dataDir);
  const clock = { now: 1_800_000_000_000 };
  const workers: FakeWorker[] = [];
  let probed: PartitionLag[] = [];
  const exporter: BatchExporterRecord = {
    id: randomUUID(),
    name: "s3-orders",
    streamName: "orders",
    sinkName: "s3",
    intervalSeconds: 60,
    includeExistingEvents: false,
    workers: 1,
    maxBatchBytes: 1 << 20,
    fields: ["value"],
    tombstones: "invalid",
    compression: "none",
    paused: false,
    createdAt: new Date(clock.now).toISOString(),
  };
  const streams = {
    get: async () => ({ name: "orders", topic: "orders", bootstrapServers: ["127.0.0.1:1"], ssl: false }),
    connection: async () => ({ brokers: ["127.0.0.1:1"], ssl: false }),
    registry: async () => undefined,
  } as unknown as StreamService;
  const sinks = { get: async () => ({ type: "S3", name: "s3", bucket: "b" }), secretOf: async () => undefined } as unknown as SinkService;
  const engine = new ExportEngine({
    config,
    sinks,
    streams,
    dataDir,
    log: silentLogger(),
    launch: () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker;
    },
    probeLag: async () => probed,
    probeEveryMs: 0,
    now: () => clock.now,
    ...options,
  });
  const statuses: ExporterStatus[] = [];
  engine.on("status", (status) => statuses.push(status));
  const exportLog = new ExportLog(dataDir);
  let fileNumber = 0;
  /** A file stored by the live worker: logged by it (as the real worker does), then told. */
  const store = async (records: number, kind: ExportLogEntry["kind"] = "events") => {
    const entry: ExportLogEntry = {
      at: new Date(clock.now).toISOString(),
      exporter: exporter.name,
      key: `orders/${fileNumber++}.jsonl`,
      uri: "s3://b/x",
      kind,
      bytes: records * 10,
      records,
      partitions: [],
    };
    await exportLog.append(exporter.id, entry);
    workers.at(-1)!.tell({ type: "file", entry });
  };
  const status = () => statuses.at(-1)!;
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
  return {
    engine,
    config,
    clock,
    workers,
    store,
    status,
    statuses,
    settle,
    exportLog,
    exporter,
    setProbed: (lag: PartitionLag[]) => void (probed = lag),
    async create() {
      await config.update((c) => {
        c.streams.push({
          id: randomUUID(),
          name: "orders",
          bootstrapServers: ["127.0.0.1:1"],
          topic: "orders",
          ssl: false,
          createdAt: new Date(clock.now).toISOString(),
        });
        c.batchExporters.push(exporter);
      });
    },
    async setPaused(paused: boolean) {
      await config.update((c) => void (c.batchExporters.find((candidate) => candidate.id === exporter.id)!.paused = paused));
      await engine.nudge();
      await settle();
    },
  };
}

let running: ExportEngine[] = [];
afterEach(async () => {
  await Promise.all(running.map((engine) => engine.stop()));
  running = [];
});

async function started(t: ReturnType<typeof setUp>) {
  running.push(t.engine);
  await t.engine.start();
  await t.settle();
}

describe("the engine's status", () => {
  it("counts from the export log, so counters survive pause, resume and a restart of the engine", async () => {
    const t = setUp();
    await t.create();
    await t.exportLog.append(t.exporter.id, {
      at: "2027-01-01T00:00:00.000Z",
      exporter: t.exporter.name,
      key: "earlier.jsonl",
      uri: "s3://b/earlier.jsonl",
      kind: "events",
      bytes: 500,
      records: 50,
      partitions: [],
    });
    await started(t);
    expect(t.status()).toMatchObject({ state: "starting", eventsExported: 50, filesWritten: 1, bytesExported: 500 });

    t.workers[0]!.tell({ type: "status", status: workerStatus([{ partition: 0, committed: 50, end: 80 }]) });
    await t.store(30);
    await t.store(4, "invalid");
    expect(t.status()).toMatchObject({ state: "running", eventsExported: 80, invalidExported: 4, filesWritten: 3 });

    await t.setPaused(true);
    expect(t.status()).toMatchObject({ state: "paused", eventsExported: 80, invalidExported: 4, filesWritten: 3, eventsPerSecond: 0 });
    await t.setPaused(false);
    expect(t.status()).toMatchObject({ eventsExported: 80, filesWritten: 3 });

    await t.engine.stop();
    // A new engine over the same data folder reads the same totals.
    const fresh = new ExportEngine({ ...engineDepsOf(t), launch: () => new FakeWorker(), probeLag: async () => [] });
    running.push(fresh);
    const seen: ExporterStatus[] = [];
    fresh.on("status", (status) => seen.push(status));
    await fresh.start();
    expect(seen.at(-1)).toMatchObject({ eventsExported: 80, invalidExported: 4, filesWritten: 3 });
  });

  it("counts a file recovery re-creates after a restart once: the log counted it already", async () => {
    const t = setUp();
    await t.create();
    const logged: ExportLogEntry = {
      at: "2027-01-01T00:00:00.000Z",
      exporter: t.exporter.name,
      key: "orders/pending.jsonl",
      uri: "s3://b/orders/pending.jsonl",
      kind: "events",
      bytes: 100,
      records: 10,
      partitions: [],
    };
    await t.exportLog.append(t.exporter.id, logged);
    await started(t);
    t.workers[0]!.tell({ type: "status", status: workerStatus([{ partition: 0, committed: 0, end: 10 }]) });
    t.workers[0]!.tell({ type: "file", entry: { ...logged, recovered: true } });
    expect(t.status()).toMatchObject({ eventsExported: 10, filesWritten: 1 });
  });

  it("counts tombstones skipped in a cut that stored no file, once though recovery logs them again, and after a restart; lists no file for them", async () => {
    const t = setUp();
    await t.create();
    await started(t);
    const files: ExportLogEntry[] = [];
    t.engine.on("file", (file) => files.push(file));
    t.workers[0]!.tell({ type: "status", status: workerStatus([{ partition: 0, committed: 0, end: 10 }]) });
    // As the worker logs a cut of seven tombstones the policy skips: under the key its intent names.
    const skipped: SkippedLogEntry = {
      at: "2027-01-01T00:00:00.000Z",
      exporter: t.exporter.name,
      key: "orders/2027-01-01T00:00:00-orders---0.jsonl",
      kind: "skipped",
      partitions: [{ partition: 0, first: 0, last: 6 }],
      tombstonesSkipped: 7,
    };
    await t.exportLog.append(t.exporter.id, skipped);
    t.workers[0]!.tell({ type: "file", entry: skipped });
    expect(t.status()).toMatchObject({
      tombstonesSkipped: 7,
      filesWritten: 0,
      eventsExported: 0,
      invalidExported: 0,
      bytesExported: 0,
      lagEvents: 3,
      lag: [{ partition: 0, committed: 7, end: 10 }],
    });
    expect(t.status().lastFile).toBeUndefined();
    // The worker died after logging it, before the done commit: the next one re-runs the intent and logs it again.
    await t.exportLog.append(t.exporter.id, { ...skipped, recovered: true });
    t.workers[0]!.tell({ type: "file", entry: { ...skipped, recovered: true } });
    await t.store(3);
    expect(t.status()).toMatchObject({ tombstonesSkipped: 7, filesWritten: 1, eventsExported: 3, lastFile: "orders/0.jsonl" });
    expect(files.map((file) => file.key)).toEqual(["orders/0.jsonl"]);

    await t.engine.stop();
    const fresh = new ExportEngine({ ...engineDepsOf(t), launch: () => new FakeWorker(), probeLag: async () => [] });
    running.push(fresh);
    const seen: ExporterStatus[] = [];
    fresh.on("status", (status) => seen.push(status));
    await fresh.start();
    expect(seen.at(-1)).toMatchObject({ tombstonesSkipped: 7, filesWritten: 1, eventsExported: 3, lastFile: "orders/0.jsonl" });
  });

  it("keeps reading the lag while paused, so it grows as events pile up", async () => {
    const t = setUp();
    await t.create();
    await started(t);
    t.workers[0]!.tell({ type: "status", status: workerStatus([{ partition: 0, committed: 100, end: 100 }]) });
    t.setProbed([{ partition: 0, committed: 100, end: 150 }]);
    await t.setPaused(true);
    expect(t.status()).toMatchObject({ state: "paused", lagEvents: 50 });
    t.setProbed([{ partition: 0, committed: 100, end: 400 }]);
    await t.engine.nudge();
    await t.settle();
    expect(t.status()).toMatchObject({ state: "paused", lagEvents: 300, lag: [{ partition: 0, committed: 100, end: 400 }] });
  });

  it("measures backlog progress against the lag at the start of the run, not against what was exported before", async () => {
    const t = setUp();
    await t.create();
    await t.exportLog.append(t.exporter.id, {
      at: "2027-01-01T00:00:00.000Z",
      exporter: t.exporter.name,
      key: "old.jsonl",
      uri: "s3://b/old.jsonl",
      kind: "events",
      bytes: 10,
      records: 5000,
      partitions: [],
    });
    await started(t);
    t.workers[0]!.tell({ type: "status", status: workerStatus([{ partition: 0, committed: 0, end: 1000 }]) });
    expect(t.status().backlog).toEqual({ atStart: 1000, exported: 0, total: 1000, fraction: 0 });
    await t.store(250);
    t.workers[0]!.tell({ type: "status", status: workerStatus([{ partition: 0, committed: 250, end: 1200 }]) });
    // Measured against what is done plus what is left now: the 200 that arrived count too.
    expect(t.status().backlog).toEqual({ atStart: 1000, exported: 250, total: 1200, fraction: 250 / 1200 });
    expect(t.status()).toMatchObject({ lagEvents: 950, caughtUp: false });
  });

  it("never says caught up beside a lag above 0 or an error: the backlog worked off leaves the lag to say the rest", async () => {
    const t = setUp();
    await t.create();
    await started(t);
    t.workers[0]!.tell({ type: "status", status: workerStatus([{ partition: 0, committed: 0, end: 50 }]) });
    await t.store(50);
    t.workers[0]!.tell({ type: "status", status: workerStatus([{ partition: 0, committed: 50, end: 50 }]) });
    expect(t.status()).toMatchObject({ state: "running", lagEvents: 0, caughtUp: true });
    expect(t.status().backlog).toBeUndefined();
    // 50 more arrive, and the key is revoked: 50 of 50 at start is done, but nothing says "caught up".
    const revoked = { state: "error" as const, lastError: "The key was revoked.", problem: "storage-refused" as const };
    t.workers[0]!.tell({ type: "status", status: workerStatus([{ partition: 0, committed: 50, end: 100 }], revoked) });
    expect(t.status()).toMatchObject({ state: "error", lagEvents: 50, caughtUp: false });
    expect(t.status().backlog).toBeUndefined();
    // Running again with nothing left but in error: still not caught up.
    t.workers[0]!.tell({ type: "status", status: workerStatus([{ partition: 0, committed: 100, end: 100 }], revoked) });
    expect(t.status()).toMatchObject({ state: "error", lagEvents: 0, caughtUp: false });
  });

  it("lowers the lag as soon as a file is stored, not at the workers' next reading", async () => {
    const t = setUp();
    await t.create();
    await started(t);
    t.workers[0]!.tell({ type: "status", status: workerStatus([{ partition: 0, committed: 0, end: 1000 }]) });
    t.workers[0]!.tell({
      type: "file",
      entry: {
        at: "2027-01-01T00:00:00.000Z",
        exporter: t.exporter.name,
        key: "orders/a.jsonl",
        uri: "s3://b/orders/a.jsonl",
        kind: "events",
        bytes: 10,
        records: 250,
        partitions: [{ partition: 0, first: 0, last: 249 }],
      },
    });
    expect(t.status()).toMatchObject({ lagEvents: 750, lag: [{ partition: 0, committed: 250, end: 1000 }] });
  });

  it("a healthy new exporter with nothing to catch up on is caught up, with no backlog to show", async () => {
    const t = setUp();
    await t.create();
    await started(t);
    t.workers[0]!.tell({ type: "status", status: workerStatus([{ partition: 0, committed: 7, end: 7 }]) });
    expect(t.status()).toMatchObject({ lagEvents: 0, secondsBehind: 0, caughtUp: true });
    expect(t.status().backlog).toBeUndefined();
  });

  it("computes the rate when files are stored, and lets it fall to zero when none are", async () => {
    const t = setUp();
    await t.create();
    await started(t);
    t.workers[0]!.tell({ type: "status", status: workerStatus([{ partition: 0, committed: 0, end: 0 }]) });
    t.clock.now += 60_000;
    await t.store(600);
    expect(t.status().eventsPerSecond).toBe(10);
    const version = t.status().version;
    // Reading statuses changes nothing.
    expect(t.engine.statuses()[0]).toEqual(t.status());
    expect(t.engine.statuses()[0]!.version).toBe(version);
    t.clock.now += 4 * 60_000;
    await t.engine.nudge();
    expect(t.status().eventsPerSecond).toBe(0);
    expect(t.status().version).toBeGreaterThan(version);
  });

  it("restarts an exporter waiting out a person's slow retry when its stream's topic is created again", async () => {
    const t = setUp();
    await t.create();
    await started(t);
    const deleted = { state: "error" as const, lastError: "Topic orders no longer exists.", problem: "topic-deleted" as const };
    t.workers[0]!.tell({ type: "status", status: workerStatus([{ partition: 0, committed: 5, end: 5 }], deleted) });
    t.workers[0]!.exit(exitCodes.needsPerson);
    await t.settle();
    expect(t.status()).toMatchObject({ state: "error", problem: "topic-deleted" });
    await t.engine.nudge();
    await t.settle();
    expect(t.workers).toHaveLength(1); // the next try is 30 s away
    await t.config.update((c) => void (c.streams[0]!.topicRecreatedAt = new Date(t.clock.now).toISOString()));
    await t.engine.nudge();
    await t.settle();
    expect(t.workers).toHaveLength(2);
  });

  it("shows 0 events per second a few seconds after a backlog is exported and nothing flows, not a slowly fading average", async () => {
    const t = setUp();
    await t.create();
    await started(t);
    t.workers[0]!.tell({ type: "status", status: workerStatus([{ partition: 0, committed: 0, end: 10_000 }]) });
    for (let second = 0; second < 10; second += 1) {
      t.clock.now += 1000;
      await t.store(1000);
    }
    t.workers[0]!.tell({ type: "status", status: workerStatus([{ partition: 0, committed: 10_000, end: 10_000 }]) });
    expect(t.status().eventsPerSecond).toBeGreaterThan(0);
    t.clock.now += 6000;
    await t.engine.nudge();
    expect(t.status()).toMatchObject({ eventsPerSecond: 0, lagEvents: 0, caughtUp: true });
  });

  it("keeps the rate between files while events are still to export", async () => {
    const t = setUp();
    await t.create();
    await started(t);
    t.workers[0]!.tell({ type: "status", status: workerStatus([{ partition: 0, committed: 0, end: 10 }]) });
    t.clock.now += 60_000;
    await t.store(600);
    t.workers[0]!.tell({ type: "status", status: workerStatus([{ partition: 0, committed: 600, end: 900 }]) });
    t.clock.now += 30_000;
    await t.engine.nudge();
    expect(t.status().eventsPerSecond).toBeGreaterThan(0);
  });

  it("says how far behind in time, from the oldest event not yet exported", async () => {
    const t = setUp();
    await t.create();
    await started(t);
    t.workers[0]!.tell({ type: "status", status: workerStatus([{ partition: 0, committed: 0, end: 500 }], { oldestUnexportedAt: t.clock.now - 90_000 }) });
    expect(t.status()).toMatchObject({ lagEvents: 500, secondsBehind: 90 });
  });

  it("warns when the topic has had no new events for ten intervals", async () => {
    const t = setUp();
    await t.create();
    await started(t);
    t.workers[0]!.tell({ type: "status", status: workerStatus([{ partition: 0, committed: 5, end: 5 }]) });
    t.clock.now += 9 * 60_000;
    await t.engine.nudge();
    expect(t.status().warning).toBeUndefined();
    t.clock.now += 60_000;
    await t.engine.nudge();
    expect(t.status()).toMatchObject({
      state: "running",
      warning: "No events in the last 10 min on topic orders. Check that producers write to it, and that the topic name is right.",
    });
    t.workers[0]!.tell({ type: "status", status: workerStatus([{ partition: 0, committed: 5, end: 6 }]) });
    expect(t.status().warning).toBeUndefined();
  });

  it("counts a crashed worker's files once its replacement runs, and says it is retrying meanwhile", async () => {
    const t = setUp();
    await t.create();
    running.push(t.engine);
    const engine = new ExportEngine({
      ...engineDepsOf(t),
      restartBackoff: { initialMs: 10, maxMs: 10 },
      launch: () => {
        const worker = new FakeWorker();
        t.workers.push(worker);
        return worker;
      },
      probeLag: async () => [],
    });
    running.push(engine);
    const seen: ExporterStatus[] = [];
    engine.on("status", (status) => seen.push(status));
    await engine.start();
    await t.settle();
    t.workers[0]!.tell({ type: "status", status: workerStatus([{ partition: 0, committed: 0, end: 10 }]) });
    await t.store(10);
    t.workers[0]!.exit(1);
    expect(seen.at(-1)).toMatchObject({ state: "retrying", eventsExported: 10, restarts: 1 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    t.workers.at(-1)!.tell({ type: "status", status: workerStatus([{ partition: 0, committed: 10, end: 10 }]) });
    expect(seen.at(-1)).toMatchObject({ state: "running", eventsExported: 10, restarts: 1 });
    const versions = seen.map((status) => status.version);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
  });
});

describe("two engines running one exporter from one data folder (two `run` processes)", () => {
  it("show one status: the export log's counters, only growing, and each partition's lag from the engine holding it", async () => {
    const t = setUp();
    await t.create();
    const deps = engineDepsOf(t);
    const judge = { ...thisProcess(), now: () => t.clock.now };
    const [a, b] = [0, 1].map(() => {
      const workers: FakeWorker[] = [];
      const seen: ExporterStatus[] = [];
      const launch = () => {
        const worker = new FakeWorker();
        workers.push(worker);
        return worker;
      };
      const engine = new ExportEngine({ ...deps, statusBoard: new StatusBoard(deps.dataDir, judge), launch });
      engine.on("status", (status) => seen.push(status));
      running.push(engine);
      return { engine, workers, seen };
    }) as [{ engine: ExportEngine; workers: FakeWorker[]; seen: ExporterStatus[] }, { engine: ExportEngine; workers: FakeWorker[]; seen: ExporterStatus[] }];
    await a.engine.start();
    await b.engine.start();
    await t.settle();
    const lag = (partitions: number[]) => partitions.map((partition) => ({ partition, committed: 0, end: 1000 }));
    a.workers[0]!.tell({ type: "status", status: workerStatus(lag([0, 1, 2])) });
    b.workers[0]!.tell({ type: "status", status: workerStatus(lag([3, 4, 5])) });
    // Each worker logs its file to the shared log, and tells its own engine only.
    let fileNumber = 0;
    const store = async (side: typeof a, records: number, partition: number) => {
      const entry: ExportLogEntry = {
        at: new Date(t.clock.now).toISOString(),
        exporter: t.exporter.name,
        key: `orders/${fileNumber++}.jsonl`,
        uri: "s3://b/x",
        kind: "events",
        bytes: records,
        records,
        partitions: [{ partition, first: 0, last: records - 1 }],
      };
      await t.exportLog.append(t.exporter.id, entry);
      side.workers[0]!.tell({ type: "file", entry });
    };
    await store(a, 100, 0);
    await store(b, 250, 3);
    await store(a, 50, 1);
    // Each follows the log and reads the other's part as it reconciles; twice, so each sees the other's newest.
    t.clock.now += 10_000;
    for (let round = 0; round < 2; round += 1) for (const side of [a, b]) await side.engine.nudge();

    const totals = await t.exportLog.totals(t.exporter.id);
    const [ofA, ofB] = [a.engine.statuses()[0]!, b.engine.statuses()[0]!];
    expect({ ...ofA, version: 0 }).toEqual({ ...ofB, version: 0 });
    expect(ofA).toMatchObject({
      state: "running",
      workers: 2,
      eventsExported: totals.events,
      filesWritten: totals.files,
      assignments: expect.arrayContaining([
        [0, 1, 2],
        [3, 4, 5],
      ]),
      lagEvents: 6000 - 400,
    });
    expect(totals.events).toBe(400);
    expect(ofA.lag.map((partition) => partition.committed)).toEqual([100, 50, 0, 250, 0, 0]);
    for (const side of [a, b]) {
      const exported = side.seen.map((status) => status.eventsExported);
      expect([...exported].sort((x, y) => x - y)).toEqual(exported);
    }
  });
});

function engineDepsOf(t: ReturnType<typeof setUp>) {
  const engine = t.engine as unknown as { deps: ConstructorParameters<typeof ExportEngine>[0] };
  return engine.deps;
}
