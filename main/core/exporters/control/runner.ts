// Supervises one exporter's workers (threads of worker hosts, or processes of their own): starts
// them with their spec, hears their status and files, restarts one that exits (with backoff: slow
// when a person must act), stops them cleanly (killing one that outlives its grace), and decides
// the exporter's state and words from theirs.
import type { ExporterState, ExporterStatus, PartitionLag } from "../../../../common/exporter-status.js";
import type { Fix } from "../../../../common/fixes.js";
import type { ProblemCause } from "../../../../common/problems.js";
import { StreamdropError } from "../../errors.js";
import type { BatchExporterRecord } from "../../config/schema.js";
import type { Logger } from "../../log.js";
import { inWords } from "./status-merge.js";
import type { LaunchWorker, WorkerHandle } from "./worker-handle.js";
import { joinProposals } from "../parquet/new-fields.js";
import { exitCodes, stopTimings, type FromWorker, type LogEntry, type WorkerSpec, type WorkerStatus } from "../worker-protocol.js";

/** What the supervisor decides of a status: the state and its words; the numbers (the last file too) are the ledger's. */
export type RunnerPart = Pick<
  ExporterStatus,
  "state" | "workers" | "assignments" | "restarts" | "lastError" | "problem" | "fixes" | "warning" | "columnsProposal"
>;

export interface RunnerDeps {
  /** `validationDue`: this run has no validation file yet (the engine writes one only if its scope changed). */
  buildSpec: (workerIndex: number, validationDue: boolean) => Promise<WorkerSpec>;
  launch: LaunchWorker;
  backoff: { initialMs: number; maxMs: number };
  needsPersonBackoff: { initialMs: number; maxMs: number };
  log: Logger;
  /** The exporter's lag now (for the message while retrying). */
  lagEvents: () => number;
  /** Something in the supervisor's part changed; with the workers' lag when they read it. */
  onChange: (lag?: { lag: PartitionLag[]; oldestUnexportedAt?: number }) => void;
  /** A file stored, or skipped tombstones that stored none: what the worker logged. */
  onFile: (entry: LogEntry) => void;
  onStopped: () => void;
}

interface Slot {
  child?: WorkerHandle;
  status?: WorkerStatus;
  restartTimer?: NodeJS.Timeout;
  failures: number;
  startedAt: number;
  /** This slot's worker was the one asked to write the validation file. */
  askedToValidate?: boolean;
}

/** Supervises one exporter's worker processes. */
export class ExporterRunner {
  private readonly slots: Slot[];
  private stopping = false;
  private restarts = 0;
  private problem?: { state: ExporterState; message: string; cause?: ProblemCause; fixes?: Fix[] };
  /** Since when workers keep failing (transiently), and the lag last seen before: said while retrying. */
  private failing?: { since: number; lag: number };
  /**
   * This runner's validation file. A runner lives from a start of `run` or the app, or a config
   * change, to the next: at most one file each, however often workers restart, and none when the
   * engine finds its scope proven already (validation-scope.ts). One worker at a time is asked to
   * write it; if that one exits without it (the store refused), it is due again, so the recovery
   * writes it.
   */
  private validation: "due" | "asked" | "written" = "due";

  constructor(
    readonly exporter: BatchExporterRecord,
    private readonly deps: RunnerDeps,
  ) {
    this.slots = Array.from({ length: exporter.workers }, () => ({ failures: 0, startedAt: 0 }));
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
        const timer = setTimeout(() => {
          this.deps.log.warn(
            { pid: child.pid, graceSeconds: stopTimings.graceMs / 1000 },
            "a worker did not stop within its grace; it is killed (what it was storing is re-created on the next start)",
          );
          child.kill("SIGKILL");
        }, stopTimings.graceMs);
        await exited;
        clearTimeout(nudge);
        clearTimeout(timer);
      }),
    );
    this.problem = undefined;
    this.deps.onStopped();
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
      // The engine found this scope proven already (no change of credentials, prefix or compression).
      if (writeValidationFile && !spec.validate) this.validation = "written";
    } catch (error) {
      if (slot.askedToValidate) this.validation = "due";
      slot.askedToValidate = false;
      // Missing secrets or a deleted stream: say so, and look again in a minute.
      const fixes = error instanceof StreamdropError && error.fixes.length > 0 ? [...error.fixes] : undefined;
      this.problem = { state: "error", message: (error as Error).message, ...(fixes ? { fixes } : {}) };
      this.deps.log.error({ error: (error as Error).message }, "cannot start a worker");
      this.deps.onChange();
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
        this.deps.onChange(this.liveLag());
        break;
      case "file":
        if (message.entry.kind === "validation") this.validation = "written";
        this.deps.onFile(message.entry);
        break;
      case "log":
        this.deps.log[message.level](message.fields ?? {}, message.message);
        break;
      case "spool":
      case "stopped":
        break;
    }
  }

  private onExit(index: number, code: number | null, signal: string | null): void {
    const slot = this.slots[index]!;
    if (slot.askedToValidate && this.validation === "asked") this.validation = "due";
    slot.askedToValidate = false;
    const lastError = slot.status?.lastError;
    const cause = slot.status?.problem;
    const fixes = slot.status?.fixes;
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
      ? { state: "error", message: `${why} Streamdrop tries again in ${inWords(delay)}.`, ...(cause ? { cause } : {}), ...(fixes ? { fixes } : {}) }
      : { state: "retrying", message: `${why.replace(/\.$/, "")}; restarting in ${inWords(delay)}. ${this.stillFailing()}` };
    this.deps.log.warn({ worker: index, code, signal, delayMs: delay }, "worker exited; restarting");
    this.deps.onChange();
    slot.restartTimer = setTimeout(() => void this.launch(index), delay);
  }

  /** How long this has gone on, and how far behind the exporter was when it last ran. */
  private stillFailing(): string {
    this.failing ??= { since: Date.now(), lag: this.deps.lagEvents() };
    return `Failing since ${new Date(this.failing.since).toISOString().slice(11, 19)} UTC; ${this.failing.lag} events were still to export when last seen; nothing is lost meanwhile.`;
  }

  /** The processes its live workers run in, each once (threads of one host share its pid). */
  pids(): number[] {
    return [...new Set(this.slots.flatMap((slot) => (slot.child?.pid !== undefined && slot.child.alive ? [slot.child.pid] : [])))];
  }

  hasLiveWorkers(): boolean {
    return this.slots.some((slot) => slot.status !== undefined);
  }

  /** The lag the live workers read, all partitions, with the oldest event not yet exported; none while no worker has read it. */
  private liveLag(): { lag: PartitionLag[]; oldestUnexportedAt?: number } | undefined {
    const live = this.slots.map((slot) => slot.status).filter((status): status is WorkerStatus => status !== undefined);
    const lag = live.flatMap((status) => status.lag);
    if (lag.length === 0) return undefined;
    const oldest = Math.min(...live.map((status) => status.oldestUnexportedAt ?? Infinity));
    return { lag, ...(Number.isFinite(oldest) ? { oldestUnexportedAt: oldest } : {}) };
  }

  part(): RunnerPart {
    const live = this.slots.map((slot) => slot.status).filter((status): status is WorkerStatus => status !== undefined);
    const lastError = this.problem?.message ?? live.map((status) => status.lastError).find(Boolean);
    const warning = live.map((status) => status.warning).find(Boolean);
    // The workers' proposals, joined: each saw the new fields of the partitions it holds.
    const columnsProposal = live.map((status) => status.columnsProposal).reduce(joinProposals, undefined);
    const problem = this.problem?.cause ?? live.map((status) => status.problem).find(Boolean);
    // The fixes of the message shown: the runner's own, or those of the worker whose error it is.
    const fixes = this.problem ? this.problem.fixes : live.find((status) => status.lastError === lastError)?.fixes;
    return {
      state: this.problem?.state ?? aggregateState(live),
      workers: live.length,
      assignments: live.map((status) => status.assigned),
      restarts: this.restarts,
      ...(lastError ? { lastError } : {}),
      ...(problem ? { problem } : {}),
      ...(fixes ? { fixes } : {}),
      ...(warning ? { warning } : {}),
      ...(columnsProposal ? { columnsProposal } : {}),
    };
  }
}

function aggregateState(live: WorkerStatus[]): ExporterState {
  if (live.length === 0) return "starting";
  if (live.some((status) => status.state === "error")) return "error";
  if (live.some((status) => status.state === "retrying")) return "retrying";
  if (live.every((status) => status.state === "running")) return "running";
  return "starting";
}
