// Reads the log back (logs/streamdrop.log, one pino JSON line per entry, rotated by size): an
// exporter's entries for `streamdrop logs batch-exporter` and the app's logs panel. The log holds
// no secrets (log.ts redacts them), so what is read here may be shown.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { rotatedFiles } from "./rotation.js";

export interface LogEntry {
  time: string;
  level: "error" | "warn" | "info";
  message: string;
  /** The rest of the entry's fields (worker, error, key, ...). */
  fields: Record<string, unknown>;
  exporter?: string;
}

export const logFileOf = (dataDir: string) => join(dataDir, "logs", "streamdrop.log");

/** One line of the log, or undefined for a torn or foreign line. */
export function parseLogLine(line: string): LogEntry | undefined {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof raw !== "object" || raw === null || typeof raw.msg !== "string") return undefined;
  const { time, level, msg, exporter, pid: _pid, hostname: _host, name: _source, ...fields } = raw;
  const number = Number(level);
  return {
    time: new Date(Number(time)).toISOString(),
    level: number >= 50 ? "error" : number >= 40 ? "warn" : "info",
    message: msg,
    fields,
    ...(typeof exporter === "string" ? { exporter } : {}),
  };
}

/** The line as the CLI prints it. */
export const logLineText = (entry: LogEntry) =>
  `${entry.time} ${entry.level.toUpperCase()} ${entry.message}${Object.keys(entry.fields).length > 0 ? ` ${JSON.stringify(entry.fields)}` : ""}`;

/** The exporter's newest entries, oldest first, across the rotated files (the log keeps 3). */
export async function recentExporterLog(dataDir: string, exporter: string, limit: number): Promise<LogEntry[]> {
  const texts = await Promise.all(rotatedFiles(logFileOf(dataDir), 3).map((file) => readFile(file, "utf8").catch(() => "")));
  const entries: LogEntry[] = [];
  for (const line of texts.join("\n").split("\n")) {
    const entry = line ? parseLogLine(line) : undefined;
    if (entry?.exporter === exporter) entries.push(entry);
  }
  return entries.slice(-limit);
}
