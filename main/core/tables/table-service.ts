// Table definitions for an exporter's files: the columns come from the stream's latest records,
// read by the topic check's reader (committing nothing) and shaped into lines exactly as the
// exporter writes them; the partition columns from its path template; the files' pattern from
// its prefix and compression.
import { exporterLimits, sampleDefaults } from "../../../common/exporter-settings.js";
import type { BatchExporterRecord, SinkRecord } from "../config/schema.js";
import { StreamdropError, invalidInput } from "../errors.js";
import { wholeNumber, type ExporterService } from "../exporters/control/exporter-service.js";
import { lineOf } from "../exporters/lines/line-format.js";
import type { SinkService } from "../sinks/sink-service.js";
import { providerOf } from "../stores/registry.js";
import type { StreamService } from "../streams/stream-service.js";
import { athenaTable } from "./athena.js";
import { bigqueryTable } from "./bigquery.js";
import { tableEngines, type TableDefinition, type TableEngine, type TableInput } from "./definition.js";
import { duckdbTable } from "./duckdb.js";
import type { TableSource } from "./layout.js";
import { inferSchema } from "./schema.js";

export interface TableRequest {
  exporterName: string;
  engine: string;
  /** Records per partition to infer the columns from, within `exporterLimits.sample` (default `sampleDefaults.table`). */
  sample?: number;
  /** DuckDB: a local copy of the exporter's folder to read instead of the bucket. */
  localRoot?: string;
}

const engines: Record<TableEngine, (input: TableInput) => TableDefinition> = { athena: athenaTable, bigquery: bigqueryTable, duckdb: duckdbTable };

export class TableService {
  constructor(private readonly deps: { exporters: ExporterService; sinks: SinkService; streams: StreamService }) {}

  async definition(request: TableRequest): Promise<TableDefinition> {
    const engine = checkEngine(request.engine);
    const exporter = await this.deps.exporters.get(request.exporterName);
    const sink = await this.deps.sinks.get(exporter.sinkName);
    const stream = await this.deps.streams.get(exporter.streamName);
    const perPartition = wholeNumber("sample", "The sample", request.sample ?? sampleDefaults.table, exporterLimits.sample);
    const sample = await this.deps.exporters.sample(stream, perPartition);
    const format = { fields: exporter.fields, tombstones: exporter.tombstones };
    const lines = sample.records.flatMap((record) => {
      const line = lineOf(record, format, stream.topic);
      return line.kind === "event" ? [line.line.toString("utf8")] : [];
    });
    const schema = inferSchema(lines);
    if (schema.sampled === 0) {
      throw new StreamdropError(
        "not-found",
        `Topic ${stream.topic} has no events to read the columns from (${sample.records.length} records sampled, none of them a line of the exporter's event files). Send some events, then ask again.`,
      );
    }
    if (request.localRoot !== undefined && engine !== "duckdb")
      throw invalidInput("Only the DuckDB definition reads a local copy of the files; leave the folder out for Athena and BigQuery.");
    return engines[engine]({
      source: sourceOf(exporter, sink, stream.topic),
      schema,
      ...(request.localRoot !== undefined ? { localRoot: request.localRoot } : {}),
    });
  }
}

function sourceOf(exporter: BatchExporterRecord, sink: SinkRecord, topic: string): TableSource {
  const view = providerOf(sink).view(sink) as { accountName?: string };
  return {
    exporter: exporter.name,
    store: sink.type,
    bucket: sink.bucket,
    ...(exporter.pathPrefix ? { prefix: exporter.pathPrefix } : {}),
    topic,
    compression: exporter.compression,
    ...(exporter.pathTemplate ? { template: exporter.pathTemplate } : {}),
    fields: exporter.fields,
    createdAt: exporter.createdAt,
    ...(view.accountName ? { accountName: view.accountName } : {}),
  };
}

function checkEngine(raw: string): TableEngine {
  if (!(tableEngines as readonly string[]).includes(raw)) throw invalidInput(`Unknown engine ${JSON.stringify(raw)}: use ${tableEngines.join(", ")}.`);
  return raw as TableEngine;
}
