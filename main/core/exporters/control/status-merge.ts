// One exporter's status from its parts: several engines may run it at once (`streamdrop run`
// processes sharing a data folder, their workers in one consumer group sharing the partitions),
// each deciding its part as the engine does (engine.ts). Every engine merges its own part with the
// live parts of the others (status-board.ts) and emits that, and `get batch-exporter` merges the
// same parts, so each front end prints one status, decided here, and none swaps between
// processes' views. What no part knows alone is decided from the whole:
// - counters come from the shared export log (given), never from one process's memory;
// - each partition's lag from the part that holds it, the most recently written (a part that no
//   longer holds a partition may still list it from its last reading);
// - the state is the most troubled of the running parts; a part whose engine stopped says
//   nothing while another runs the exporter;
// - the rate and the backlog from one part, the earliest started (each engine follows the whole
//   log, so each has the exporter's rate; taking the same one keeps them from swapping), the
//   backlog measured against the merged lag, and "caught up" from the merged state and lag;
// - silence on the topic only when every part reading partitions sees none grow.
import { backlogProgress, isCaughtUp, lagEventsOf, type ExporterState, type ExporterStatus, type PartitionLag } from "../../../../common/exporter-status.js";
import { joinProposals } from "../parquet/new-fields.js";
import type { LogSummary } from "../export-log.js";

/** One engine's part of an exporter's status, as it decided it. */
export interface StatusPart {
  /** Names the engine's process (process-owner.ts's suffix): one part each, on the board. */
  owner: string;
  /** When the engine decided it (ISO time). */
  at: string;
  /** When the engine started (ISO time): the earliest leads. */
  since: string;
  topic: string;
  /** How long the partitions this engine reads have had no new events, once that is news (the ledger's silentFor). */
  silentForMs?: number;
  /** Its numbers are this engine's; the warning is its workers' (the silence warning is decided here). */
  status: ExporterStatus;
}

/** The numbers the export log gives: the same whichever process reads it. */
export type LogCounters = Pick<ExporterStatus, "eventsExported" | "invalidExported" | "bytesExported" | "filesWritten" | "tombstonesSkipped" | "lastFile">;

export const logCounters = ({ totals, lastFile }: LogSummary): LogCounters => ({
  eventsExported: totals.events,
  invalidExported: totals.invalid,
  bytesExported: totals.bytes,
  filesWritten: totals.files,
  tombstonesSkipped: totals.tombstonesSkipped,
  ...(lastFile ? { lastFile } : {}),
});

/** The exporter's status from its live parts (at least one) and the export log's counters. */
export function mergeStatus(parts: readonly StatusPart[], counters: LogCounters): ExporterStatus {
  // In the same order in every process: the earliest started first, which leads.
  const ordered = [...parts].sort((a, b) => a.since.localeCompare(b.since) || a.owner.localeCompare(b.owner));
  const active = ordered.filter((part) => part.status.state !== "stopped");
  const shown = active.length > 0 ? active : ordered;
  const lead = shown[0]!;
  const state = mergedState(shown.map((part) => part.status.state));
  const lag = mergedLag(shown);
  const lagEvents = lagEventsOf(lag);
  const secondsBehind = lagEvents === 0 ? 0 : maxOf(shown.map((part) => part.status.secondsBehind));
  const byTrouble = [...shown].sort((a, b) => trouble(b.status.state) - trouble(a.status.state));
  const lastError = byTrouble.map((part) => part.status.lastError).find(Boolean);
  const problem = byTrouble.map((part) => part.status.problem).find(Boolean);
  const fixes = byTrouble.find((part) => part.status.lastError === lastError)?.status.fixes;
  const warning = shown.map((part) => part.status.warning).find(Boolean) ?? silenceWarning(shown, state, lead.topic);
  const columnsProposal = shown.map((part) => part.status.columnsProposal).reduce(joinProposals, undefined);
  const { lastFile, ...counted } = counters;
  // The lead's run, measured against the merged lag: progress, lag and state from one status.
  const backlog = lead.status.backlog && backlogProgress(lead.status.backlog.atStart, lead.status.backlog.exported, lagEvents);
  return {
    id: lead.status.id,
    name: lead.status.name,
    state,
    version: Math.max(...parts.map((part) => part.status.version)),
    workers: sum(shown.map((part) => part.status.workers)),
    ...counted,
    eventsPerSecond: lead.status.eventsPerSecond,
    lag,
    lagEvents,
    ...(secondsBehind !== undefined ? { secondsBehind } : {}),
    ...(backlog ? { backlog } : {}),
    caughtUp: isCaughtUp(state, lag),
    assignments: shown.flatMap((part) => part.status.assignments),
    restarts: sum(shown.map((part) => part.status.restarts)),
    ...(lastFile ? { lastFile } : {}),
    ...(lastError ? { lastError } : {}),
    ...(problem ? { problem } : {}),
    ...(fixes ? { fixes } : {}),
    ...(warning ? { warning } : {}),
    ...(columnsProposal ? { columnsProposal } : {}),
  };
}

/** How much a state says something is wrong: the merged state is the worst. */
const trouble = (state: ExporterState): number => ({ stopped: 0, running: 1, starting: 2, paused: 3, retrying: 4, error: 5 })[state];

function mergedState(states: ExporterState[]): ExporterState {
  return states.reduce((worst, state) => (trouble(state) > trouble(worst) ? state : worst));
}

/** Each partition from the part that holds it, the most recently written; from the newest that lists it when none holds it. */
function mergedLag(parts: readonly StatusPart[]): PartitionLag[] {
  const chosen = new Map<number, { lag: PartitionLag; held: boolean; at: string }>();
  for (const part of parts) {
    const held = new Set(part.status.assignments.flat());
    for (const lag of part.status.lag) {
      const candidate = { lag, held: held.has(lag.partition), at: part.at };
      const known = chosen.get(lag.partition);
      if (!known || (candidate.held !== known.held ? candidate.held : candidate.at > known.at)) chosen.set(lag.partition, candidate);
    }
  }
  return [...chosen.values()].map((entry) => entry.lag).sort((a, b) => a.partition - b.partition);
}

/** Silence on the topic: every running part that reads partitions has seen none grow, for at least the shortest of their silences. */
function silenceWarning(parts: readonly StatusPart[], state: ExporterState, topic: string): string | undefined {
  if (state !== "running") return undefined;
  const reading = parts.filter((part) => part.status.lag.length > 0);
  if (reading.length === 0 || reading.some((part) => part.silentForMs === undefined)) return undefined;
  const quiet = Math.min(...reading.map((part) => part.silentForMs!));
  return `No events in the last ${inWords(quiet)} on topic ${topic}. Check that producers write to it, and that the topic name is right.`;
}

export const inWords = (ms: number) => (ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`);

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

function maxOf(values: Array<number | undefined>): number | undefined {
  const known = values.filter((value): value is number => value !== undefined);
  return known.length > 0 ? Math.max(...known) : undefined;
}
