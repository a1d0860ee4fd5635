// The export log: every file an exporter stored, one JSON line each, under the data folder,
// written by the worker that stored it (worker processes of one exporter append to one file).
// The app shows output files from it, since the least-privilege key cannot list the bucket.
// A planned file that stored nothing (its records all tombstones the policy skips) has a line
// too, of kind "skipped", which counts them and is no file: `read` leaves it out.
// Rotated by size (the newest entries are what the UI shows), so it never grows without bound;
// each new file starts with a `carried` line, the totals of everything before it, so an
// exporter's counters (events, files, bytes) survive rotation as they survive restarts.
// Engines follow it as it grows (ExportLogFollower): `streamdrop run` processes sharing a data
// folder append to one log, so each counts every process's files, and they all show the same totals.
import { readFileSync } from "node:fs";
import { appendFile, open, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { privateDir } from "../private-dir.js";
import { rotate, rotatedFiles } from "../rotation.js";
import type { ExportLogEntry, LogEntry } from "./worker-protocol.js";

/** What an exporter has stored since it was created. */
export interface ExportTotals {
  events: number;
  invalid: number;
  bytes: number;
  files: number;
  tombstonesSkipped: number;
}

export const noTotals = (): ExportTotals => ({ events: 0, invalid: 0, bytes: 0, files: 0, tombstonesSkipped: 0 });

/** Adds one stored file to the totals (validation files are not output), or a cut's skipped tombstones that stored none. */
export function addEntry(totals: ExportTotals, entry: LogEntry): void {
  if (entry.kind === "validation") return;
  if (entry.kind === "skipped") {
    totals.tombstonesSkipped += entry.tombstonesSkipped;
    return;
  }
  totals.files += 1;
  totals.bytes += entry.bytes;
  if (entry.kind === "events") totals.events += entry.records;
  else totals.invalid += entry.records;
  totals.tombstonesSkipped += entry.tombstonesSkipped ?? 0;
}

/** A line of the log: a stored file, skipped tombstones that stored none, or (first in each file after a rotation) the totals of everything before that file. */
export type LogLine = LogEntry | { carried: ExportTotals };

export class ExportLog {
  constructor(
    private readonly dataDir: string,
    private readonly maxBytes = 16 * 1024 * 1024,
    private readonly keep = 2,
  ) {}

  fileOf(exporterId: string): string {
    return join(this.dataDir, "exports", `${exporterId}.jsonl`);
  }

  async append(exporterId: string, entry: LogEntry): Promise<void> {
    await privateDir(join(this.dataDir, "exports"));
    const file = this.fileOf(exporterId);
    const line = `${JSON.stringify(entry)}\n`;
    const size = await stat(file).then(
      (info) => info.size,
      () => 0,
    );
    if (size > 0 && size + line.length > this.maxBytes) {
      const carried = totalsOf(this.linesSync(exporterId));
      rotate(file, this.keep);
      await appendFile(file, `${JSON.stringify({ carried })}\n`, { mode: 0o600 });
    }
    await appendFile(file, line, { mode: 0o600 });
  }

  /**
   * The stored files oldest first, across the rotated files, one per file: a file logged just
   * before a crash and re-created by recovery (same key, same bytes) is listed once, where first
   * logged, marked `recovered`. Skipped tombstones that stored no file are not listed.
   */
  async read(exporterId: string): Promise<ExportLogEntry[]> {
    const byKey = new Map<string, ExportLogEntry>();
    for (const entry of await this.lines(exporterId)) {
      if ("carried" in entry || entry.kind === "skipped") continue;
      const known = byKey.get(entry.key);
      if (!known) byKey.set(entry.key, entry);
      else if (entry.recovered) known.recovered = true;
    }
    return [...byKey.values()];
  }

  /** Files stored before the oldest line the log still holds (rotation dropped their lines): the first carried totals' count. */
  async forgottenFiles(exporterId: string): Promise<number> {
    const [first] = await this.lines(exporterId);
    return first && "carried" in first ? first.carried.files : 0;
  }

  /** The exporter's totals since it was created: the last carried line, plus every file after it. */
  async totals(exporterId: string): Promise<ExportTotals> {
    return totalsOf(await this.lines(exporterId));
  }

  /** The totals, the keys of the newest entries (to count a file, or skipped tombstones, recovery logs again once), and the newest output file. */
  async summary(exporterId: string, recentKeys: number): Promise<LogSummary> {
    return summaryOf(await this.lines(exporterId), recentKeys);
  }

  /** Follows the exporter's log as it grows, from now (`start` reads what is there). */
  follow(exporterId: string): ExportLogFollower {
    return new ExportLogFollower(rotatedFiles(this.fileOf(exporterId), this.keep));
  }

  private async lines(exporterId: string): Promise<LogLine[]> {
    return parseLines(await Promise.all(rotatedFiles(this.fileOf(exporterId), this.keep).map((file) => readFile(file, "utf8").catch(() => ""))));
  }

  private linesSync(exporterId: string): LogLine[] {
    return parseLines(
      rotatedFiles(this.fileOf(exporterId), this.keep).map((file) => {
        try {
          return readFileSync(file, "utf8");
        } catch {
          return "";
        }
      }),
    );
  }
}

export interface LogSummary {
  totals: ExportTotals;
  /** Keys of the newest entries (files, and skipped tombstones that stored none), oldest first. */
  recentKeys: string[];
  /** The newest output file (events or invalid). */
  lastFile?: string;
  /** What the newest validation file proved (its `checks`), if the log still holds one that says. */
  lastValidationChecks?: string;
}

function summaryOf(lines: LogLine[], recentKeys: number): LogSummary {
  const entries = lines.filter((line): line is LogEntry => !("carried" in line));
  const lastFile = entries.filter((entry) => entry.kind === "events" || entry.kind === "invalid").at(-1)?.key;
  const lastValidationChecks = entries.findLast((entry): entry is ExportLogEntry => entry.kind === "validation")?.checks;
  return {
    totals: totalsOf(lines),
    recentKeys: recentKeys > 0 ? entries.slice(-recentKeys).map((entry) => entry.key) : [],
    ...(lastFile ? { lastFile } : {}),
    ...(lastValidationChecks ? { lastValidationChecks } : {}),
  };
}

function totalsOf(lines: LogLine[]): ExportTotals {
  let totals = noTotals();
  const seen = new Set<string>();
  for (const line of lines) {
    if ("carried" in line) {
      totals = { ...noTotals(), ...line.carried };
      continue;
    }
    // A file re-created by recovery (same key, same bytes) counts once, and so do skipped tombstones logged again by recovery.
    if (seen.has(line.key)) continue;
    seen.add(line.key);
    addEntry(totals, line);
  }
  return totals;
}

/**
 * Reads an export log as it grows, each look only what was appended since the last (an engine
 * looks every few seconds, and a log may hold 16 MiB). It knows the file it read by its inode,
 * which the rename of a rotation keeps, and its first line (an inode is reused once a rotation
 * drops a file): after a rotation it reads the rest of that file where it now lies, any file
 * rotated after it, then the new one from its start. Only whole lines are taken: a line being
 * appended is read at the next look.
 */
export class ExportLogFollower {
  private readTo?: { file: LogFile; position: number };
  /** The current file as the last look found it. */
  private seen?: { ino: bigint; size: bigint; mtimeNs: bigint };

  /** `files`: the rotated files oldest first, then the current one. */
  constructor(private readonly files: string[]) {}

  private get current(): string {
    return this.files.at(-1)!;
  }

  /** What the log holds now: following starts at its end. */
  async start(recentKeys: number): Promise<LogSummary> {
    const older = await Promise.all(this.files.slice(0, -1).map((file) => readFile(file, "utf8").catch(() => "")));
    const current = await readWholeLines(this.current, () => 0);
    if (current) this.readTo = { file: current.file, position: current.end };
    return summaryOf(
      [...older, current?.text ?? ""].flatMap((text) => parseLines([text])),
      recentKeys,
    );
  }

  /** The lines appended since the last look, in the log's order (a rotation's carried totals count what comes before them). */
  async next(): Promise<LogLine[]> {
    // Most looks find the log as it was: one stat says so, where a read opens it and reads its head.
    const now = await stat(this.current, { bigint: true }).catch(() => undefined);
    if (!now) return [];
    const seen = this.seen;
    if (seen && now.ino === seen.ino && now.size === seen.size && now.mtimeNs === seen.mtimeNs) return [];
    this.seen = { ino: now.ino, size: now.size, mtimeNs: now.mtimeNs };
    const readTo = this.readTo;
    const current = await readWholeLines(this.current, (file) => (readTo && sameFile(file, readTo.file) ? readTo.position : 0));
    if (!current) return [];
    // Another file: the one read so far was rotated (or there was none, and the log is new).
    const rotated = readTo && sameFile(current.file, readTo.file) ? [] : await this.rotatedSince(readTo);
    this.readTo = { file: current.file, position: current.end };
    return [...rotated, current.text].flatMap((text) => parseLines([text]));
  }

  /**
   * The rest of the file read so far, where rotation put it, and every file rotated after it,
   * whole; every rotated file if it is gone (dropped by rotations since) or there was none.
   */
  private async rotatedSince(readTo: { file: LogFile; position: number } | undefined): Promise<string[]> {
    const texts: string[] = [];
    // Newest first, back to the one read so far: the older ones were read before.
    for (const file of this.files.slice(0, -1).reverse()) {
      const read = await readWholeLines(file, (found) => (readTo && sameFile(found, readTo.file) ? readTo.position : 0));
      if (!read) continue;
      texts.unshift(read.text);
      if (readTo && sameFile(read.file, readTo.file)) break;
    }
    return texts;
  }
}

/** Which file a log file is: its inode and its first line (an entry, or a rotation's carried totals, which grow). */
interface LogFile {
  ino: bigint;
  head: string;
}

/** A file read before its first line was whole was read from its start: any file with its inode is it. */
const sameFile = (found: LogFile, known: LogFile) => found.ino === known.ino && (known.head === "" || found.head === known.head);

/** The first line is looked for this far. */
const headBytes = 64 * 1024;

/**
 * The whole lines of `file` from the position `from` gives for it, and where they end; undefined
 * when there is no such file.
 */
async function readWholeLines(file: string, from: (file: LogFile) => number): Promise<{ file: LogFile; text: string; end: number } | undefined> {
  const handle = await open(file, "r").catch(() => undefined);
  if (!handle) return undefined;
  try {
    const { ino, size } = await handle.stat({ bigint: true });
    const length = Number(size);
    const first = Buffer.alloc(Math.min(length, headBytes));
    await handle.read(first, 0, first.length, 0);
    const found: LogFile = { ino, head: first.subarray(0, first.indexOf(0x0a) + 1).toString("utf8") };
    // Shorter than where reading stopped: written anew, so read from its start.
    const position = from(found) > length ? 0 : from(found);
    const bytes = Buffer.alloc(length - position);
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, position);
    const whole = bytes.subarray(0, bytesRead).lastIndexOf(0x0a) + 1;
    return { file: found, text: bytes.subarray(0, whole).toString("utf8"), end: position + whole };
  } finally {
    await handle.close();
  }
}

/** Oldest first; a torn last line (a crash mid-append) is skipped, not fatal. */
function parseLines(texts: string[]): LogLine[] {
  const lines: LogLine[] = [];
  for (const text of texts.join("").split("\n")) {
    if (!text) continue;
    try {
      lines.push(JSON.parse(text) as LogLine);
    } catch {
      continue;
    }
  }
  return lines;
}
