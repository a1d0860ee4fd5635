// Several engines running one exporter (`streamdrop run` processes sharing a data folder): each
// writes its part of the status board, and the parts merge into one status that does not swap
// between the processes' views: counters from the export log, each partition's lag from the part
// that holds it, one part leading the rate and backlog, dead and stale parts left out.
import { existsSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ExporterStatus, PartitionLag } from "../../../../common/exporter-status.js";
import { ownerSuffix, type ProcessOwner } from "../../../../main/core/exporters/process-owner.js";
import { partFreshMs, StatusBoard } from "../../../../main/core/exporters/control/status-board.js";
import { mergeStatus, type LogCounters, type StatusPart } from "../../../../main/core/exporters/control/status-merge.js";

const exporterId = "6f1c2b9e-0000-4000-8000-000000000001";
const t0 = Date.parse("2027-01-15T10:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();
const lagOf = (partitions: number[], behind: number, end = 1000): PartitionLag[] =>
  partitions.map((partition) => ({ partition, committed: end - behind, end }));

/** What one engine decided: its own numbers (counters as it last counted them), its partitions' lag. */
function part(owner: string, extra: { at?: number; since?: number; silentForMs?: number } & Partial<ExporterStatus> = {}): StatusPart {
  const { at = t0, since = t0 - 60_000, silentForMs, ...status } = extra;
  const assigned = status.assignments ?? [[0, 1, 2]];
  return {
    owner,
    at: iso(at),
    since: iso(since),
    topic: "clicks",
    ...(silentForMs !== undefined ? { silentForMs } : {}),
    status: {
      id: exporterId,
      name: "s3-clicks",
      state: "running",
      version: 1,
      workers: assigned.length,
      eventsExported: 0,
      invalidExported: 0,
      bytesExported: 0,
      filesWritten: 0,
      tombstonesSkipped: 0,
      caughtUp: false,
      eventsPerSecond: 0,
      lag: lagOf(assigned.flat(), 0),
      lagEvents: 0,
      assignments: assigned,
      restarts: 0,
      ...status,
    },
  };
}

const counters = (events: number, files = Math.ceil(events / 100)): LogCounters => ({
  eventsExported: events,
  invalidExported: 0,
  bytesExported: events * 10,
  filesWritten: files,
  tombstonesSkipped: 0,
  lastFile: `events/${files}.jsonl`,
});

describe("merging the parts of one exporter's status", () => {
  it("takes the counters from the export log, never from a part, so they do not swap between processes", () => {
    // Each process counted what it had seen when it last wrote: 211 and 445.
    const a = part("~desk~100~aa", { eventsExported: 211, filesWritten: 3 });
    const b = part("~desk~200~bb", { eventsExported: 445, filesWritten: 5, assignments: [[3, 4, 5]] });
    for (const parts of [
      [a, b],
      [b, a],
    ]) {
      expect(mergeStatus(parts, counters(500))).toMatchObject({ eventsExported: 500, filesWritten: 5, bytesExported: 5000, lastFile: "events/5.jsonl" });
    }
  });

  it("takes each partition's lag from the part that holds it, the most recent of those, whichever order the parts come in", () => {
    // a held 0-5 until a rebalance; b holds 3-5 since and read their lag after.
    const a = part("~desk~100~aa", { at: t0 - 2000, assignments: [[0, 1, 2]], lag: [...lagOf([0, 1, 2], 5), ...lagOf([3, 4, 5], 185)] });
    const b = part("~desk~200~bb", { at: t0 - 3000, assignments: [[3, 4, 5]], lag: lagOf([3, 4, 5], 3) });
    // A third process failing and holding nothing read every partition a while ago.
    const c = part("~desk~300~cc", { at: t0, state: "retrying", assignments: [], lag: lagOf([0, 1, 2, 3, 4, 5], 50), lastError: "Kafka is unreachable." });
    const expected = [...lagOf([0, 1, 2], 5), ...lagOf([3, 4, 5], 3)];
    for (const parts of [
      [a, b, c],
      [c, b, a],
      [b, a, c],
    ]) {
      expect(mergeStatus(parts, counters(0))).toMatchObject({ lag: expected, lagEvents: 24, state: "retrying", lastError: "Kafka is unreachable." });
    }
    // A partition nobody holds (mid-rebalance): from the newest part that lists it.
    const d = part("~desk~400~dd", { at: t0 + 1000, assignments: [[0, 1, 2]], lag: [...lagOf([0, 1, 2], 5), ...lagOf([6], 9)] });
    const e = part("~desk~500~ee", { at: t0 + 2000, assignments: [[3]], lag: [...lagOf([3], 0), ...lagOf([6], 7)] });
    expect(mergeStatus([d, e], counters(0)).lag.find((entry) => entry.partition === 6)).toEqual(lagOf([6], 7)[0]);
  });

  it("adds up workers, assignments and restarts, and leads the rate and backlog by the earliest started engine", () => {
    const lag = lagOf([0, 1, 2], 500); // 1500 left in all
    const first = part("~desk~200~bb", {
      since: t0 - 600_000,
      eventsPerSecond: 90,
      backlog: { atStart: 3000, exported: 1500, total: 3000, fraction: 0.5 },
      restarts: 1,
      lag,
    });
    const second = part("~laptop~100~aa", {
      since: t0 - 5000,
      eventsPerSecond: 40,
      backlog: { atStart: 200, exported: 199, total: 200, fraction: 0.995 },
      assignments: [[3, 4], [5]],
      restarts: 2,
    });
    for (const parts of [
      [first, second],
      [second, first],
    ]) {
      expect(mergeStatus(parts, counters(0))).toMatchObject({
        workers: 3,
        assignments: [[0, 1, 2], [3, 4], [5]],
        restarts: 3,
        eventsPerSecond: 90,
        backlog: { atStart: 3000, exported: 1500, total: 3000, fraction: 0.5 },
        caughtUp: false,
      });
    }
  });

  it("is the most troubled state of the running parts; an engine that stopped says nothing while another runs", () => {
    const stopped = part("~desk~100~aa", { state: "stopped", assignments: [], lag: lagOf([0], 99) });
    const starting = part("~desk~200~bb", { state: "starting" });
    const running = part("~desk~300~cc");
    expect(mergeStatus([stopped, running], counters(0))).toMatchObject({ state: "running", workers: 1, lagEvents: 0 });
    expect(mergeStatus([running, starting], counters(0)).state).toBe("starting");
    const failing = part("~desk~400~dd", { state: "error", lastError: "The key was refused.", problem: "storage-refused" });
    expect(mergeStatus([running, failing, starting], counters(0))).toMatchObject({
      state: "error",
      lastError: "The key was refused.",
      problem: "storage-refused",
    });
    expect(mergeStatus([stopped], counters(7)).state).toBe("stopped");
  });

  it("says the topic is silent only when every part reading partitions sees none grow", () => {
    const quiet = part("~desk~100~aa", { silentForMs: 12 * 60_000 });
    const quieter = part("~desk~200~bb", { silentForMs: 20 * 60_000, assignments: [[3, 4, 5]] });
    const busy = part("~desk~300~cc", { assignments: [[6]] });
    const idle = part("~desk~400~dd", { assignments: [], lag: [] });
    expect(mergeStatus([quiet, busy], counters(0)).warning).toBeUndefined();
    expect(mergeStatus([quiet, quieter, idle], counters(0)).warning).toBe(
      "No events in the last 12 min on topic clicks. Check that producers write to it, and that the topic name is right.",
    );
    // A worker's warning (lag near retention) comes first.
    expect(
      mergeStatus([quiet, part("~desk~500~ee", { silentForMs: 60 * 60_000, warning: "Lag is close to the topic's retention." })], counters(0)).warning,
    ).toBe("Lag is close to the topic's retention.");
  });

  it("says how far behind from the part furthest behind, and nothing behind when nothing is to export", () => {
    const a = part("~desk~100~aa", { lag: lagOf([0, 1, 2], 10), secondsBehind: 30 });
    const b = part("~desk~200~bb", { assignments: [[3]], lag: lagOf([3], 4), secondsBehind: 90 });
    expect(mergeStatus([a, b], counters(0))).toMatchObject({ lagEvents: 34, secondsBehind: 90 });
    expect(mergeStatus([part("~desk~100~aa", { secondsBehind: 30 })], counters(0)).secondsBehind).toBe(0);
  });
});

describe("the status board", () => {
  const setUp = (alive: (pid: number) => boolean = () => true) => {
    const dataDir = mkdtempSync(join(tmpdir(), "streamdrop-board-"));
    const clock = { now: t0 };
    const judge: ProcessOwner = { machine: "desk", pid: 1, nonce: "00", alive, now: () => clock.now };
    return { dataDir, clock, board: new StatusBoard(dataDir, judge) };
  };
  const owner = (machine: string, pid: number, nonce = "ab") => ownerSuffix({ machine, pid, nonce, alive: () => true, now: () => t0 });

  it("keeps each engine's part apart, and merges the live ones for a reader", () => {
    const { board, dataDir } = setUp();
    const [a, b] = [owner("desk", 100), owner("desk", 200)];
    board.write(part(a, { eventsExported: 211 }));
    board.write(part(b, { eventsExported: 445, assignments: [[3, 4, 5]] }));
    expect(existsSync(join(dataDir, "status", `${exporterId}${a}.json`))).toBe(true);
    expect(board.read(exporterId, counters(500))).toMatchObject({
      live: true,
      processes: 2,
      at: iso(t0),
      status: { state: "running", workers: 2, eventsExported: 500, lag: lagOf([0, 1, 2, 3, 4, 5], 0) },
    });
    expect(board.othersLive(exporterId, a).map((found) => found.owner)).toEqual([b]);
  });

  it("leaves out the parts of dead processes of this machine at once, and any part not written for 30 s", () => {
    const { board, clock } = setUp((pid) => pid !== 100);
    board.write(part(owner("desk", 100), { state: "error", lastError: "killed while failing" }));
    board.write(part(owner("laptop", 100), { at: t0 - partFreshMs - 1000, state: "error", lastError: "gone quiet" }));
    board.write(part(owner("desk", 200), { assignments: [[3]] }));
    expect(board.read(exporterId, counters(0))).toMatchObject({ live: true, processes: 1, status: { state: "running", assignments: [[3]] } });
    // None live: the last part written says what it was.
    clock.now += partFreshMs + 1000;
    expect(board.read(exporterId, counters(10))).toMatchObject({ live: false, processes: 0, status: { eventsExported: 10 } });
  });

  it("removes, before an engine's first write, the parts no engine will come back to", () => {
    const { board, dataDir } = setUp((pid) => pid !== 100);
    const file = (suffix: string) => join(dataDir, "status", `${exporterId}${suffix}.json`);
    const [dead, elsewhere, abandoned, living] = [owner("desk", 100), owner("laptop", 7), owner("laptop", 8), owner("desk", 300)];
    const writer = new StatusBoard(dataDir, { machine: "laptop", pid: 9, nonce: "00", alive: () => true, now: () => t0 });
    for (const suffix of [dead, elsewhere, abandoned, living]) writer.write(part(suffix));
    const touched = (suffix: string, ms: number) => utimesSync(file(suffix), new Date(t0 - ms), new Date(t0 - ms));
    for (const suffix of [dead, elsewhere, living]) touched(suffix, 60_000);
    touched(abandoned, 2 * 24 * 60 * 60 * 1000);
    board.write(part(owner("desk", 400)));
    expect([dead, elsewhere, abandoned, living].map((suffix) => existsSync(file(suffix)))).toEqual([false, true, false, true]);
  });

  it("reads the single file an engine wrote before parts were per process, judged by its age", () => {
    const { board, dataDir, clock } = setUp();
    board.write(part(owner("desk", 200)));
    writeFileSync(join(dataDir, "status", `${exporterId}.json`), JSON.stringify({ at: iso(t0 - 5000), status: part("").status }));
    expect(board.read(exporterId, counters(0))).toMatchObject({ live: true, processes: 2 });
    clock.now += partFreshMs;
    expect(board.read(exporterId, counters(0))).toMatchObject({ live: true, processes: 1 });
  });

  it("writes a part again when its state changes, otherwise at most every 10 s (a live engine writes even when nothing changed)", () => {
    const { board, dataDir } = setUp();
    const mine = owner("desk", 200);
    board.write(part(mine, { eventsExported: 1 }));
    board.write(part(mine, { at: t0 + 1000, eventsExported: 2 }));
    expect(new StatusBoard(dataDir, { machine: "desk", pid: 1, nonce: "00", alive: () => true, now: () => t0 + 1000 }).read(exporterId, counters(0))?.at).toBe(
      iso(t0),
    );
    board.write(part(mine, { at: t0 + 1500, state: "retrying" }));
    board.write(part(mine, { at: t0 + 11_000, state: "retrying" }));
    expect(
      new StatusBoard(dataDir, { machine: "desk", pid: 1, nonce: "00", alive: () => true, now: () => t0 + 11_000 }).read(exporterId, counters(0))?.at,
    ).toBe(iso(t0 + 1500));
    board.write(part(mine, { at: t0 + 11_500, state: "retrying" }));
    expect(
      new StatusBoard(dataDir, { machine: "desk", pid: 1, nonce: "00", alive: () => true, now: () => t0 + 11_500 }).read(exporterId, counters(0))?.at,
    ).toBe(iso(t0 + 11_500));
  });
});
