// What the supervisor and a worker process tell each other. Secrets travel only in `start`, over
// the IPC channel, and live only in the worker's memory.
import type { StorageSpec } from "../stores/kinds.js";
import type { KafkaConnection } from "../streams/kafka-client.js";
import type { RegistryConnection } from "../schemas/registry-client.js";
import type { FileShape } from "./file-shape.js";
import type { ColumnsVersion } from "../../../common/table-columns.js";
import type { PartitionLag, ColumnsProposal } from "../../../common/exporter-status.js";
import type { Fix } from "../../../common/fixes.js";
import type { ProblemCause } from "../../../common/problems.js";
import type { ExportLogEntry, OffsetRange } from "../../../common/stored-files.js";

export type { ExportLogEntry, StorageSpec };

export interface WorkerSpec {
  /** The data folder, where the worker appends to the exporter's export log. */
  dataDir: string;
  exporterId: string;
  exporterName: string;
  workerIndex: number;
  groupId: string;
  topic: string;
  kafka: KafkaConnection;
  /** The stream's Schema Registry, if it names one: files whose shape decodes read schemas there. */
  registry?: RegistryConnection;
  fromBeginning: boolean;
  intervalSeconds: number;
  maxBatchBytes: number;
  sessionTimeoutMs: number;
  storage: StorageSpec;
  /** The shape of new files (prefix, folders, compression, lines); a pending file keeps its intent's. */
  shape: FileShape;
  /** A Parquet exporter's columns, every version kept (a pending file may name an older one than the shape's). */
  columnsVersions?: ColumnsVersion[];
  /**
   * Present: write a validation file at the start, and log what it proves (`checks`). The engine
   * decides: once per change of the credentials, prefix or compression (validation-scope.ts).
   */
  validate?: { checks: string };
}

/**
 * How long a clean stop may take. The supervisor kills a worker that has not exited `graceMs`
 * after it was asked to stop; within that, the worker gives the files in flight `fileMs` and the
 * group's leave `leaveMs`, then exits whatever they are doing. Stopping in the middle of a file is
 * as safe as a crash (the next join re-creates it from its intent); waiting longer is only polite.
 * The two bounds leave the grace 8 s for a loaded machine's slow timers and the process's exit.
 */
export const stopTimings = { graceMs: 20_000, fileMs: 8_000, leaveMs: 4_000 } as const;

export type WorkerState = "starting" | "running" | "retrying" | "error" | "stopped";

export type { PartitionLag };

export interface WorkerStatus {
  state: WorkerState;
  assigned: number[];
  eventsExported: number;
  invalidExported: number;
  bytesExported: number;
  filesWritten: number;
  /** Tombstones the exporter's policy skips: read and committed, written nowhere. */
  tombstonesSkipped: number;
  lag: PartitionLag[];
  /** Timestamp (ms) of the oldest event read or due but not yet exported: how far behind this worker is. */
  oldestUnexportedAt?: number;
  lastFile?: string;
  lastError?: string;
  /** Set with state "error": the failure needs a person (lastError says what to do). */
  problem?: ProblemCause;
  /** With `problem`: what a person can do (the refusal's fixes). */
  fixes?: Fix[];
  /** Something the user should act on before it becomes an error (lag near the topic's retention). */
  warning?: string;
  /** Fields the events hold and the Parquet columns lack: the next version that would keep them. */
  columnsProposal?: ColumnsProposal;
}

/**
 * One line of the export log for a planned file that stored nothing: every record in its ranges
 * was a tombstone the policy skips. Their offsets are committed as any file's are (intent, then
 * done), and this line, written before the done commit, is where they are counted, so the count
 * survives restarts. Its key is the one the file would have had: recovery re-running the same
 * intent logs the same key again, and the log is read one entry per key, so it counts once.
 */
export interface SkippedLogEntry {
  at: string;
  exporter: string;
  /** The key the intent names (no object has it: nothing was stored). */
  key: string;
  kind: "skipped";
  partitions: OffsetRange[];
  tombstonesSkipped: number;
  /** Logged again by recovery from the pending intent. */
  recovered?: boolean;
}

/** What the worker logs: a stored file, or a planned one that stored nothing (skipped tombstones only). */
export type LogEntry = ExportLogEntry | SkippedLogEntry;

export type ToWorker = { type: "start"; spec: WorkerSpec } | { type: "stop" };

export type FromWorker =
  | { type: "status"; status: WorkerStatus }
  | { type: "file"; entry: LogEntry }
  | { type: "log"; level: "error" | "warn" | "info"; message: string; fields?: Record<string, unknown> }
  /**
   * Where its spool folder is. A worker host removes it once the thread has ended (a terminated
   * one cannot, and its host's pid, which names the folder, lives on); a process's own is removed
   * by the next worker, its pid being dead (files/spool.ts).
   */
  | { type: "spool"; dir: string }
  | { type: "stopped" };

/**
 * What the engine and a worker host tell each other (worker-host.ts): each of its threads is one
 * worker, named by the number the engine gave it, and hears and says what a worker process would.
 * `terminate` ends a thread at once (a worker's SIGKILL); `quit` asks a host whose threads have
 * all ended to exit.
 */
export type ToHost =
  { type: "open"; worker: number } | { type: "to"; worker: number; message: ToWorker } | { type: "terminate"; worker: number } | { type: "quit" };

export type FromHost = { type: "from"; worker: number; message: FromWorker } | { type: "exit"; worker: number; code: number; terminated: boolean };

/** Exit codes the supervisor reads: a failure that needs a person waits longer, others restart soon. */
export const exitCodes = { ok: 0, crashed: 1, needsPerson: 3 } as const;
