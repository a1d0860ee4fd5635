// The numbers of one exporter, kept by the engine across pauses, restarts and settings changes:
// totals (seeded from the export log, then counted as files are stored: this engine's workers'
// at once, other processes' as the engine follows the shared log), the rate (computed as
// files are stored), the lag (from the workers while they run, from the engine's own look
// otherwise), how far behind in time, this run's backlog progress, and silence on the topic.
// Pure and clocked from outside, so the engine's status is unit-tested over fake workers.
import { backlogProgress, lagEventsOf, type ExporterStatus, type PartitionLag } from "../../../../common/exporter-status.js";
import { addEntry, noTotals, type ExportTotals } from "../export-log.js";
import type { LogEntry } from "../worker-protocol.js";

export type LedgerNumbers = Pick<
  ExporterStatus,
  | "eventsExported"
  | "invalidExported"
  | "bytesExported"
  | "filesWritten"
  | "tombstonesSkipped"
  | "lastFile"
  | "eventsPerSecond"
  | "lag"
  | "lagEvents"
  | "secondsBehind"
  | "backlog"
>;

export interface LedgerOptions {
  intervalSeconds: number;
  /** Silence warns after this many intervals without new events on the topic (default 10), and never before 10 minutes. */
  silenceIntervals?: number;
}

/** Short intervals would make silence warnings noise: a topic quiet for less than this is not news. */
const minSilenceMs = 10 * 60_000;

/** With nothing left to export, the rate is 0 once no file has been stored for this long. */
const idleAfterMs = 5_000;

/** Keys of recent entries, to count a file re-created by recovery (or skipped tombstones it logs again) once. */
export const recentKeysKept = 4096;

/** Records the exporter is done with: exported, sent to -invalid, or skipped (what lag counts down). */
const itemsOf = (totals: ExportTotals) => totals.events + totals.invalid + totals.tombstonesSkipped;

export class ExporterLedger {
  private totals: ExportTotals = noTotals();
  private lastFile?: string;
  private readonly recentKeys = new Set<string>();
  private readonly stored: Array<{ at: number; events: number }> = [];
  private rate = 0;
  private lag: PartitionLag[] = [];
  private oldestUnexportedAt?: number;
  /** This run: when it started, the records done then, and the lag first seen after. */
  private run: { startedAt: number; itemsAtStart: number; lagAtStart?: number };
  /** The topic's end offsets last seen, and since when they have not grown. */
  private ends?: { total: number; since: number };

  constructor(
    private options: LedgerOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.run = { startedAt: now(), itemsAtStart: 0 };
  }

  /** The totals from the export log, read when the engine first meets the exporter, with its newest keys: a file recovery re-creates after a restart was counted there already. */
  seed(totals: ExportTotals, recentKeys: readonly string[] = [], lastFile?: string): void {
    this.totals = { ...totals };
    this.lastFile = lastFile;
    this.run.itemsAtStart = itemsOf(this.totals);
    for (const key of recentKeys.slice(-recentKeysKept)) this.remember(key);
  }

  /**
   * A rotation's carried totals (everything before its new file). Counted already, unless the
   * rotated file's last lines were never read (it was gone): each total keeps the larger, so the
   * counters never go down.
   */
  carried(totals: ExportTotals): void {
    for (const field of Object.keys(this.totals) as Array<keyof ExportTotals>) this.totals[field] = Math.max(this.totals[field], totals[field] ?? 0);
  }

  /** A new run (start, resume, settings change): its backlog is measured afresh. */
  startRun(options: LedgerOptions): void {
    this.options = options;
    this.run = { startedAt: this.now(), itemsAtStart: itemsOf(this.totals) };
    this.stored.length = 0;
    this.rate = 0;
  }

  /** A file stored, or a planned one that stored nothing (its tombstones skipped): its records are done with. */
  fileStored(entry: LogEntry): void {
    if (entry.kind === "validation") return;
    // The newest in the log, even when counted already (files come in the log's order as the engine follows it).
    if (entry.kind !== "skipped") this.lastFile = entry.key;
    // Told by this engine's worker, then read again in the shared log; or logged again by recovery.
    if (this.recentKeys.has(entry.key)) return;
    this.remember(entry.key);
    addEntry(this.totals, entry);
    if (entry.kind === "events") this.stored.push({ at: this.now(), events: entry.records });
    // A stored file's events are exported (skipped tombstones committed): the lag shows it now, not at the workers' next reading.
    this.lag = this.lag.map((partition) => {
      const last = entry.partitions.find((range) => range.partition === partition.partition)?.last;
      return last === undefined ? partition : { ...partition, committed: Math.max(partition.committed, Number(last) + 1) };
    });
    this.updateRate();
  }

  private remember(key: string): void {
    this.recentKeys.add(key);
    if (this.recentKeys.size > recentKeysKept) this.recentKeys.delete(this.recentKeys.values().next().value!);
  }

  /** Lag as read from Kafka, with the timestamp of the oldest event not yet exported when known. */
  lagSeen(lag: PartitionLag[], oldestUnexportedAt?: number): void {
    this.lag = [...lag].sort((a, b) => a.partition - b.partition);
    this.oldestUnexportedAt = oldestUnexportedAt;
    // No partitions: nothing was read (a topic always has one), so the start is still to come.
    if (this.lag.length > 0) this.run.lagAtStart ??= lagEventsOf(this.lag);
    const total = this.lag.reduce((sum, partition) => sum + partition.end, 0);
    if (!this.ends || total > this.ends.total) this.ends = { total, since: this.now() };
  }

  /** The engine's clock tick: the rate falls to zero when nothing is stored. */
  tick(): void {
    this.updateRate();
  }

  /** Set when the topic has had no new events for the silence period: how long, in ms. */
  silentFor(): number | undefined {
    if (!this.ends) return undefined;
    const quiet = this.now() - this.ends.since;
    const after = Math.max(minSilenceMs, (this.options.silenceIntervals ?? 10) * this.options.intervalSeconds * 1000);
    return quiet >= after ? quiet : undefined;
  }

  numbers(paused: boolean): LedgerNumbers {
    const lagEvents = lagEventsOf(this.lag);
    const secondsBehind =
      lagEvents === 0 ? 0 : this.oldestUnexportedAt !== undefined ? Math.max(0, Math.round((this.now() - this.oldestUnexportedAt) / 1000)) : undefined;
    const { lagAtStart } = this.run;
    const exported = itemsOf(this.totals) - this.run.itemsAtStart;
    const backlog = !paused && lagAtStart !== undefined ? backlogProgress(lagAtStart, exported, lagEvents) : undefined;
    return {
      eventsExported: this.totals.events,
      invalidExported: this.totals.invalid,
      bytesExported: this.totals.bytes,
      filesWritten: this.totals.files,
      tombstonesSkipped: this.totals.tombstonesSkipped,
      ...(this.lastFile ? { lastFile: this.lastFile } : {}),
      eventsPerSecond: paused || this.idle(lagEvents) ? 0 : this.rate,
      lag: this.lag,
      lagEvents,
      ...(secondsBehind !== undefined ? { secondsBehind } : {}),
      ...(backlog ? { backlog } : {}),
    };
  }

  /**
   * Idle: nothing left to export and no file stored for a few seconds. The rate is an average over
   * intervals, which would otherwise fade slowly after a backlog is exported while nothing flows.
   */
  private idle(lagEvents: number): boolean {
    const last = this.stored.at(-1)?.at;
    return lagEvents === 0 && (last === undefined || this.now() - last > idleAfterMs);
  }

  /**
   * Events stored per second over a window of three intervals (at least a minute), or over this
   * run's life while it is younger than that, but never less than one interval: files come once
   * an interval, and a rate over less than one would swing from zero to double.
   */
  private updateRate(): void {
    const now = this.now();
    const window = Math.max(60_000, 3 * this.options.intervalSeconds * 1000);
    while (this.stored.length > 0 && now - this.stored[0]!.at > window) this.stored.shift();
    const span = Math.max(this.options.intervalSeconds * 1000, Math.min(window, now - this.run.startedAt));
    this.rate = (this.stored.reduce((sum, file) => sum + file.events, 0) * 1000) / span;
  }
}
