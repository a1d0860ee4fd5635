// The export log: every file an exporter stored, one JSON line each, under the data folder,
// written by the worker that stored it (worker processes of one exporter append to one file).
// The app shows output files from it, since the least-privilege key cannot list the bucket.
// Rotated by size (the newest entries are what the UI shows), so it never grows without bound;
// each new file starts with a `carried` line, the totals of everything before it, so an
// exporter's counters (events, files, bytes) survive rotation as they survive restarts.
import { readFileSync } from "node:fs";
import { appendFile, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { privateDir } from "../private-dir.js";
import { rotate, rotatedFiles } from "../rotation.js";
import type { ExportLogEntry } from "./worker-protocol.js";

/** What an exporter has stored since it was created. */
export interface ExportTotals {
  events: number;
  invalid: number;
  bytes: number;
  files: number;
  tombstonesSkipped: number;
}

export const noTotals = (): ExportTotals => ({ events: 0, invalid: 0, bytes: 0, files: 0, tombstonesSkipped: 0 });

/** Adds one stored file to the totals (validation files are not output). */
export function addEntry(totals: ExportTotals, entry: ExportLogEntry): void {
  if (entry.kind === "validation") return;
  totals.files += 1;
  totals.bytes += entry.bytes;
  if (entry.kind === "events") totals.events += entry.records;
  else totals.invalid += entry.records;
  totals.tombstonesSkipped += entry.tombstonesSkipped ?? 0;
}

type LogLine = ExportLogEntry | { carried: ExportTotals };

export class ExportLog {
  constructor(
    private readonly dataDir: string,
    private readonly maxBytes = 16 * 1024 * 1024,
    private readonly keep = 2,
  ) {}

  fileOf(exporterId: string): string {
    return join(this.dataDir, "exports", `${exporterId}.jsonl`);
  }

  async append(exporterId: string, entry: ExportLogEntry): Promise<void> {
    await privateDir(join(this.dataDir, "exports"));
    const file = this.fileOf(exporterId);
    const line = `${JSON.stringify(entry)}\n`;
    const size = await stat(file).then((info) => info.size, () => 0);
    if (size > 0 && size + line.length > this.maxBytes) {
      const carried = this.totalsOf(this.linesSync(exporterId));
      rotate(file, this.keep);
      await appendFile(file, `${JSON.stringify({ carried })}\n`, { mode: 0o600 });
    }
    await appendFile(file, line, { mode: 0o600 });
  }

  /**
   * Entries oldest first, across the rotated files, one per file: a file logged just before a
   * crash and re-created by recovery (same key, same bytes) is listed once, where first logged,
   * marked `recovered`.
   */
  async read(exporterId: string): Promise<ExportLogEntry[]> {
    const byKey = new Map<string, ExportLogEntry>();
    for (const entry of await this.lines(exporterId)) {
      if ("carried" in entry) continue;
      const known = byKey.get(entry.key);
      if (!known) byKey.set(entry.key, entry);
      else if (entry.recovered) known.recovered = true;
    }
    return [...byKey.values()];
  }

  /** The exporter's totals since it was created: the last carried line, plus every file after it. */
  async totals(exporterId: string): Promise<ExportTotals> {
    return this.totalsOf(await this.lines(exporterId));
  }

  /** The totals, and the keys of the newest files (to count a file recovery re-creates once). */
  async summary(exporterId: string, recentKeys: number): Promise<{ totals: ExportTotals; recentKeys: string[] }> {
    const lines = await this.lines(exporterId);
    const keys = lines.flatMap((line) => ("carried" in line ? [] : [line.key]));
    return { totals: this.totalsOf(lines), recentKeys: keys.slice(-recentKeys) };
  }

  private totalsOf(lines: LogLine[]): ExportTotals {
    let totals = noTotals();
    const seen = new Set<string>();
    for (const line of lines) {
      if ("carried" in line) {
        totals = { ...noTotals(), ...line.carried };
        continue;
      }
      // A file re-created by recovery (same key, same bytes) counts once.
      if (seen.has(line.key)) continue;
      seen.add(line.key);
      addEntry(totals, line);
    }
    return totals;
  }

  private async lines(exporterId: string): Promise<LogLine[]> {
    return parseLines(await Promise.all(rotatedFiles(this.fileOf(exporterId), this.keep).map((file) => readFile(file, "utf8").catch(() => ""))));
  }

  private linesSync(exporterId: string): LogLine[] {
    return parseLines(rotatedFiles(this.fileOf(exporterId), this.keep).map((file) => {
      try {
        return readFileSync(file, "utf8");
      } catch {
        return "";
      }
    }));
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
