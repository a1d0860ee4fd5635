// Table definitions for an exporter's files. The files: every layout the exporter has stored them
// in (its prefix, path template and compression, read back from the export log's keys, and its
// current settings for files to come). The columns: the stream's latest records, read by the topic
// check's reader (committing nothing) and shaped into lines exactly as the exporter writes them.
// When the topic cannot be read (deleted, emptied, unreachable) but the exporter has stored files,
// the definition still reads them: with the columns of the last definition made from the topic, or
// else what the exporter's settings say of its lines (fallback-columns.ts). Only an exporter that
// has stored nothing, and whose topic cannot be read, has no definition. A Parquet exporter's
// columns are its own (parquet-columns.ts): its files hold them, so the topic is not sampled.
import { exporterLimits, sampleDefaults } from "../../../common/exporter-settings.js";
import type { BatchExporterRecord, SinkRecord, StreamRecord } from "../config/schema.js";
import { StreamdropError, invalidInput } from "../errors.js";
import { wholeNumber, type ExporterService } from "../exporters/control/exporter-service.js";
import { isValueOnly, lineOf, lineRules } from "../exporters/lines/line-format.js";
import { decodingOf } from "../exporters/file-shape.js";
import { RegistryClient } from "../schemas/registry-client.js";
import { registryProblem } from "../schemas/registry-settings.js";
import type { SampleDecoding, TopicSample } from "../streams/topic-check.js";
import type { SinkService } from "../sinks/sink-service.js";
import { providerOf } from "../stores/registry.js";
import type { StreamService } from "../streams/stream-service.js";
import { athenaTable } from "./athena.js";
import { bigqueryTable } from "./bigquery.js";
import { tableEngines, type TableDefinition, type TableEngine, type TableInput } from "./definition.js";
import { duckdbTable } from "./duckdb.js";
import type { ExporterHistory, StoredHistory } from "./exporter-history.js";
import { settingsColumns, type WholeLines } from "./fallback-columns.js";
import { eventFileKind, type TableSource } from "./layout.js";
import { parquetColumnsOf, registeredParquetColumns, type ParquetColumns } from "./parquet-columns.js";
import { takesRegistryColumns } from "../exporters/parquet/parquet-settings.js";
import { inferSchema, type InferredSchema } from "./schema.js";

export interface TableRequest {
  exporterName: string;
  engine: string;
  /** Records per partition to infer the columns from, within `exporterLimits.sample` (default `sampleDefaults.table`). */
  sample?: number;
  /** DuckDB: a local copy of the exporter's folder to read instead of the bucket. */
  localRoot?: string;
}

const engines: Record<TableEngine, (input: TableInput) => TableDefinition> = { athena: athenaTable, bigquery: bigqueryTable, duckdb: duckdbTable };

export interface TableServiceDeps {
  exporters: ExporterService;
  sinks: SinkService;
  streams: StreamService;
  /** The export log and the columns kept per exporter; absent, every definition reads the current settings' files alone. */
  history?: ExporterHistory;
}

/** What reads registered schemas (avsc, protobufjs), loaded by the first stream with a registry: see value-schema.ts. */
const valueSchemas = () => import("./value-schema.js");

export class TableService {
  constructor(private readonly deps: TableServiceDeps) {}

  /** The columns of the values' registered schema, or undefined (see value-schema.ts's latestValueSchema). */
  private async registeredColumns(
    stream: StreamRecord,
    sample: TopicSample,
    decoding: SampleDecoding,
    inferred: InferredSchema,
  ): Promise<InferredSchema | undefined> {
    const connection = (await this.deps.streams.registry(stream))!;
    const { columnsOf, latestValueSchema } = await valueSchemas();
    const found = await latestValueSchema(stream, sample, decoding, new RegistryClient(connection)).catch((error: unknown) => {
      throw registryProblem(error, connection.url);
    });
    if (!found) return undefined;
    const fields = columnsOf(found.latest, found.imports, found.indexes);
    if (!fields) return undefined;
    return { fields, notes: [], sampled: inferred.sampled, registered: { subject: found.subject, version: found.latest.version ?? 0, id: found.latest.id } };
  }

  async definition(request: TableRequest): Promise<TableDefinition> {
    const engine = checkEngine(request.engine);
    const exporter = await this.deps.exporters.get(request.exporterName);
    const sink = await this.deps.sinks.get(exporter.sinkName);
    const stream = await this.deps.streams.get(exporter.streamName);
    const perPartition = wholeNumber("sample", "The sample", request.sample ?? sampleDefaults.table, exporterLimits.sample);
    if (request.localRoot !== undefined && engine !== "duckdb")
      throw invalidInput("Only the DuckDB definition reads a local copy of the files; leave the folder out for Athena and BigQuery.");
    const history = await this.deps.history?.layouts(exporter, stream.topic);
    // Parquet files hold the exporter's columns, whatever the topic holds now: nothing to sample.
    const schema = !exporter.parquet
      ? await this.columns(exporter, stream, perPartition, history)
      : takesRegistryColumns(exporter)
        ? await this.registeredParquetColumns(exporter, stream, perPartition)
        : parquetColumnsOf(exporter);
    return engines[engine]({
      source: sourceOf(exporter, sink, stream.topic, history),
      schema,
      ...(request.localRoot !== undefined ? { localRoot: request.localRoot } : {}),
    });
  }

  /**
   * The columns from the topic, kept for later; when the topic cannot be read or holds no event,
   * and the exporter has stored files, the columns kept from the last definition (if its lines
   * were shaped as they are now), or what the settings say.
   */
  private async columns(exporter: BatchExporterRecord, stream: StreamRecord, perPartition: number, history: StoredHistory | undefined) {
    const stored = history ? history.currentFiles + history.earlier.reduce((sum, layout) => sum + layout.files, 0) : 0;
    let sampled: { schema: InferredSchema; records: number };
    try {
      sampled = await this.sampledColumns(exporter, stream, perPartition);
    } catch (error) {
      // Only the core's own errors say why the topic cannot be read; anything else is a bug to report.
      if (stored === 0 || !(error instanceof StreamdropError)) throw error;
      return this.fallbackColumns(exporter, error.message);
    }
    if (sampled.schema.sampled > 0) {
      await this.deps.history?.rememberColumns(exporter, sampled.schema);
      return sampled.schema;
    }
    const empty = `has no events to read the columns from (${sampled.records} records sampled, none of them a line of the exporter's event files)`;
    if (stored === 0) throw new StreamdropError("not-found", `Topic ${stream.topic} ${empty}. Send some events, then ask again.`);
    return this.fallbackColumns(exporter, `topic ${stream.topic} ${empty}`);
  }

  private async sampledColumns(exporter: BatchExporterRecord, stream: StreamRecord, perPartition: number) {
    const sample = await this.deps.exporters.sample(stream, perPartition);
    const decoding = decodingOf(exporter, stream) === "registry" ? await this.deps.exporters.sampleDecoding(stream, sample) : undefined;
    const format = { fields: exporter.fields, tombstones: exporter.tombstones };
    const lines = sample.records.flatMap((record) => {
      const line = lineOf(record, format, stream.topic, lineRules, decoding?.decoder);
      return line.kind === "event" ? [line.line.toString("utf8")] : [];
    });
    const inferred = inferSchema(lines);
    const schema = decoding && isValueOnly(exporter.fields) ? ((await this.registeredColumns(stream, sample, decoding, inferred)) ?? inferred) : inferred;
    return { schema, records: sample.records.length };
  }

  /** The columns of the latest registered schema the topic's values name, for files that take each writer schema's. */
  private async registeredParquetColumns(exporter: BatchExporterRecord, stream: StreamRecord, perPartition: number): Promise<ParquetColumns> {
    const sample = await this.deps.exporters.sample(stream, perPartition);
    const connection = await this.deps.streams.registry(stream);
    const none = (why: string) =>
      new StreamdropError(
        "not-found",
        `Exporter ${exporter.name}'s Parquet files take their events' registered schemas' columns, but ${why}. Send some events in the registry's wire format, then ask again.`,
      );
    if (!connection) throw none(`stream ${stream.name} names no Schema Registry now`);
    const decoding = await this.deps.exporters.sampleDecoding(stream, sample);
    const { latestValueSchema } = await valueSchemas();
    const found = await latestValueSchema(stream, sample, decoding, new RegistryClient(connection)).catch((error: unknown) => {
      throw registryProblem(error, connection.url);
    });
    if (!found) throw none(`no value sampled from topic ${stream.topic} names a registered schema`);
    // Through the decoder the workers use: the same schema (descriptors for Protobuf), imports and rules give the same columns.
    await decoding.decoder.prepare([found.latest.id]).catch((error: unknown) => {
      throw registryProblem(error, connection.url);
    });
    const columns = decoding.decoder.columnsOf(found.latest.id, found.indexes);
    if ("problem" in columns) throw none(`the latest schema of ${found.subject} gives no columns: ${columns.problem}`);
    const registered = { subject: found.subject, version: found.latest.version ?? 0, id: found.latest.id };
    return registeredParquetColumns(exporter.fields, columns.group.columns, registered);
  }

  /** Columns without the topic: those kept from the last definition, when its lines held what they hold now; else the settings'. */
  private async fallbackColumns(exporter: BatchExporterRecord, why: string): Promise<InferredSchema | WholeLines> {
    const kept = await this.deps.history?.lastColumns(exporter);
    if (kept && JSON.stringify(kept.fields) === JSON.stringify(exporter.fields)) return { ...kept.schema, fallback: { kind: "remembered", at: kept.at, why } };
    return settingsColumns(exporter.fields, why);
  }
}

function sourceOf(exporter: BatchExporterRecord, sink: SinkRecord, topic: string, history: StoredHistory | undefined): TableSource {
  const view = providerOf(sink).view(sink) as { accountName?: string };
  return {
    exporter: exporter.name,
    store: sink.type,
    bucket: sink.bucket,
    ...(exporter.pathPrefix ? { prefix: exporter.pathPrefix } : {}),
    topic,
    compression: eventFileKind(exporter),
    ...(exporter.pathTemplate ? { template: exporter.pathTemplate } : {}),
    fields: exporter.fields,
    createdAt: exporter.createdAt,
    ...(view.accountName ? { accountName: view.accountName } : {}),
    ...(history ? { earlier: history.earlier, currentFiles: history.currentFiles, forgottenFiles: history.forgotten } : {}),
  };
}

function checkEngine(raw: string): TableEngine {
  if (!(tableEngines as readonly string[]).includes(raw)) throw invalidInput(`Unknown engine ${JSON.stringify(raw)}: use ${tableEngines.join(", ")}.`);
  return raw as TableEngine;
}
