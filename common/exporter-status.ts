// An exporter's status as the engine decides it (main/core/exporters/control/engine.ts), once: the
// dashboard, the tray and the CLI only print it. Every number here is computed in the engine when
// the thing it counts happens (a file stored, a lag read), never when the status is read.
import type { Fix } from "./fixes";
import type { ProblemCause } from "./problems";
import type { Column } from "./table-columns";

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
  /**
   * This run's progress through the backlog it started with (app or `run` start, resume, settings
   * change), decided with the lag (see `backlogProgress`): present only while that backlog is not
   * yet worked off, so it can never say "done" beside a lag above 0.
   */
  backlog?: BacklogProgress;
  /** Nothing left to export and running: the only status in which a front end says "caught up" (see `isCaughtUp`). */
  caughtUp: boolean;
  /** The partitions each live worker holds. */
  assignments: number[][];
  restarts: number;
  lastFile?: string;
  lastError?: string;
  /** With state "error": the failure needs a person, and lastError says what to do. */
  problem?: ProblemCause;
  /** What a person can do about lastError, as data (common/fixes.ts): each front end offers them its own way, the window as repairs. */
  fixes?: Fix[];
  warning?: string;
  /**
   * A Parquet exporter's events hold fields its columns lack (those records went to `-invalid`):
   * the columns of the next version that would keep them, for a person to accept or change.
   */
  columnsProposal?: ColumnsProposal;
}

export interface ColumnsProposal {
  /** The version the proposal adds to (the exporter's latest when the fields were seen). */
  basedOn: number;
  /** That version's columns with the new fields, typed as the events hold them. */
  columns: Column[];
  /** The new fields, as paths (`coupon`, `address.zip`). */
  fields: string[];
}

/** The lag of all partitions together. */
export const lagEventsOf = (lag: readonly PartitionLag[]) => lag.reduce((total, partition) => total + Math.max(0, partition.end - partition.committed), 0);

export interface BacklogProgress {
  /** Records to export when the run began (its first lag reading). */
  atStart: number;
  /** Records done with since then: exported, sent to -invalid, or skipped. */
  exported: number;
  /** Those plus what is left now (the lag): what the progress is measured against. */
  total: number;
  /** exported ÷ total: 1 only when nothing is left. */
  fraction: number;
}

/**
 * A run's progress, or none once the backlog it began with is worked off (the lag says the rest)
 * or nothing is left. Measured against what is done plus what is left now, so new events arriving
 * (or a failure holding them back) lower the fraction instead of leaving it at 100%.
 */
export function backlogProgress(atStart: number, exported: number, lagEvents: number): BacklogProgress | undefined {
  if (exported >= atStart || lagEvents === 0) return undefined;
  const total = exported + lagEvents;
  return { atStart, exported, total, fraction: exported / total };
}

/** Caught up: running, with the lag read and nothing left. Never while the lag is unknown, above 0, or something is wrong. */
export const isCaughtUp = (state: ExporterState, lag: readonly PartitionLag[]) => state === "running" && lag.length > 0 && lagEventsOf(lag) === 0;
