// An exporter's status as the engine decides it (main/core/exporters/control/engine.ts), once: the
// dashboard, the tray and the CLI only print it. Every number here is computed in the engine when
// the thing it counts happens (a file stored, a lag read), never when the status is read.
import type { ProblemCause } from "./problems";

export type ExporterState = "starting" | "running" | "retrying" | "paused" | "error" | "stopped";

export interface PartitionLag {
  partition: number;
  committed: number;
  end: number;
}

export interface ExporterStatus {
  id: string;
  name: string;
  state: ExporterState;
  /** Grows with every status the engine emits: a front end keeps the highest it has seen. */
  version: number;
  /** Worker processes running now. */
  workers: number;
  /** Since the exporter was created, from its export log: they survive pauses and restarts. */
  eventsExported: number;
  invalidExported: number;
  bytesExported: number;
  filesWritten: number;
  tombstonesSkipped: number;
  /** Events stored per second, over the last few intervals (computed as files are stored). */
  eventsPerSecond: number;
  /** Per partition, read from Kafka: by the workers while they run, by the engine otherwise (paused, failing). */
  lag: PartitionLag[];
  /** Events still to export, all partitions together. */
  lagEvents: number;
  /** How old the oldest event still to export is, from record timestamps; absent when unknown. */
  secondsBehind?: number;
  /** This run's progress through what was to export when it started (app or `run` start, resume, settings change). */
  backlog?: { atStart: number; exported: number; fraction: number };
  /** The partitions each live worker holds. */
  assignments: number[][];
  restarts: number;
  lastFile?: string;
  lastError?: string;
  /** With state "error": the failure needs a person, and lastError says what to do. */
  problem?: ProblemCause;
  warning?: string;
}

/** The lag of all partitions together. */
export const lagEventsOf = (lag: readonly PartitionLag[]) => lag.reduce((total, partition) => total + Math.max(0, partition.end - partition.committed), 0);
