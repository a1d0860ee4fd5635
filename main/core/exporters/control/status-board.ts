// Each exporter's status, kept on disk for other processes: for `streamdrop get batch-exporter`,
// and for the other engines running the same exporter from the same data folder (`streamdrop run`
// processes sharing it). Every engine writes its own part, status/<exporterId>~<process>.json
// (named as spool folders are: process-owner.ts), so no engine's write hides another's; readers
// merge the live parts (status-merge.ts). Written when the state or its message changes,
// otherwise at most every 10 s, even when nothing changed (that says the engine lives); replaced
// atomically.
import { readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { privateDirSync } from "../../private-dir.js";
import type { ExporterStatus } from "../../../../common/exporter-status.js";
import { diedHere, removeIfLeftBehind, thisProcess, type ProcessOwner } from "../process-owner.js";
import { mergeStatus, type LogCounters, type StatusPart } from "./status-merge.js";

/** The exporter's status as the board shows it. */
export interface BoardView {
  /** When the newest part it comes from was written. */
  at: string;
  /** Some engine runs the exporter now; otherwise the status is the last one written. */
  live: boolean;
  /** Engines (processes) running the exporter now. */
  processes: number;
  status: ExporterStatus;
}

/** A part not written for this long is an engine's that is gone (a live one writes every 10 s at least). */
export const partFreshMs = 30_000;
/** How often a part whose state and message stay the same is written again: each write is a file replaced, for every exporter. */
const throttleMs = 10_000;

export class StatusBoard {
  private readonly written = new Map<string, { at: number; state: string; message: string }>();
  private readonly swept = new Set<string>();

  /** `judge`: this machine's process table and clock, to tell the parts of live engines. */
  constructor(
    private readonly dataDir: string,
    private readonly judge: ProcessOwner = thisProcess(),
  ) {}

  private get dir(): string {
    return join(this.dataDir, "status");
  }

  /** Writes an engine's part (`part.owner` names its file). */
  write(part: StatusPart): void {
    const { status } = part;
    const now = Date.parse(part.at);
    const key = `${status.id}${part.owner}`;
    const last = this.written.get(key);
    const message = `${status.lastError ?? ""}|${status.warning ?? ""}`;
    if (last && last.state === status.state && last.message === message && now - last.at < throttleMs) return;
    this.written.set(key, { at: now, state: status.state, message });
    try {
      privateDirSync(this.dir);
      this.sweep(status.id);
      const file = join(this.dir, `${key}.json`);
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(part), { mode: 0o600 });
      renameSync(temporary, file);
    } catch {
      // The board is informational; the engine's own log says what it did.
    }
  }

  /** The live parts of other engines running the exporter (an engine merges them with its own, which it does not read back). */
  othersLive(exporterId: string, owner: string): StatusPart[] {
    return this.parts(exporterId, `${exporterId}${owner}.json`).filter((part) => part.owner !== owner && this.isLive(part));
  }

  /** The exporter's status: its live parts merged, or the last one written when none lives; none if no engine ever ran it. */
  read(exporterId: string, counters: LogCounters): BoardView | undefined {
    const parts = this.parts(exporterId);
    const live = parts.filter((part) => this.isLive(part));
    const shown = live.length > 0 ? live : parts.sort((a, b) => b.at.localeCompare(a.at)).slice(0, 1);
    if (shown.length === 0) return undefined;
    const at = shown
      .map((part) => part.at)
      .sort()
      .at(-1)!;
    return { at, live: live.length > 0, processes: live.length, status: mergeStatus(shown, counters) };
  }

  /** Written lately by an engine not known to be dead. */
  private isLive(part: StatusPart): boolean {
    return this.judge.now() - Date.parse(part.at) <= partFreshMs && !diedHere(`${part.status.id}${part.owner}`, this.judge);
  }

  private parts(exporterId: string, except?: string): StatusPart[] {
    return this.partFiles(exporterId).flatMap((name) => {
      if (name === except) return [];
      const part = readPart(join(this.dir, name), name.slice(exporterId.length, -".json".length));
      return part ? [part] : [];
    });
  }

  /** `<exporterId>~<process>.json`, and `<exporterId>.json` from before parts were per process. */
  private partFiles(exporterId: string): string[] {
    try {
      return readdirSync(this.dir).filter((name) => name.endsWith(".json") && (name === `${exporterId}.json` || name.startsWith(`${exporterId}~`)));
    } catch {
      return [];
    }
  }

  /** Once per exporter, before this board's first write of it: removes the parts no engine will come back to. */
  private sweep(exporterId: string): void {
    if (this.swept.has(exporterId)) return;
    this.swept.add(exporterId);
    for (const name of this.partFiles(exporterId)) {
      const file = join(this.dir, name);
      removeIfLeftBehind(file, name.slice(0, -".json".length), this.judge);
    }
  }
}

/** A part as written; one from before parts (`{ at, status }`) stands as a part of no process. */
function readPart(file: string, owner: string): StatusPart | undefined {
  try {
    const read = JSON.parse(readFileSync(file, "utf8")) as Partial<StatusPart>;
    if (typeof read.at !== "string" || !read.status) return undefined;
    return { since: read.at, topic: "", ...read, owner, at: read.at, status: read.status };
  } catch {
    // Gone meanwhile, or not ours to read: no part.
    return undefined;
  }
}
