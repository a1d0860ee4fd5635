// The export log: every file an exporter stored, one JSON line each, under the data folder,
// written by the worker that stored it (worker processes of one exporter append to one file).
// The app shows output files from it, since the least-privilege key cannot list the bucket.
// Rotated by size (the newest entries are what the UI shows), so it never grows without bound.
import { appendFile, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { privateDir } from "../private-dir.js";
import { rotate, rotatedFiles } from "../rotation.js";
import type { ExportLogEntry } from "./worker-protocol.js";

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
    if (size > 0 && size + line.length > this.maxBytes) rotate(file, this.keep);
    await appendFile(file, line, { mode: 0o600 });
  }

  /**
   * Entries oldest first, across the rotated files, one per file: a file logged just before a
   * crash and re-created by recovery (same key, same bytes) is listed once, where first logged,
   * marked `recovered`.
   */
  async read(exporterId: string): Promise<ExportLogEntry[]> {
    const texts = await Promise.all(rotatedFiles(this.fileOf(exporterId), this.keep).map((file) => readFile(file, "utf8").catch(() => "")));
    const byKey = new Map<string, ExportLogEntry>();
    // A torn last line (a crash mid-append) is skipped, not fatal.
    for (const line of texts.join("").split("\n")) {
      if (!line) continue;
      let entry: ExportLogEntry;
      try {
        entry = JSON.parse(line) as ExportLogEntry;
      } catch {
        continue;
      }
      const known = byKey.get(entry.key);
      if (!known) byKey.set(entry.key, entry);
      else if (entry.recovered) known.recovered = true;
    }
    return [...byKey.values()];
  }
}
