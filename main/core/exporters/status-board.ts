// The last status of each exporter, kept on disk by whichever engine runs it (`run`, the app), so
// another process (`streamdrop get batch-exporter`) can say how it is doing. Written when the
// state or its message changes, otherwise at most every few seconds; replaced atomically.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { privateDirSync } from "../private-dir.js";
import type { ExporterStatus } from "./engine.js";

export interface BoardEntry {
  /** When the engine last wrote it: an old entry means no engine runs the exporter now. */
  at: string;
  status: ExporterStatus;
}

const throttleMs = 3000;

export class StatusBoard {
  private readonly written = new Map<string, { at: number; state: string; message: string }>();

  constructor(private readonly dataDir: string) {}

  private file(exporterId: string): string {
    return join(this.dataDir, "status", `${exporterId}.json`);
  }

  write(status: ExporterStatus, now = Date.now()): void {
    const last = this.written.get(status.id);
    const message = `${status.lastError ?? ""}|${status.warning ?? ""}`;
    if (last && last.state === status.state && last.message === message && now - last.at < throttleMs) return;
    this.written.set(status.id, { at: now, state: status.state, message });
    try {
      privateDirSync(join(this.dataDir, "status"));
      const file = this.file(status.id);
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify({ at: new Date(now).toISOString(), status } satisfies BoardEntry), { mode: 0o600 });
      renameSync(temporary, file);
    } catch {
      // The board is informational; the engine's own log says what it did.
    }
  }

  read(exporterId: string): BoardEntry | undefined {
    try {
      return JSON.parse(readFileSync(this.file(exporterId), "utf8")) as BoardEntry;
    } catch {
      return undefined;
    }
  }
}
