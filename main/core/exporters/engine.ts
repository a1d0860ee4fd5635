// Runs exporters: one supervisor per exporter, one process per worker. The engine follows the
// config (created, deleted, paused, resumed exporters, also from another process such as the
// CLI), restarts crashed workers with backoff, and keeps one status per exporter that front ends
// subscribe to. One exporter failing never stops the others.
import { EventEmitter } from "node:events";
import type { BatchExporterRecord, SinkRecord } from "../config/schema.js";
import type { ConfigStore } from "../config/store.js";
import type { Logger } from "../log.js";
import type { SinkService } from "../sinks/sink-service.js";
import type { StreamService } from "../streams/stream-service.js";
import { consumerGroupId } from "./exporter-service.js";
import type { ProblemCause } from "./needs-person.js";
import type { StatusBoard } from "./status-board.js";
import { defaultLaunchWorker, type LaunchWorker, type WorkerHandle } from "./worker-launcher.js";
import { exitCodes, type ExportLogEntry, type FromWorker, type PartitionLag, type StorageSpec, type WorkerSpec, type WorkerStatus } from "./worker-protocol.js";

export type ExporterState = "starting" | "running" | "retrying" | "paused" | "error" | "stopped";

export interface ExporterStatus {
  id: string;
  name: string;
  state: ExporterState;
  workers: number;
  eventsExported: number;
  invalidExported: number;
  bytesExported: number;
  filesWritten: number;
  tombstonesSkipped: number;
  eventsPerSecond: number;
  lag: PartitionLag[];
  /** The partitions each live worker holds. */
  assignments: number[][];
  restarts: number;
  lastFile?: string;
  lastError?: string;
  /** With state "error": the failure needs a person, and lastError says what to do. */
  problem?: ProblemCause;
  warning?: string;
}

export interface EngineOptions {
  launch?: LaunchWorker;
  /** Restart delays for crashed workers (tests shorten them). */
  restartBackoff?: { initialMs: number; maxMs: number };
  /** Retry delays after a failure that needs a person: slow, since only the person can fix it. */
  needsPersonBackoff?: { initialMs: number; maxMs: number };
  /** Kafka session timeout of the workers; a killed worker's partitions move after it. */
  sessionTimeoutMs?: number;
}

export interface EngineDeps extends EngineOptions {
  config: ConfigStore;
  sinks: SinkService;
  streams: StreamService;
  /** Where the workers append to the export logs. */
  dataDir: string;
  log: Logger;
  statusBoard?: StatusBoard;
}

export interface EngineEvents {
  status: [ExporterStatus];
  file: [ExportLogEntry];
}

const reconcileEveryMs = 2000;
const stopGraceMs = 20_000;

export class ExportEngine extends EventEmitter<EngineEvents> {
  private readonly runners = new Map<string, ExporterRunner>();
  private readonly paused = new Map<string, BatchExporterRecord>();
  private timer?: NodeJS.Timeout;
  private reconciling?: Promise<void>;
  private only?: Set<string>;

  constructor(private readonly deps: EngineDeps) {
    super();
    if (deps.statusBoard) this.on("status", (status) => deps.statusBoard!.write(status));
  }

  /** Runs every exporter in the config (or only those named) until stop(). */
  async start(only?: string[]): Promise<void> {
    if (only) this.only = new Set(only);
    await this.reconcile();
    this.timer = setInterval(() => void this.reconcile(), reconcileEveryMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.reconciling;
    await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
    this.runners.clear();
  }

  /** Process ids of the running workers, per exporter name (diagnostics and chaos tests). */
  workerPids(): Record<string, number[]> {
    return Object.fromEntries([...this.runners.values()].map((runner) => [runner.exporter.name, runner.pids()]));
  }

  statuses(): ExporterStatus[] {
    const running = [...this.runners.values()].map((runner) => runner.status());
    const paused = [...this.paused.values()].map((exporter) => pausedStatus(exporter));
    return [...running, ...paused].sort((a, b) => a.name.localeCompare(b.name));
  }

  private reconcile(): Promise<void> {
    this.reconciling ??= this.reconcileOnce().finally(() => (this.reconciling = undefined));
    return this.reconciling;
  }

  private async reconcileOnce(): Promise<void> {
    let exporters: BatchExporterRecord[];
    try {
      exporters = (await this.deps.config.read()).batchExporters.filter((exporter) => !this.only || this.only.has(exporter.name));
    } catch (error) {
      this.deps.log.error({ error: (error as Error).message }, "cannot read the config; exporters keep running as they are");
      return;
    }
    const wanted = new Map(exporters.filter((exporter) => !exporter.paused).map((exporter) => [exporter.id, exporter]));
    this.paused.clear();
    for (const exporter of exporters.filter((candidate) => candidate.paused)) {
      this.paused.set(exporter.id, exporter);
      this.emit("status", pausedStatus(exporter));
    }
    for (const [id, runner] of this.runners) {
      // Any change of settings restarts the exporter's workers with the new ones.
      if (wanted.has(id) && sameSettings(wanted.get(id)!, runner.exporter)) continue;
      this.runners.delete(id);
      await runner.stop();
    }
    for (const [id, exporter] of wanted) {
      if (this.runners.has(id)) continue;
      const runner = new ExporterRunner(exporter, {
        buildSpec: (index, writeValidationFile) => this.workerSpec(exporter, index, writeValidationFile),
        launch: this.deps.launch ?? defaultLaunchWorker(),
        backoff: this.deps.restartBackoff ?? { initialMs: 1000, maxMs: 30_000 },
        needsPersonBackoff: this.deps.needsPersonBackoff ?? { initialMs: 30_000, maxMs: 600_000 },
        log: this.deps.log.child({ exporter: exporter.name }),
        onStatus: (status) => this.emit("status", status),
        // The worker has logged it already (export-worker.ts); this is for the front ends.
        onFile: (entry) => this.emit("file", entry),
      });
      this.runners.set(id, runner);
      runner.start();
    }
  }

  /** Everything a worker needs, secrets included; it travels over the worker's IPC channel only. */
  private async workerSpec(exporter: BatchExporterRecord, workerIndex: number, writeValidationFile: boolean): Promise<WorkerSpec> {
    const stream = await this.deps.streams.get(exporter.streamName);
    const sink = await this.deps.sinks.get(exporter.sinkName);
    return {
      dataDir: this.deps.dataDir,
      exporterId: exporter.id,
      exporterName: exporter.name,
      workerIndex,
      groupId: consumerGroupId(exporter),
      topic: stream.topic,
      kafka: await this.deps.streams.connection(stream),
      fromBeginning: exporter.includeExistingEvents,
      intervalSeconds: exporter.intervalSeconds,
      maxBatchBytes: exporter.maxBatchBytes,
      sessionTimeoutMs: this.deps.sessionTimeoutMs ?? 10_000,
      storage: await this.storageSpec(sink, exporter.pathPrefix),
      format: { fields: exporter.fields, tombstones: exporter.tombstones },
      writeValidationFile,
    };
  }

  private async storageSpec(sink: SinkRecord, prefix: string | undefined): Promise<StorageSpec> {
    const where = { bucket: sink.bucket, ...(prefix ? { prefix } : {}), ...(sink.endpoint ? { endpoint: sink.endpoint } : {}) };
    if (sink.type === "GCLOUD") return { type: "GCLOUD", ...where, serviceAccount: await this.deps.sinks.serviceAccountOf(sink) };
    const accessKey = await this.deps.sinks.accessKeyOf(sink);
    return {
      type: "S3",
      ...where,
      region: sink.region ?? "us-east-1",
      ...(sink.forcePathStyle !== undefined ? { forcePathStyle: sink.forcePathStyle } : {}),
      ...(sink.assumeRoleArn ? { assumeRoleArn: sink.assumeRoleArn } : {}),
      ...(accessKey ? { accessKey } : {}),
    };
  }
}

function pausedStatus(exporter: BatchExporterRecord): ExporterStatus {
  return { id: exporter.id, name: exporter.name, state: "paused", workers: 0, eventsExported: 0, invalidExported: 0, bytesExported: 0, filesWritten: 0, tombstonesSkipped: 0, eventsPerSecond: 0, lag: [], assignments: [], restarts: 0 };
}

/** Whether a running exporter can go on as it is: every setting but the pause flag is the same. */
function sameSettings(a: BatchExporterRecord, b: BatchExporterRecord): boolean {
  return JSON.stringify({ ...a, paused: false }) === JSON.stringify({ ...b, paused: false });
}

const inWords = (ms: number) => (ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`);

interface RunnerDeps {
  buildSpec: (workerIndex: number, writeValidationFile: boolean) => Promise<WorkerSpec>;
  launch: LaunchWorker;
  backoff: { initialMs: number; maxMs: number };
  needsPersonBackoff: { initialMs: number; maxMs: number };
  log: Logger;
  onStatus: (status: ExporterStatus) => void;
  onFile: (entry: ExportLogEntry) => void;
}

interface Slot {
  child?: WorkerHandle;
  status?: WorkerStatus;
  restartTimer?: NodeJS.Timeout;
  failures: number;
  startedAt: number;
  /** Counts exported by earlier processes of this slot, so totals survive restarts. */
  carried: { events: number; invalid: number; bytes: number; files: number; tombstones: number };
  /** This slot's worker was the one asked to write the validation file. */
  askedToValidate?: boolean;
}

/** Supervises one exporter's worker processes. */
class ExporterRunner {
  private readonly slots: Slot[];
  private stopping = false;
  private restarts = 0;
  private problem?: { state: ExporterState; message: string; cause?: ProblemCause };
  /** Since when workers keep failing (transiently), and the lag last seen before: said while retrying. */
  private failing?: { since: number; lag: number };
  private lastLag = 0;
  /**
   * This runner's validation file. A runner lives from a start of `run` or the app, or a config
   * change, to the next: one file each, however often workers restart. One worker at a time is
   * asked to write it; if that one exits without it (the store refused), it is due again, so the
   * recovery writes it.
   */
  private validation: "due" | "asked" | "written" = "due";
  private readonly rate: Array<{ at: number; events: number }> = [];

  constructor(
    readonly exporter: BatchExporterRecord,
    private readonly deps: RunnerDeps,
  ) {
    this.slots = Array.from({ length: exporter.workers }, () => ({ failures: 0, startedAt: 0, carried: { events: 0, invalid: 0, bytes: 0, files: 0, tombstones: 0 } }));
  }

  start(): void {
    this.slots.forEach((_, index) => void this.launch(index));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      this.slots.map(async (slot) => {
        clearTimeout(slot.restartTimer);
        const child = slot.child;
        if (!child || !child.alive) return;
        const exited = new Promise<void>((resolve) => child.onExit(() => resolve()));
        // The message, and SIGTERM should the channel be gone: both stop a worker cleanly.
        child.send({ type: "stop" });
        const nudge = setTimeout(() => child.kill("SIGTERM"), 2000);
        const timer = setTimeout(() => child.kill("SIGKILL"), stopGraceMs);
        await exited;
        clearTimeout(nudge);
        clearTimeout(timer);
      }),
    );
    this.problem = undefined;
    this.publish("stopped");
  }

  private async launch(index: number): Promise<void> {
    const slot = this.slots[index]!;
    if (this.stopping) return;
    let spec: WorkerSpec;
    try {
      const writeValidationFile = this.validation === "due";
      if (writeValidationFile) this.validation = "asked";
      slot.askedToValidate = writeValidationFile;
      spec = await this.deps.buildSpec(index, writeValidationFile);
    } catch (error) {
      if (slot.askedToValidate) this.validation = "due";
      slot.askedToValidate = false;
      // Missing secrets or a deleted stream: say so, and look again in a minute.
      this.problem = { state: "error", message: (error as Error).message };
      this.deps.log.error({ error: (error as Error).message }, "cannot start a worker");
      this.publish();
      slot.restartTimer = setTimeout(() => void this.launch(index), 60_000);
      return;
    }
    if (this.stopping) return;
    const child = this.deps.launch();
    slot.child = child;
    slot.startedAt = Date.now();
    child.onMessage((message) => this.onMessage(slot, message));
    child.onExit((code, signal) => this.onExit(index, code, signal));
    child.send({ type: "start", spec });
  }

  private onMessage(slot: Slot, message: FromWorker): void {
    switch (message.type) {
      case "status":
        slot.status = message.status;
        if (message.status.state === "running") {
          this.problem = undefined;
          this.failing = undefined;
        }
        this.lastLag = this.slots.reduce((total, candidate) => total + (candidate.status?.lag ?? []).reduce((sum, partition) => sum + Math.max(0, partition.end - partition.committed), 0), 0) || this.lastLag;
        this.publish();
        break;
      case "file":
        if (message.entry.kind === "validation") this.validation = "written";
        this.deps.onFile(message.entry);
        break;
      case "log":
        this.deps.log[message.level](message.fields ?? {}, message.message);
        break;
      case "stopped":
        break;
    }
  }

  private onExit(index: number, code: number | null, signal: string | null): void {
    const slot = this.slots[index]!;
    if (slot.status) {
      const { carried, status } = slot;
      slot.carried = { events: carried.events + status.eventsExported, invalid: carried.invalid + status.invalidExported, bytes: carried.bytes + status.bytesExported, files: carried.files + status.filesWritten, tombstones: carried.tombstones + status.tombstonesSkipped };
    }
    if (slot.askedToValidate && this.validation === "asked") this.validation = "due";
    slot.askedToValidate = false;
    const lastError = slot.status?.lastError;
    const cause = slot.status?.problem;
    slot.status = undefined;
    slot.child = undefined;
    if (this.stopping) return;
    // A worker that ran a while before failing starts its backoff afresh.
    if (Date.now() - slot.startedAt > 60_000) slot.failures = 0;
    slot.failures += 1;
    this.restarts += 1;
    const needsPerson = code === exitCodes.needsPerson;
    const { initialMs, maxMs } = needsPerson ? this.deps.needsPersonBackoff : this.deps.backoff;
    const delay = Math.min(maxMs, initialMs * 2 ** (slot.failures - 1));
    const why = lastError ?? `worker exited (${signal ?? `code ${code}`})`;
    this.problem = needsPerson
      ? { state: "error", message: `${why} Streamdrop tries again in ${inWords(delay)}.`, ...(cause ? { cause } : {}) }
      : { state: "retrying", message: `${why.replace(/\.$/, "")}; restarting in ${inWords(delay)}. ${this.stillFailing()}` };
    this.deps.log.warn({ worker: index, code, signal, delayMs: delay }, "worker exited; restarting");
    this.publish();
    slot.restartTimer = setTimeout(() => void this.launch(index), delay);
  }

  /** How long this has gone on, and how far behind the exporter was when it last ran. */
  private stillFailing(): string {
    this.failing ??= { since: Date.now(), lag: this.lastLag };
    return `Failing since ${new Date(this.failing.since).toISOString().slice(11, 19)} UTC; ${this.failing.lag} events were still to export when last seen; nothing is lost meanwhile.`;
  }

  pids(): number[] {
    return this.slots.flatMap((slot) => (slot.child?.pid !== undefined && slot.child.alive ? [slot.child.pid] : []));
  }

  status(state?: ExporterState): ExporterStatus {
    const live = this.slots.map((slot) => slot.status).filter((status): status is WorkerStatus => status !== undefined);
    const sum = (pick: (status: WorkerStatus) => number, carried: (slot: Slot) => number) =>
      live.reduce((total, status) => total + pick(status), 0) + this.slots.reduce((total, slot) => total + carried(slot), 0);
    const eventsExported = sum((status) => status.eventsExported, (slot) => slot.carried.events);
    const lastFile = live.map((status) => status.lastFile).filter(Boolean).at(-1);
    const lastError = this.problem?.message ?? live.map((status) => status.lastError).find(Boolean);
    const warning = live.map((status) => status.warning).find(Boolean);
    const problem = this.problem?.cause ?? live.map((status) => status.problem).find(Boolean);
    return {
      id: this.exporter.id,
      name: this.exporter.name,
      state: state ?? this.problem?.state ?? aggregateState(live),
      workers: live.length,
      eventsExported,
      invalidExported: sum((status) => status.invalidExported, (slot) => slot.carried.invalid),
      bytesExported: sum((status) => status.bytesExported, (slot) => slot.carried.bytes),
      filesWritten: sum((status) => status.filesWritten, (slot) => slot.carried.files),
      tombstonesSkipped: sum((status) => status.tombstonesSkipped, (slot) => slot.carried.tombstones),
      eventsPerSecond: this.eventsPerSecond(eventsExported),
      lag: live.flatMap((status) => status.lag).sort((a, b) => a.partition - b.partition),
      assignments: live.map((status) => status.assigned),
      restarts: this.restarts,
      ...(lastFile ? { lastFile } : {}),
      ...(lastError ? { lastError } : {}),
      ...(problem ? { problem } : {}),
      ...(warning ? { warning } : {}),
    };
  }

  private eventsPerSecond(total: number): number {
    const now = Date.now();
    this.rate.push({ at: now, events: total });
    while (this.rate.length > 2 && now - this.rate[0]!.at > 30_000) this.rate.shift();
    const first = this.rate[0]!;
    return now > first.at ? ((total - first.events) * 1000) / (now - first.at) : 0;
  }

  private publish(state?: ExporterState): void {
    this.deps.onStatus(this.status(state));
  }
}

function aggregateState(live: WorkerStatus[]): ExporterState {
  if (live.length === 0) return "starting";
  if (live.some((status) => status.state === "error")) return "error";
  if (live.some((status) => status.state === "retrying")) return "retrying";
  if (live.every((status) => status.state === "running")) return "running";
  return "starting";
}
