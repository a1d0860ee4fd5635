// What Streamdrop keeps of an exporter for its table definitions, in the data folder: the export
// log (every file it stored, so the layouts they are in: layout-history.ts), and the columns of
// the last definition made from its topic, for when the topic can no longer be read (deleted, or
// unreachable) and its files are all there is. The columns hold field names and types, never an
// event's values.
import { randomBytes } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RecordField } from "../../../common/record-format.js";
import type { BatchExporterRecord } from "../config/schema.js";
import type { ExportLog } from "../exporters/export-log.js";
import { privateDir } from "../private-dir.js";
import { layoutHistory, type LayoutHistory } from "./layout-history.js";
import { eventFileKind, type Layout } from "./layout.js";
import type { InferredSchema } from "./schema.js";

export interface StoredHistory extends LayoutHistory {
  /** Files stored before what the export log still holds (rotated out): their layouts are not known. */
  forgotten: number;
}

/** Columns a definition was made with, and when; `fields`: what the lines held then. */
export interface RememberedColumns {
  at: string;
  fields: RecordField[];
  schema: InferredSchema;
}

export class ExporterHistory {
  constructor(
    private readonly exportLog: ExportLog,
    private readonly dataDir: string,
  ) {}

  /** The layouts of the exporter's stored event files, its current settings' apart. */
  async layouts(exporter: BatchExporterRecord, topic: string): Promise<StoredHistory> {
    const current: Layout = {
      compression: eventFileKind(exporter),
      ...(exporter.pathPrefix ? { prefix: exporter.pathPrefix } : {}),
      ...(exporter.pathTemplate ? { template: exporter.pathTemplate } : {}),
    };
    const entries = await this.exportLog.read(exporter.id);
    return { ...layoutHistory(entries, current, topic), forgotten: await this.exportLog.forgottenFiles(exporter.id) };
  }

  private fileOf(exporter: Pick<BatchExporterRecord, "id">): string {
    return join(this.dataDir, "tables", `${exporter.id}.json`);
  }

  /** The columns of the last definition made from the exporter's topic, if any (an unreadable file is none). */
  async lastColumns(exporter: Pick<BatchExporterRecord, "id">): Promise<RememberedColumns | undefined> {
    try {
      const remembered = JSON.parse(await readFile(this.fileOf(exporter), "utf8")) as RememberedColumns;
      return Array.isArray(remembered.schema?.fields) && Array.isArray(remembered.fields) ? remembered : undefined;
    } catch {
      return undefined;
    }
  }

  /** Keeps the columns a definition was made with (replaced whole, so a crash leaves the old ones or the new). */
  async rememberColumns(exporter: Pick<BatchExporterRecord, "id" | "fields">, schema: InferredSchema): Promise<void> {
    await privateDir(join(this.dataDir, "tables"));
    const file = this.fileOf(exporter);
    const remembered: RememberedColumns = { at: new Date().toISOString(), fields: exporter.fields, schema };
    // The app and the CLI may both write it: each its own temporary file.
    const temporary = `${file}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
    await writeFile(temporary, JSON.stringify(remembered), { mode: 0o600 });
    await rename(temporary, file);
  }
}
