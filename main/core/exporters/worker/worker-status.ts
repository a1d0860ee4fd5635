// What a worker tells its supervisor about itself: one place decides its state and its message, so
// "retrying because Kafka is unreachable" and "running again" are said the same way whether a
// file was just stored or the cluster was just seen again.
import type { NeedsPersonError } from "../needs-person.js";
import type { StoredPart } from "../files/file-writer.js";
import type { PartitionLag, WorkerState, WorkerStatus } from "../worker-protocol.js";
import type { ColumnsProposal } from "../../../../common/exporter-status.js";

/** Timestamps of the oldest event still to export, from the commit protocol. */
export type OldestEvents = () => { inFlight?: number; pending?: number; lastFetched?: number };

export class WorkerStatusKeeper {
  private readonly status: WorkerStatus = {
    state: "starting",
    assigned: [],
    eventsExported: 0,
    invalidExported: 0,
    bytesExported: 0,
    filesWritten: 0,
    tombstonesSkipped: 0,
    lag: [],
  };
  /** Since when Kafka has been unreachable, and the lag when it was last reachable (cleared on contact). */
  private outage?: { since: number; lag: number; error: string };

  constructor(
    private readonly publish: (status: WorkerStatus) => void,
    private readonly oldestEvents: OldestEvents,
    private readonly brokers: readonly string[],
    private readonly now: () => number,
  ) {}

  get state(): WorkerState {
    return this.status.state;
  }

  get lag(): readonly PartitionLag[] {
    return this.status.lag;
  }

  /** "error" and "stopped" are final: an upload finishing meanwhile does not undo them. */
  private get ended(): boolean {
    return this.status.state === "error" || this.status.state === "stopped";
  }

  set(state: WorkerState): void {
    if (this.ended && state !== "stopped") return;
    this.status.state = state;
    if (state === "running") {
      delete this.status.lastError;
      delete this.status.problem;
      delete this.status.fixes;
    }
    this.report();
  }

  joined(assigned: readonly number[]): void {
    this.status.assigned = [...assigned];
    this.report();
  }

  /** A part stored; but while Kafka is unreachable the exporter is still retrying, and says so. */
  stored(part: StoredPart): void {
    if (this.outage) this.unreachable(new Error(this.outage.error));
    else this.set("running");
    this.status.filesWritten += 1;
    this.status.bytesExported += part.bytes;
    if (part.kind === "events") this.status.eventsExported += part.records;
    else this.status.invalidExported += part.records;
    this.status.lastFile = part.key;
  }

  skipped(count: number): void {
    this.status.tombstonesSkipped += count;
    this.report();
  }

  retrying(message: string): void {
    if (this.ended) return;
    this.status.lastError = message;
    this.set("retrying");
  }

  /** The worker cannot go on: `problem` when a person must act. */
  failed(message: string, problem?: NeedsPersonError): void {
    if (this.ended) return;
    this.status.lastError = message;
    if (problem) this.status.problem = problem.problem;
    if (problem && problem.fixes.length > 0) this.status.fixes = [...problem.fixes];
    this.set("error");
  }

  /** Kafka did not answer: retrying, since when and how far behind, until it answers again. */
  unreachable(error: unknown): void {
    if (this.ended) return;
    const lag = this.status.lag.reduce((total, partition) => total + Math.max(0, partition.end - partition.committed), 0);
    this.outage ??= { since: this.now(), lag, error: (error as Error).message };
    const seconds = Math.round((this.now() - this.outage.since) / 1000);
    this.retrying(
      `Reconnecting to Kafka at ${this.brokers.join(",")} since ${new Date(this.outage.since).toISOString().slice(11, 19)} UTC (${seconds} s; ${this.outage.error}). ${this.outage.lag} events were still to export when it was last reachable; nothing is lost meanwhile.`,
    );
  }

  reachable(): void {
    if (!this.outage) return;
    this.outage = undefined;
    if (this.status.state === "retrying" && this.status.lastError?.startsWith("Reconnecting to Kafka")) this.set("running");
  }

  lagSeen(lag: PartitionLag[], warning: (oldest: number | undefined) => string | undefined): void {
    this.status.lag = lag;
    const said = warning(this.oldestUnexported());
    if (said) this.status.warning = said;
    else delete this.status.warning;
    this.report();
  }

  /** Fields the Parquet columns lack were seen: the proposal grows (see parquet/new-fields.ts). */
  columnsProposed(proposal: ColumnsProposal): void {
    this.status.columnsProposal = proposal;
    this.report();
  }

  /** The oldest event not yet exported: in the file being stored, in the batch, or (behind, nothing read yet) after the last one read. */
  oldestUnexported(): number | undefined {
    const { inFlight, pending, lastFetched } = this.oldestEvents();
    const behind = this.status.lag.some((partition) => partition.end > partition.committed);
    return inFlight ?? pending ?? (behind ? lastFetched : undefined);
  }

  report(): void {
    const oldest = this.oldestUnexported();
    const { oldestUnexportedAt: _, ...status } = this.status;
    this.publish({
      ...status,
      assigned: [...this.status.assigned],
      lag: [...this.status.lag],
      ...(oldest !== undefined ? { oldestUnexportedAt: oldest } : {}),
    });
  }
}
