// What an exporter's validation file proves: that the sink's credentials, as they are now, may
// write a file of the exporter's suffix under its prefix. A new file is due only when one of those
// changes (new credentials, another prefix, another compression): not at every save, start or
// resume. Each validation file the export log records says the scope it proved (`checks`).
import type { BatchExporterRecord, SinkRecord } from "../config/schema.js";
import { exportLogWriter } from "./files/file-writer.js";
import type { ExportLog } from "./export-log.js";
import type { ValidationResult } from "../stores/validation.js";
import { fileKindsOf } from "./parquet/parquet-settings.js";

export const validationScope = (
  sink: Pick<SinkRecord, "id" | "updatedAt" | "pathPrefix">,
  exporter: Pick<BatchExporterRecord, "pathPrefix" | "compression" | "parquet">,
): string => `${sink.id}@${sink.updatedAt}|${exporter.pathPrefix ?? sink.pathPrefix ?? ""}|${fileKindsOf(exporter)[0]}`;

/** Records a validation file written outside a worker (a save that changed the prefix or compression), so no worker writes another. */
export async function logValidation(
  log: ExportLog,
  exporter: Pick<BatchExporterRecord, "id" | "name">,
  validation: ValidationResult,
  checks: string,
  at: Date,
): Promise<void> {
  const write = exportLogWriter(log, exporter.id, () => undefined);
  await write({
    at: at.toISOString(),
    exporter: exporter.name,
    key: validation.key,
    uri: validation.uri,
    kind: "validation",
    bytes: 0,
    records: 0,
    partitions: [],
    checks,
  });
}
