// Runs exporters: one supervisor per exporter (runner.ts), one process per worker. The engine follows the
// config (created, deleted, paused, resumed exporters, also from another process such as the
// CLI), restarts crashed workers with backoff, and decides each exporter's one status, which the
// front ends only print: the state from its supervisor, the numbers from its ledger
// (exporter-ledger.ts), which follows the export log. Several engines may run one exporter (`run`
// processes sharing a data folder): each decides its part, shares it on the status board and
// emits its part merged with the others' live ones (status-merge.ts). One exporter failing never
// stops the others.
import { validationScope } from "../validation-scope.js";
import { EventEmitter } from "node:events";
import type { BatchExporterRecord, SinkRecord, StreamRecord } from "../../config/schema.js";
import type { ConfigStore } from "../../config/store.js";
import type { Logger } from "../../log.js";
import type { SinkService } from "../../sinks/sink-service.js";
import type { StreamService } from "../../streams/stream-service.js";
import { consumerGroupId } from "./exporter-service.js";
import { decodingOf, fileShapeOf } from "../file-shape.js";
import { isCaughtUp, type ExporterState, type ExporterStatus } from "../../../../common/exporter-status.js";
import { ExportLog, type ExportLogFollower } from "../export-log.js";
import { ExporterLedger, recentKeysKept } from "./exporter-ledger.js";
import { kafkaLagProbe, type LagProbe } from "./lag-probe.js";
import type { StatusBoard } from "./status-board.js";
import { mergeStatus, type LogCounters, type StatusPart } from "./status-merge.js";
import { ownerSuffix, thisProcess } from "../process-owner.js";
import { ExporterRunner, type RunnerPart } from "./runner.js";
import type { LaunchWorker } from "./worker-handle.js";
import { defaultLaunchWorker } from "./worker-launcher.js";
import { providerOf } from "../../stores/registry.js";
import type { ExportLogEntry, StorageSpec, WorkerSpec } from "../worker-protocol.js";

export type { ExporterState, ExporterStatus };

export interface EngineOptions {
  launch?: LaunchWorker;
  /** Restart delays for crashed workers (tests shorten them). */
  restartBackoff?: { initialMs: number; maxMs: number };
  /** Retry delays after a failure that needs a person: slow, since only the person can fix it. */
  needsPersonBackoff?: { initialMs: number; maxMs: number };
  /** Kafka session timeout of the workers; a killed worker's partitions move after it. */
  sessionTimeoutMs?: number;
  /** Reads the lag of exporters with no worker running (tests give a fake). */
  probeLag?: LagProbe;
  /** How often that lag is read (default 10 s). */
  probeEveryMs?: number;
  /** A running exporter warns after this many intervals without new events on its topic (default 10). */
  silenceIntervals?: number;
  /** The clock of the numbers (tests give a fake). */
  now?: () => number;
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

/** What the engine keeps of each exporter it knows, running or paused. */
interface Tracked {
  exporter: BatchExporterRecord;
  topic: string;
  ledger: ExporterLedger;
  /** Reads what the workers of every process append to the exporter's log, for the ledger. */
  follower: ExportLogFollower;
  runner?: ExporterRunner;
  /** The settings the runner started with (the exporter's and its stream's connection). */
  runKey?: string;
  probedAt: number;
  probing?: boolean;
  /** What the newest validation file in the export log proved (validation-scope.ts). */
  validated?: string;
}

export class ExportEngine extends EventEmitter<EngineEvents> {
  private readonly tracked = new Map<string, Tracked>();
  private readonly latest = new Map<string, ExporterStatus>();
  private version = 0;
  private timer?: NodeJS.Timeout;
  private reconciling?: Promise<void>;
  private only?: Set<string>;
  private readonly exportLog: ExportLog;
  private readonly probeLag: LagProbe;
  /** One for the engine, so its exporters' workers share hosts. */
  private readonly launch: LaunchWorker;
  private readonly now: () => number;
  /** Names this engine's parts on the status board; a fresh nonce, so two engines of one process stay apart. */
  private readonly owner = ownerSuffix(thisProcess());
  private readonly since: string;

  constructor(private readonly deps: EngineDeps) {
    super();
    this.exportLog = new ExportLog(deps.dataDir);
    this.probeLag = deps.probeLag ?? kafkaLagProbe(deps.streams);
    this.launch = deps.launch ?? defaultLaunchWorker();
    this.now = deps.now ?? Date.now;
    this.since = new Date(this.now()).toISOString();
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
    await Promise.all([...this.tracked.values()].map((entry) => entry.runner?.stop()));
    for (const entry of this.tracked.values()) entry.runner = undefined;
  }

  /** Looks at the config now rather than at the next tick (after a change made in this process). */
  nudge(): Promise<void> {
    return this.reconcile();
  }

  /** Process ids the running workers run in, per exporter name, each once (diagnostics and chaos tests): worker hosts are shared. */
  workerPids(): Record<string, number[]> {
    return Object.fromEntries([...this.tracked.values()].filter((entry) => entry.runner).map((entry) => [entry.exporter.name, entry.runner!.pids()]));
  }

  /** The last status of each exporter, as emitted; reading it changes nothing. */
  statuses(): ExporterStatus[] {
    return [...this.tracked.keys()].flatMap((id) => (this.latest.has(id) ? [this.latest.get(id)!] : [])).sort((a, b) => a.name.localeCompare(b.name));
  }

  private reconcile(): Promise<void> {
    this.reconciling ??= this.reconcileOnce().finally(() => (this.reconciling = undefined));
    return this.reconciling;
  }

  private async reconcileOnce(): Promise<void> {
    let config: Awaited<ReturnType<ConfigStore["read"]>>;
    try {
      config = await this.deps.config.read();
    } catch (error) {
      this.deps.log.error({ error: (error as Error).message }, "cannot read the config; exporters keep running as they are");
      return;
    }
    const exporters = config.batchExporters.filter((exporter) => !this.only || this.only.has(exporter.name));
    const known = new Map(exporters.map((exporter) => [exporter.id, exporter]));
    for (const [id, entry] of this.tracked) {
      if (known.has(id)) continue;
      this.tracked.delete(id);
      this.latest.delete(id);
      const runner = entry.runner;
      entry.runner = undefined;
      await runner?.stop();
    }
    for (const exporter of exporters) {
      const stream = config.streams.find((candidate) => candidate.name === exporter.streamName);
      const topic = stream?.topic ?? "";
      const entry = this.tracked.get(exporter.id) ?? (await this.track(exporter, topic));
      const runKey = runKeyOf(
        exporter,
        stream,
        config.sinks.find((candidate) => candidate.name === exporter.sinkName),
      );
      // Any change of settings (the exporter's, its stream's connection, its sink's credentials), or a pause, stops the
      // workers; the new settings start new ones.
      if (entry.runner && (exporter.paused || runKey !== entry.runKey)) {
        const runner = entry.runner;
        entry.runner = undefined;
        await runner.stop();
      }
      entry.exporter = exporter;
      entry.topic = topic;
      if (!exporter.paused && !entry.runner) {
        entry.runKey = runKey;
        this.startRunner(entry);
      }
      await this.follow(entry);
      entry.ledger.tick();
      this.publish(entry);
      if (!entry.runner?.hasLiveWorkers() && this.now() - entry.probedAt >= (this.deps.probeEveryMs ?? 10_000)) void this.probe(entry);
    }
  }

  private async track(exporter: BatchExporterRecord, topic: string): Promise<Tracked> {
    const ledger = new ExporterLedger(this.ledgerOptions(exporter), this.now);
    const follower = this.exportLog.follow(exporter.id);
    const { totals, recentKeys, lastFile, lastValidationChecks } = await follower.start(recentKeysKept);
    ledger.seed(totals, recentKeys, lastFile);
    const entry: Tracked = { exporter, topic, ledger, follower, probedAt: 0, ...(lastValidationChecks ? { validated: lastValidationChecks } : {}) };
    this.tracked.set(exporter.id, entry);
    return entry;
  }

  /**
   * Counts the files other processes' workers stored (they append to the same log), so every
   * process sharing the data folder shows the same totals; this engine's own are counted once,
   * as its workers tell them.
   */
  private async follow(entry: Tracked): Promise<void> {
    try {
      // In order: a rotation's carried totals include the files logged before them.
      for (const line of await entry.follower.next()) {
        if ("carried" in line) entry.ledger.carried(line.carried);
        else {
          entry.ledger.fileStored(line);
          if (line.kind === "validation" && line.checks) entry.validated = line.checks;
        }
      }
    } catch (error) {
      this.deps.log.warn({ exporter: entry.exporter.name, error: (error as Error).message }, "cannot read the export log; the counters wait for it");
    }
  }

  private ledgerOptions(exporter: BatchExporterRecord) {
    return { intervalSeconds: exporter.intervalSeconds, ...(this.deps.silenceIntervals !== undefined ? { silenceIntervals: this.deps.silenceIntervals } : {}) };
  }

  private startRunner(entry: Tracked): void {
    const exporter = entry.exporter;
    entry.ledger.startRun(this.ledgerOptions(exporter));
    const runner = new ExporterRunner(exporter, {
      buildSpec: (index, validationDue) => this.workerSpec(entry, exporter, index, validationDue),
      launch: this.launch,
      backoff: this.deps.restartBackoff ?? { initialMs: 1000, maxMs: 30_000 },
      needsPersonBackoff: this.deps.needsPersonBackoff ?? { initialMs: 30_000, maxMs: 600_000 },
      log: this.deps.log.child({ exporter: exporter.name }),
      lagEvents: () => entry.ledger.numbers(false).lagEvents,
      onChange: (lag) => {
        if (entry.runner !== runner) return;
        if (lag) entry.ledger.lagSeen(lag.lag, lag.oldestUnexportedAt);
        this.publish(entry);
      },
      // The worker has logged it already (files/file-writer.ts); this is for the numbers and the front ends
      // (which list files: skipped tombstones that stored none are only counted).
      onFile: (file) => {
        entry.ledger.fileStored(file);
        if (file.kind === "validation" && file.checks) entry.validated = file.checks;
        if (file.kind !== "skipped") this.emit("file", file);
        if (entry.runner === runner) this.publish(entry);
      },
      onStopped: () => {
        if (entry.runner === undefined || entry.runner === runner) this.publish(entry, "stopped");
      },
    });
    entry.runner = runner;
    runner.start();
  }

  /** The lag of an exporter no worker runs now (paused, failing): one look, failing fast. */
  private async probe(entry: Tracked): Promise<void> {
    if (entry.probing) return;
    entry.probing = true;
    entry.probedAt = this.now();
    try {
      const lag = await this.probeLag(entry.exporter);
      // Live workers may have started meanwhile: their reading is the fresher one.
      if (entry.runner?.hasLiveWorkers()) return;
      entry.ledger.lagSeen(lag);
      this.publish(entry);
    } catch {
      // The cluster is unreachable or the stream is gone: the state and its message say so; the last lag stays.
    } finally {
      entry.probing = false;
    }
  }

  /**
   * Decides the exporter's status and emits it when anything in it changed: this engine's part,
   * shared on the board, merged with the live parts of other engines running the exporter.
   */
  private publish(entry: Tracked, state?: ExporterState): void {
    // A deleted exporter says nothing more.
    if (this.tracked.get(entry.exporter.id) !== entry) return;
    const part = this.partOf(entry, state);
    this.deps.statusBoard?.write(part);
    const others = this.deps.statusBoard?.othersLive(entry.exporter.id, this.owner) ?? [];
    const { version: _version, ...status } = mergeStatus([part, ...others], countersOf(part.status));
    const last = this.latest.get(entry.exporter.id);
    if (last && JSON.stringify({ ...last, version: 0 }) === JSON.stringify({ ...status, version: 0 })) return;
    const versioned: ExporterStatus = { ...status, version: ++this.version };
    this.latest.set(entry.exporter.id, versioned);
    this.emit("status", versioned);
  }

  /** This engine's part: the state from its supervisor, the numbers from its ledger (the counters are the export log's). */
  private partOf(entry: Tracked, state?: ExporterState): StatusPart {
    const paused = entry.exporter.paused;
    const runner = entry.runner?.part() ?? idlePart;
    const numbers = entry.ledger.numbers(paused || !entry.runner);
    const decided: ExporterState = state ?? (paused ? "paused" : runner.state);
    const silentForMs = decided === "running" ? entry.ledger.silentFor() : undefined;
    const { state: _state, ...rest } = runner;
    return {
      owner: this.owner,
      at: new Date(this.now()).toISOString(),
      since: this.since,
      topic: entry.topic,
      ...(silentForMs !== undefined ? { silentForMs } : {}),
      status: {
        id: entry.exporter.id,
        name: entry.exporter.name,
        state: decided,
        version: this.version,
        ...rest,
        ...numbers,
        caughtUp: isCaughtUp(decided, numbers.lag),
      },
    };
  }

  /** Everything a worker needs, secrets included; it travels over the worker's IPC channel only. */
  private async workerSpec(entry: Tracked, exporter: BatchExporterRecord, workerIndex: number, validationDue: boolean): Promise<WorkerSpec> {
    const stream = await this.deps.streams.get(exporter.streamName);
    const sink = await this.deps.sinks.get(exporter.sinkName);
    // The runner asks once per run; a file is written only if none proved this scope yet.
    const checks = validationScope(sink, exporter);
    const decode = decodingOf(exporter, stream);
    // An exporter that does not decode starts without the registry's password (a pending file that decodes then says it needs it).
    const registry = await this.deps.streams.registry(stream).catch((error: unknown) => {
      if (decode === "registry") throw error;
      return undefined;
    });
    return {
      dataDir: this.deps.dataDir,
      exporterId: exporter.id,
      exporterName: exporter.name,
      workerIndex,
      groupId: consumerGroupId(exporter),
      topic: stream.topic,
      kafka: await this.deps.streams.connection(stream),
      ...(registry ? { registry } : {}),
      fromBeginning: exporter.includeExistingEvents,
      intervalSeconds: exporter.intervalSeconds,
      maxBatchBytes: exporter.maxBatchBytes,
      sessionTimeoutMs: this.deps.sessionTimeoutMs ?? 10_000,
      storage: await this.storageSpec(sink, exporter.pathPrefix),
      shape: fileShapeOf({ ...exporter, decode }),
      ...(exporter.columns ? { columnsVersions: exporter.columns } : {}),
      ...(validationDue && entry.validated !== checks ? { validate: { checks } } : {}),
    };
  }

  private async storageSpec(sink: SinkRecord, prefix: string | undefined): Promise<StorageSpec> {
    return providerOf(sink).workerStorage(sink, prefix, await this.deps.sinks.secretOf(sink));
  }
}

const countersOf = ({ eventsExported, invalidExported, bytesExported, filesWritten, tombstonesSkipped, lastFile }: ExporterStatus): LogCounters => ({
  eventsExported,
  invalidExported,
  bytesExported,
  filesWritten,
  tombstonesSkipped,
  ...(lastFile ? { lastFile } : {}),
});

const idlePart: RunnerPart = { state: "stopped", workers: 0, assignments: [], restarts: 0 };

/** What a running exporter depends on: while it stays the same, the workers go on as they are. */
function runKeyOf(exporter: BatchExporterRecord, stream: StreamRecord | undefined, sink: SinkRecord | undefined): string {
  // The registry too: its address and credentials are the workers', and whether files decode follows it.
  const connection = stream && {
    bootstrapServers: stream.bootstrapServers,
    ssl: stream.ssl,
    caFile: stream.caFile,
    sasl: stream.sasl,
    clientCertificate: stream.clientCertificate,
    registry: stream.schemaRegistry,
    // A re-created topic: exporters waiting out a slow retry after it was deleted start now.
    topicRecreatedAt: stream.topicRecreatedAt,
  };
  return JSON.stringify({
    exporter: { ...exporter, paused: false },
    stream: connection,
    sink: sink && { credentials: sink.credentials, updatedAt: sink.updatedAt },
  });
}
