// The export log: every file an exporter stored, one JSON line each, under the data folder.
// The app shows output files from it, since the least-privilege key cannot list the bucket.
import { appendFile, mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ExportLogEntry } from "./worker-protocol.js";

export class ExportLog {
  constructor(private readonly dataDir: string) {}

  private file(exporterId: string): string {
    return join(this.dataDir, "exports", `${exporterId}.jsonl`);
  }

  async append(exporterId: string, entry: ExportLogEntry): Promise<void> {
    await mkdir(join(this.dataDir, "exports"), { recursive: true });
    await appendFile(this.file(exporterId), `${JSON.stringify(entry)}\n`);
  }

  async read(exporterId: string): Promise<ExportLogEntry[]> {
    let text: string;
    try {
      text = await readFile(this.file(exporterId), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    // A torn last line (a crash mid-append) is skipped, not fatal.
    return text.split("\n").flatMap((line) => {
      if (!line) return [];
      try {
        return [JSON.parse(line) as ExportLogEntry];
      } catch {
        return [];
      }
    });
  }
}
