// The export log: every file an exporter stored, one JSON line each, under the data folder. The
// app shows output files from it, since the least-privilege key cannot list the bucket. Rotated
// by size (the newest entries are what the UI shows), so it never grows without bound.
import { appendFile, mkdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { rotate, rotatedFiles } from "../rotation.js";
import type { ExportLogEntry } from "./worker-protocol.js";

export class ExportLog {
  constructor(
    private readonly dataDir: string,
    private readonly maxBytes = 16 * 1024 * 1024,
    private readonly keep = 2,
  ) {}

  private file(exporterId: string): string {
    return join(this.dataDir, "exports", `${exporterId}.jsonl`);
  }

  async append(exporterId: string, entry: ExportLogEntry): Promise<void> {
    await mkdir(join(this.dataDir, "exports"), { recursive: true });
    const file = this.file(exporterId);
    const line = `${JSON.stringify(entry)}\n`;
    const size = await stat(file).then((info) => info.size, () => 0);
    if (size > 0 && size + line.length > this.maxBytes) rotate(file, this.keep);
    await appendFile(file, line);
  }

  /** Entries oldest first, across the rotated files. */
  async read(exporterId: string): Promise<ExportLogEntry[]> {
    const texts = await Promise.all(rotatedFiles(this.file(exporterId), this.keep).map((file) => readFile(file, "utf8").catch(() => "")));
    // A torn last line (a crash mid-append) is skipped, not fatal.
    return texts.join("").split("\n").flatMap((line) => {
      if (!line) return [];
      try {
        return [JSON.parse(line) as ExportLogEntry];
      } catch {
        return [];
      }
    });
  }
}
