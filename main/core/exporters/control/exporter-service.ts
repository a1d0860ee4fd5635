// Batch exporters: stream -> sink. Each has a stable id from creation; its consumer group derives
// from the id, never from the name, so two users' `s3-demo` exporters never share partitions.
import { logValidation, validationScope } from "../validation-scope.js";
import type { ExportLog } from "../export-log.js";
import type { ValidationResult } from "../../stores/validation.js";
import { decodings, fileKindFormats, type Decoding, type FileKind } from "../../../../common/record-format.js";
import { columnsText, type Column, type ColumnsChoice } from "../../../../common/table-columns.js";
import { proposeColumns } from "../parquet/propose-columns.js";
import {
  checkColumnsChoice,
  checkCompression,
  checkFileFormat,
  checkFileSettings,
  checkParquetCompression,
  fileKindsOf,
  takesRegistryColumns,
} from "../parquet/parquet-settings.js";
import { randomUUID } from "node:crypto";
import { bytesPerMiB, exporterLimits, isWithin, sampleDefaults, type WholeRange } from "../../../../common/exporter-settings.js";
import { checkPathTemplate } from "../../../../common/path-template.js";
import type { ChangeEffect } from "../../../../common/change-effects.js";
import type { BatchExporterRecord, SinkRecord, StreamRecord } from "../../config/schema.js";
import type { ConfigStore } from "../../config/store.js";
import type { Setting } from "../../../../common/fixes.js";
import { badSetting, invalidInput, StreamdropError } from "../../errors.js";
import type { Logger } from "../../log.js";
import { checkName } from "../../names.js";
import { isWithinPrefix, normalizePrefix } from "../../sinks/path-prefix.js";
import type { SinkService } from "../../sinks/sink-service.js";
import { kafkaClient } from "../../streams/kafka-client.js";
import { requireTopic, withAdmin, type StreamService } from "../../streams/stream-service.js";
import { judgeSample, sampleTopic, type SampleDecoding, type TopicCheck, type TopicSample } from "../../streams/topic-check.js";
import type { SampledSchema } from "../../../../common/topic-check.js";
import { RegistryClient, RegistryError } from "../../schemas/registry-client.js";
import { registryProblem } from "../../schemas/registry-settings.js";
import { parseWire } from "../../schemas/wire-format.js";
import { decodingOf } from "../file-shape.js";
import { maxPartitionsPerFile } from "../commit/file-intents.js";
import { checkNamesFree, nameSpaceOf, type NameSpace } from "./shared-names.js";
import { longestKeyBytes, maxObjectKeyBytes } from "../file-names.js";
import { defaultLineFormat, lineFormat, lineFormatWarnings, lineOf, lineRules } from "../lines/line-format.js";

export interface ExporterInput {
  streamName: string;
  sinkName: string;
  name?: string;
  intervalSeconds?: number;
  pathPrefix?: string;
  includeExistingEvents?: boolean;
  maxBatchMb?: number;
  workers?: number;
  /** Record fields in each line, in order (default: the value alone); checked by line-format.ts. */
  fields?: string[];
  tombstones?: string;
  /** jsonl (default) or parquet. */
  format?: string;
  /** JSON Lines: none (default), gzip or zstd; Parquet: zstd (default), snappy, gzip or none. */
  compression?: string;
  /** A Parquet exporter's columns as text (`id int64, name string`); absent: proposed from the topic's latest events. */
  columns?: string;
  /** Folders between the prefix and the file names, such as dt={date}/hour={hour}; checked by path-template.ts. */
  pathTemplate?: string;
  /** registry (the default on a stream with a Schema Registry) or none: see decodingOf. */
  decode?: string;
}

/** What the topic check reads, and the settings whose output it shows (as `create` would take them). */
export interface InspectInput {
  streamName: string;
  /** Records per partition, within `exporterLimits.sample` (default `sampleDefaults.topicCheck`). */
  sample?: number;
  sinkName?: string;
  pathPrefix?: string;
  intervalSeconds?: number;
  fields?: string[];
  tombstones?: string;
  pathTemplate?: string;
  /** jsonl (default) or parquet: the previewed file's name follows it. */
  format?: string;
  compression?: string;
  decode?: string;
}

/** What may change of an exporter after it is made; its stream, sink and name stay. */
export interface ExporterChanges {
  intervalSeconds?: number;
  /** "" goes back to the sink's prefix. */
  pathPrefix?: string;
  fields?: string[];
  tombstones?: string;
  workers?: number;
  maxBatchMb?: number;
  format?: string;
  compression?: string;
  /** A Parquet exporter's columns as text: a new version when they differ from the latest. */
  columns?: string;
  /** "" removes the folders. */
  pathTemplate?: string;
  decode?: string;
}

/** With 16 MiB batches a worker draining a backlog peaks at about 107 MiB of RSS at 1M events and 108 MiB at 5M (docs/BENCHMARKS.md, "Memory against backlog"; an lz4 or zstd topic about 150). */
export const exporterDefaults = {
  intervalSeconds: exporterLimits.intervalSeconds.default,
  maxBatchMb: exporterLimits.maxBatchMb.default,
  workers: exporterLimits.workers.default,
} as const;

export const consumerGroupId = (exporter: Pick<BatchExporterRecord, "id">) => `streamdrop-${exporter.id}`;

export interface ExporterServiceDeps {
  config: ConfigStore;
  sinks: SinkService;
  streams: StreamService;
  log: Logger;
  /** Where a validation file a save writes is recorded, so the workers' start writes no second one. */
  exportLog?: ExportLog;
}

export class ExporterService {
  constructor(private readonly deps: ExporterServiceDeps) {}

  async create(input: ExporterInput): Promise<BatchExporterRecord> {
    const stream = await this.deps.streams.get(input.streamName);
    const sink = await this.deps.sinks.get(input.sinkName);
    const name = checkName("batch exporter", input.name ?? `${sink.name}-${stream.name}`);
    const intervalSeconds = wholeNumber("interval", "The interval", input.intervalSeconds ?? exporterDefaults.intervalSeconds, exporterLimits.intervalSeconds);
    const maxBatchMb = wholeNumber("max-batch", "The batch size", input.maxBatchMb ?? exporterDefaults.maxBatchMb, exporterLimits.maxBatchMb);
    const workers = wholeNumber("workers", "The number of workers", input.workers ?? exporterDefaults.workers, exporterLimits.workers);
    const format = lineFormat(input.fields, input.tombstones);
    const files = checkFileSettings(input.format, input.compression);
    const { compression, parquet } = files;
    const pathTemplate = checkTemplate(input.pathTemplate);
    const decode = checkDecoding(input.decode, stream);
    if (!parquet && input.columns !== undefined)
      throw badSetting("file-format", "Columns are for Parquet files: choose the Parquet format to give them, or leave the columns out for JSON Lines.");
    const decoding = decodingOf({ decode }, stream);
    const choice = parquet
      ? checkRegistryChoice(
          input.columns !== undefined
            ? checkColumnsChoice(input.columns)
            : await this.proposeColumns(stream, decoding, sampleDefaults.topicCheck, { fromEvents: !format.fields.includes("value") }),
          decoding,
          format.fields,
        )
      : undefined;
    const columns = choice && "columns" in choice ? choice.columns : undefined;
    const pathPrefix = normalizePrefix(input.pathPrefix) ?? sink.pathPrefix;
    if (!isWithinPrefix(pathPrefix, sink.pathPrefix)) {
      throw invalidInput(
        `Path prefix ${JSON.stringify(pathPrefix ?? "")} is outside sink ${sink.name}'s prefix ${JSON.stringify(sink.pathPrefix)}, where its credentials may write. Use ${sink.pathPrefix} or a prefix below it.`,
      );
    }
    if ((await this.list()).some((exporter) => exporter.name === name)) {
      throw new StreamdropError("conflict", `A batch exporter named ${name} already exists. Choose another name.`, {
        fixes: [{ id: "set", setting: "exporter-name" }],
      });
    }
    await this.checkNamesFree(undefined, nameSpaceOf({ pathPrefix, pathTemplate }, stream, sink));
    await this.checkKeyLength(stream, {
      prefix: pathPrefix,
      template: pathTemplate,
      compression,
      hidden: parquet !== undefined,
      schemaGroups: choice !== undefined && "from" in choice,
    });
    // The exporter's prefix may differ from the sink's: prove the credentials can write there.
    const validation = await this.validateKinds(sink, pathPrefix, fileKindsOf(files));

    const createdAt = new Date().toISOString();
    const record: BatchExporterRecord = {
      id: randomUUID(),
      name,
      streamName: stream.name,
      sinkName: sink.name,
      intervalSeconds,
      ...(pathPrefix ? { pathPrefix } : {}),
      includeExistingEvents: input.includeExistingEvents ?? false,
      workers,
      maxBatchBytes: maxBatchMb * bytesPerMiB,
      fields: format.fields,
      tombstones: format.tombstones,
      ...files,
      ...(files.parquet && choice && "from" in choice ? { parquet: { ...files.parquet, columnsFrom: "registry" as const } } : {}),
      ...(columns ? { columns: [{ version: 1, columns, createdAt }] } : {}),
      ...(pathTemplate ? { pathTemplate } : {}),
      ...decodeSetting(decode),
      paused: false,
      createdAt,
    };
    if (!record.includeExistingEvents) await this.deps.streams.startGroupAtEnd(stream, consumerGroupId(record));
    await this.deps.config.update((config) => {
      if (config.batchExporters.some((exporter) => exporter.name === name))
        throw new StreamdropError("conflict", `A batch exporter named ${name} already exists.`);
      config.batchExporters.push(record);
    });
    await this.logValidation(record, sink, validation);
    this.deps.log.info({ exporter: name, stream: stream.name, sink: sink.name, id: record.id }, "batch exporter created");
    return record;
  }

  /** Samples the stream's latest records (committing nothing) and shows what an exporter with these settings would write. */
  async inspect(input: InspectInput): Promise<TopicCheck> {
    const stream = await this.deps.streams.get(input.streamName);
    const sink = input.sinkName ? await this.deps.sinks.get(input.sinkName) : undefined;
    const format = lineFormat(input.fields, input.tombstones);
    const perPartition = wholeNumber("sample", "The sample", input.sample ?? sampleDefaults.topicCheck, exporterLimits.sample);
    const intervalSeconds = wholeNumber("interval", "The interval", input.intervalSeconds ?? exporterDefaults.intervalSeconds, exporterLimits.intervalSeconds);
    const prefix = normalizePrefix(input.pathPrefix) ?? sink?.pathPrefix;
    const template = checkTemplate(input.pathTemplate);
    // The next file is named as the exporter's events would be (a Parquet file's codec is inside it).
    const [compression] = fileKindsOf(checkFileSettings(input.format, input.compression));
    const decode = decodingOf({ decode: checkDecoding(input.decode, stream) }, stream);
    const sample = await this.sample(stream, perPartition);
    const place = { ...(prefix ? { prefix } : {}), ...(template ? { template } : {}), compression, intervalSeconds, now: Date.now() };
    return judgeSample(sample, format, place, decode === "registry" ? await this.sampleDecoding(stream, sample) : undefined);
  }

  /** The stream's registry, asked for every schema the sample names: ready to decode it and to describe them. */
  async sampleDecoding(stream: StreamRecord, sample: TopicSample): Promise<SampleDecoding> {
    const connection = (await this.deps.streams.registry(stream))!;
    const client = new RegistryClient(connection);
    // The decoder, and avsc and protobufjs with it, load with the first stream that decodes: the engine need not hold them.
    const { SchemaDecoder } = await import("../../schemas/schema-decoder.js");
    const decoder = new SchemaDecoder(client);
    const ids = [...new Set(sample.records.flatMap((record) => [parseWire(record.value)?.schemaId, parseWire(record.key)?.schemaId]))].filter(
      (id): id is number => id !== undefined,
    );
    const described = new Map<number, Pick<SampledSchema, "type" | "subjects">>();
    try {
      await decoder.prepare(ids);
      for (const id of ids) {
        const schema = await client.schema(id).catch((error: unknown) => {
          if (error instanceof RegistryError && error.failure === "unknown") return undefined;
          throw error;
        });
        described.set(id, { type: schema?.schemaType ?? "unknown", subjects: schema ? await client.subjectsOf(id) : [] });
      }
    } catch (error) {
      throw registryProblem(error, connection.url);
    }
    return { decoder, describe: (id) => described.get(id)! };
  }

  /**
   * Columns for a Parquet exporter, proposed from the stream's latest events (decoded when
   * `decode` says so): a person reviews them. When its values are decoded, and those sampled are
   * in the registry's wire format (or there are none yet), each value's writer schema's columns.
   * Refused when no sampled record is a JSON object.
   */
  async proposeColumns(stream: StreamRecord, decode: Decoding, perPartition: number, { fromEvents = false } = {}): Promise<ColumnsChoice> {
    const sample = await this.sample(stream, perPartition);
    const decoder = decode === "registry" ? (await this.sampleDecoding(stream, sample)).decoder : undefined;
    const values = sample.records.filter((record) => record.value !== null);
    if (decoder && !fromEvents && values.filter((record) => parseWire(record.value) !== undefined).length * 2 >= values.length) return { from: "registry" };
    const events = sample.records.flatMap((record) => {
      const line = lineOf(record, defaultLineFormat, stream.topic, lineRules, decoder);
      return line.kind === "event" ? [JSON.parse(line.line.toString("utf8")) as Record<string, unknown>] : [];
    });
    const columns = proposeColumns(events);
    if (columns.length === 0)
      throw badSetting(
        "columns",
        `Topic ${stream.topic} has no events to propose columns from (${sample.records.length} records sampled, none a JSON object). Give the columns, such as: id int64, at timestamp(micros), name string.`,
      );
    return { columns };
  }

  /** The stream's latest records, `perPartition` of each partition's, committing nothing. */
  async sample(stream: StreamRecord, perPartition: number): Promise<TopicSample> {
    const connection = await this.deps.streams.connection(stream);
    // Through withAdmin first: an unreachable cluster or refused credentials get its clear messages.
    await withAdmin(connection, (admin) => requireTopic(admin, stream));
    return sampleTopic(kafkaClient(connection, "streamdrop-topic-check"), stream.topic, perPartition);
  }

  async list(): Promise<BatchExporterRecord[]> {
    return (await this.deps.config.read()).batchExporters;
  }

  async get(name: string): Promise<BatchExporterRecord> {
    const exporter = (await this.list()).find((candidate) => candidate.name === name);
    if (!exporter) throw notFound(name);
    return exporter;
  }

  /** Deletes several at once; refuses all if any name is unknown, so nothing half-happens. */
  async delete(names: string[]): Promise<BatchExporterRecord[]> {
    const deleted = await this.deps.config.update((config) => {
      const missing = names.filter((name) => !config.batchExporters.some((exporter) => exporter.name === name));
      if (missing.length > 0) throw notFound(missing.join(", "));
      const gone = config.batchExporters.filter((exporter) => names.includes(exporter.name));
      config.batchExporters = config.batchExporters.filter((exporter) => !names.includes(exporter.name));
      return gone;
    });
    this.deps.log.info({ exporters: names }, "batch exporters deleted");
    return deleted;
  }

  /**
   * What these changes would do, and the record they would make, checked as `create` checks; the
   * front ends show the effects before the person saves. Nothing is written.
   */
  async planUpdate(name: string, changes: ExporterChanges): Promise<{ before: BatchExporterRecord; after: BatchExporterRecord; effects: ChangeEffect[] }> {
    const before = await this.get(name);
    const sink = await this.deps.sinks.get(before.sinkName);
    const stream = await this.deps.streams.get(before.streamName);
    const format = lineFormat(changes.fields ?? before.fields, changes.tombstones ?? before.tombstones);
    const pathPrefix = changes.pathPrefix === undefined ? before.pathPrefix : (normalizePrefix(changes.pathPrefix) ?? sink.pathPrefix);
    if (!isWithinPrefix(pathPrefix, sink.pathPrefix)) {
      throw badSetting(
        "path-prefix",
        `Path prefix ${JSON.stringify(pathPrefix ?? "")} is outside sink ${sink.name}'s prefix ${JSON.stringify(sink.pathPrefix)}, where its credentials may write. Use ${sink.pathPrefix} or a prefix below it.`,
      );
    }
    const after: BatchExporterRecord = {
      ...before,
      intervalSeconds: wholeNumber("interval", "The interval", changes.intervalSeconds ?? before.intervalSeconds, exporterLimits.intervalSeconds),
      workers: wholeNumber("workers", "The number of workers", changes.workers ?? before.workers, exporterLimits.workers),
      maxBatchBytes:
        wholeNumber("max-batch", "The batch size", changes.maxBatchMb ?? before.maxBatchBytes / bytesPerMiB, exporterLimits.maxBatchMb) * bytesPerMiB,
      fields: format.fields,
      tombstones: format.tombstones,
    };
    // The file settings replace the ones before whole: a switch back to JSON Lines leaves no `parquet` behind.
    delete after.parquet;
    Object.assign(after, await this.fileSettingsAfter(before, changes, stream));
    delete after.pathPrefix;
    if (pathPrefix) after.pathPrefix = pathPrefix;
    const pathTemplate = changes.pathTemplate === undefined ? before.pathTemplate : checkTemplate(changes.pathTemplate);
    delete after.pathTemplate;
    if (pathTemplate) after.pathTemplate = pathTemplate;
    if (changes.decode !== undefined) {
      delete after.decode;
      Object.assign(after, decodeSetting(checkDecoding(changes.decode, stream)));
    }
    if (pathPrefix !== before.pathPrefix || pathTemplate !== before.pathTemplate) await this.checkNamesFree(before.id, nameSpaceOf(after, stream, sink));
    const groupsChanged = takesRegistryColumns(after) !== takesRegistryColumns(before);
    if (pathPrefix !== before.pathPrefix || kindsChanged(before, after) || pathTemplate !== before.pathTemplate || groupsChanged) {
      await this.checkKeyLength(stream, {
        prefix: pathPrefix,
        template: pathTemplate,
        compression: after.compression,
        hidden: after.parquet !== undefined,
        schemaGroups: takesRegistryColumns(after),
      });
    }
    return { before, after, effects: changeEffects(before, after, sink) };
  }

  /**
   * The format, compression and columns after `changes`. Columns that differ from the latest are a
   * new version (versions are never changed: a pending file names its own); a switch to Parquet
   * without columns proposes them from the topic's latest events.
   */
  private async fileSettingsAfter(
    before: BatchExporterRecord,
    changes: ExporterChanges,
    stream: StreamRecord,
  ): Promise<Pick<BatchExporterRecord, "compression" | "parquet" | "columns">> {
    const format = changes.format === undefined ? (before.parquet ? "parquet" : "jsonl") : checkFileFormat(changes.format);
    const decoding = decodingOf(changes.decode !== undefined ? { decode: checkDecoding(changes.decode, stream) } : before, stream);
    const fields = changes.fields ?? before.fields;
    const versions = [...(before.columns ?? [])];
    const given = changes.columns === undefined ? undefined : checkColumnsChoice(changes.columns);
    const addVersion = (columns: Column[]) => versions.push({ version: versions.length + 1, columns, createdAt: new Date().toISOString() });
    if (given && "columns" in given && columnsText(given.columns) !== columnsText(versions.at(-1)?.columns ?? [])) addVersion(given.columns);
    const kept = (versions.length > 0 ? { columns: versions } : {}) as Pick<BatchExporterRecord, "columns">;
    if (format === "jsonl") {
      if (given && "from" in given)
        throw badSetting("file-format", "Columns are for Parquet files: choose the Parquet format to take each event's registered schema's.");
      return { compression: changes.compression !== undefined ? checkCompression(changes.compression) : before.parquet ? "none" : before.compression, ...kept };
    }
    // Each writer schema's columns: as given, else as they were (or proposed for a switch to Parquet with no columns kept);
    // checked whether given or kept, since a change of decoding or fields can leave them nothing to come from.
    let choice: ColumnsChoice | undefined = given ?? (takesRegistryColumns(before) ? { from: "registry" } : undefined);
    if (!choice && versions.length === 0)
      choice = await this.proposeColumns(stream, decoding, sampleDefaults.topicCheck, { fromEvents: !fields.includes("value") });
    if (choice) checkRegistryChoice(choice, decoding, fields);
    if (choice && "columns" in choice && versions.length === 0) addVersion(choice.columns);
    const compression = changes.compression !== undefined ? checkParquetCompression(changes.compression) : (before.parquet?.compression ?? "zstd");
    return {
      compression: before.parquet ? before.compression : "none",
      parquet: { compression, ...(choice && "from" in choice ? { columnsFrom: "registry" as const } : {}) },
      ...(versions.length > 0 ? { columns: versions } : {}),
    };
  }

  /** Saves the changes `planUpdate` showed; a new prefix is proven writable first. The engine restarts the workers with them. */
  async update(name: string, changes: ExporterChanges): Promise<BatchExporterRecord> {
    const { before, after } = await this.planUpdate(name, changes);
    // A new prefix or a new suffix may need a permission the key lacks: proven before it is saved.
    const sink = await this.deps.sinks.get(before.sinkName);
    const validation =
      after.pathPrefix !== before.pathPrefix || kindsChanged(before, after) ? await this.validateKinds(sink, after.pathPrefix, fileKindsOf(after)) : undefined;
    const saved = await this.deps.config.update((config) => {
      const index = config.batchExporters.findIndex((candidate) => candidate.id === before.id);
      if (index < 0) throw notFound(name);
      // The pause flag is the one thing that may have changed meanwhile (the tray): keep it.
      const record = { ...after, paused: config.batchExporters[index]!.paused };
      config.batchExporters[index] = record;
      return record;
    });
    if (validation) await this.logValidation(saved, sink, validation);
    this.deps.log.info({ exporter: name, changes: Object.keys(changes) }, "batch exporter changed");
    return saved;
  }

  /**
   * Proves the credentials may write every kind of file the exporter writes (a Parquet exporter's
   * `-invalid` parts are JSON Lines), one validation file each; the first is the one logged.
   */
  private async validateKinds(sink: SinkRecord, pathPrefix: string | undefined, kinds: readonly FileKind[]): Promise<ValidationResult> {
    const [first, ...rest] = kinds;
    const validation = await this.deps.sinks.validateAt(sink, pathPrefix, first);
    for (const kind of rest) await this.deps.sinks.validateAt(sink, pathPrefix, kind);
    return validation;
  }

  /** Records a save's validation file in the export log; a log that cannot take it only means the workers write another. */
  private async logValidation(exporter: BatchExporterRecord, sink: SinkRecord, validation: ValidationResult): Promise<void> {
    if (!this.deps.exportLog) return;
    await logValidation(this.deps.exportLog, exporter, validation, validationScope(sink, exporter), new Date()).catch((error: unknown) =>
      this.deps.log.warn({ exporter: exporter.name, error: (error as Error).message }, "cannot record the validation file in the export log"),
    );
  }

  /** Refuses folders where another exporter (not `self`) writes files of the same names (shared-names.ts). */
  private async checkNamesFree(self: string | undefined, candidate: NameSpace): Promise<void> {
    const config = await this.deps.config.read();
    const others = config.batchExporters.flatMap((exporter) => {
      const stream = config.streams.find((candidate) => candidate.name === exporter.streamName);
      const sink = config.sinks.find((candidate) => candidate.name === exporter.sinkName);
      return exporter.id !== self && stream && sink ? [{ name: exporter.name, space: nameSpaceOf(exporter, stream, sink) }] : [];
    });
    checkNamesFree(candidate, others);
  }

  /** Refuses settings whose longest file name would pass S3's 1024-byte key limit. */
  private async checkKeyLength(
    stream: StreamRecord,
    settings: { prefix: string | undefined; template: string | undefined; compression: FileKind; hidden: boolean; schemaGroups: boolean },
  ): Promise<void> {
    const partitionCount = await this.deps.streams.partitionCount(stream);
    const longest = longestKeyBytes({ ...settings, topic: stream.topic, partitionCount, maxPartitionsPerFile });
    if (longest <= maxObjectKeyBytes) return;
    const what = settings.template
      ? `path prefix ${JSON.stringify(settings.prefix ?? "")}, path template ${JSON.stringify(settings.template)}`
      : `path prefix ${JSON.stringify(settings.prefix ?? "")}`;
    throw badSetting(
      settings.template ? "path-template" : "path-prefix",
      `With ${what} and topic ${stream.topic} (${partitionCount} partitions), file names could reach ${longest} bytes; S3 keys are at most ${maxObjectKeyBytes}. Use a shorter ${settings.template ? "template or prefix" : "prefix"}.`,
    );
  }

  /** Changes how many workers (Kafka consumers of its group) run the exporter on this host. */
  async setWorkers(name: string, workers: number): Promise<BatchExporterRecord> {
    const count = wholeNumber("workers", "The number of workers", workers, exporterLimits.workers);
    const updated = await this.deps.config.update((config) => {
      const exporter = config.batchExporters.find((candidate) => candidate.name === name);
      if (!exporter) throw notFound(name);
      exporter.workers = count;
      return { ...exporter };
    });
    this.deps.log.info({ exporter: name, workers: count }, "batch exporter workers changed");
    return updated;
  }

  async setPaused(name: string, paused: boolean): Promise<BatchExporterRecord> {
    const updated = await this.deps.config.update((config) => {
      const exporter = config.batchExporters.find((candidate) => candidate.name === name);
      if (!exporter) throw notFound(name);
      exporter.paused = paused;
      return { ...exporter };
    });
    this.deps.log.info({ exporter: name }, paused ? "batch exporter paused" : "batch exporter resumed");
    return updated;
  }
}

function changeEffects(before: BatchExporterRecord, after: BatchExporterRecord, sink: SinkRecord): ChangeEffect[] {
  const effects: ChangeEffect[] = [];
  const sinkPrefix = sink.pathPrefix;
  // A save is all or nothing: said before it starts, with the policy update the app can make itself first.
  const allOrNothing = "If they are not, nothing of this save is kept, the other changes included.";
  const ownUser = "iamUser" in sink && sink.iamUser ? sink.iamUser : undefined;
  const kind = fileKindsOf(after)[0]!;
  const policyFix = (compression?: FileKind): Pick<ChangeEffect, "fixes"> =>
    ownUser ? { fixes: [{ id: "update-policy", sink: sink.name, ...(compression && compression !== "none" ? { compression } : {}) }] } : {};
  const where = (prefix: string | undefined) => (prefix ? `${prefix}/` : "the bucket's root");
  if (after.pathPrefix !== before.pathPrefix) {
    effects.push({
      code: "file-names",
      message: `New files go under ${where(after.pathPrefix)} instead of ${where(before.pathPrefix)}. Files already written stay where they are, so anything that reads them (tables, jobs) must look in both places.`,
    });
    effects.push({
      code: "policy",
      message: `The sink's credentials must be allowed to write under ${where(after.pathPrefix)}; they are if their policy covers the sink's prefix ${where(sinkPrefix)}. Streamdrop writes a validation file there before it saves. ${allOrNothing}`,
      ...policyFix(kind),
    });
  }
  if (kindsChanged(before, after)) {
    const [was, now] = [fileKindFormats[fileKindsOf(before)[0]!].suffix, fileKindFormats[kind].suffix];
    effects.push({
      code: "file-names",
      message: `New files end in ${now} instead of ${was}; files already written keep their names. Anything that reads them (tables, jobs) must read both kinds.`,
    });
    effects.push({
      code: "policy",
      message: `The sink's credentials must be allowed to write files named *${now} under ${where(after.pathPrefix)} (on AWS, s3:PutObject on that pattern). Streamdrop writes a validation file ending in ${now} there before it saves. ${allOrNothing}`,
      ...policyFix(kind),
    });
  }
  if (JSON.stringify(after.parquet) !== JSON.stringify(before.parquet) && after.parquet && before.parquet)
    effects.push({
      code: "line-format",
      message: `New Parquet files are compressed with ${after.parquet.compression} instead of ${before.parquet.compression}.`,
    });
  const fromRegistry = takesRegistryColumns;
  if (after.parquet && fromRegistry(after) && !fromRegistry(before))
    effects.push({
      code: "line-format",
      message:
        "New Parquet files take the columns of each event's registered schema: a file per schema in each cut. Events whose values are not in the registry's wire format go to the -invalid file with the reason.",
    });
  else if (after.parquet && !fromRegistry(after) && after.columns && (after.columns.length !== (before.columns?.length ?? 0) || fromRegistry(before))) {
    const latest = after.columns.at(-1)!;
    effects.push({
      code: "line-format",
      message: `New Parquet files take the columns of version ${latest.version}: ${columnsText(latest.columns)}. Files already written keep their version's columns; events that do not fit the new columns go to the -invalid file with the reason.`,
    });
  }
  if (after.pathTemplate !== before.pathTemplate) {
    const folders = (template: string | undefined) => (template ? `folders ${template}/` : "no folders");
    effects.push({
      code: "file-names",
      message: `New files go in ${folders(after.pathTemplate)} under ${where(after.pathPrefix)} instead of ${folders(before.pathTemplate)}. Files already written stay where they are, so tables over them must be defined again (their partitions follow the folders).`,
    });
  }
  if (after.intervalSeconds !== before.intervalSeconds) {
    effects.push({
      code: "file-names",
      message: `Files are cut every ${after.intervalSeconds} s instead of every ${before.intervalSeconds} s: the time in new file names moves in steps of ${after.intervalSeconds} s.`,
    });
  }
  if (JSON.stringify(after.fields) !== JSON.stringify(before.fields) || after.tombstones !== before.tombstones || after.decode !== before.decode) {
    effects.push({
      code: "line-format",
      message: "Lines in new files take the new shape; files already written keep the old one. Readers of the files must expect both.",
    });
  }
  // Said when the fields are chosen, not again at each later change of other settings.
  if (JSON.stringify(after.fields) !== JSON.stringify(before.fields)) effects.push(...lineFormatWarnings(after.fields));
  const changed = (
    [
      "intervalSeconds",
      "pathPrefix",
      "fields",
      "tombstones",
      "workers",
      "maxBatchBytes",
      "compression",
      "parquet",
      "columns",
      "pathTemplate",
      "decode",
    ] as const
  ).some((key) => JSON.stringify(after[key]) !== JSON.stringify(before[key]));
  if (changed)
    effects.push({
      code: "restart",
      message:
        "Its workers restart with the new settings; a file being stored as it is saved keeps the settings it was planned with, and events not yet in a file are read again, so nothing is lost or doubled.",
    });
  return effects;
}

/** Whether new files are of another kind (another suffix): their permission is proven before the change is saved. */
const kindsChanged = (before: BatchExporterRecord, after: BatchExporterRecord) => JSON.stringify(fileKindsOf(before)) !== JSON.stringify(fileKindsOf(after));

const notFound = (name: string) =>
  new StreamdropError("not-found", `There is no batch exporter named ${name}.`, { fixes: [{ id: "list", what: "batch-exporters" }] });

/** Checks a setting against its limits (common/exporter-settings.ts), named in the message as `what`. */
export function wholeNumber(setting: Setting, what: string, value: number, range: WholeRange): number {
  if (!isWithin(range, value)) throw badSetting(setting, `${what} must be a whole number of ${range.unit} from ${range.min} to ${range.max} (got ${value}).`);
  return value;
}

/** "" and undefined: no folders. */
function checkTemplate(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === "") return undefined;
  const checked = checkPathTemplate(raw);
  if (!checked.ok) throw badSetting("path-template", checked.problem);
  return raw;
}

/** undefined: the default (decode when the stream names a registry). Decoding needs a registry to decode with. */
function checkDecoding(raw: string | undefined, stream: StreamRecord): Decoding | undefined {
  if (raw === undefined) return undefined;
  if (!(decodings as readonly string[]).includes(raw))
    throw badSetting("decode", `Unknown decoding ${JSON.stringify(raw)}: use registry (decode with the stream's Schema Registry) or none (keep the bytes).`);
  if (raw === "registry" && !stream.schemaRegistry)
    throw badSetting("schema-registry", `Stream ${stream.name} names no Schema Registry to decode with. Give the stream its registry, or keep the bytes.`);
  return raw as Decoding;
}

/** Only `none` is kept: decoding is the default wherever the stream names a registry (decodingOf). */
const decodeSetting = (decode: Decoding | undefined) => (decode === "none" ? { decode } : {});

/** Each writer schema's columns are its values': they need the values in the lines, decoded with the stream's registry. */
function checkRegistryChoice(choice: ColumnsChoice, decoding: Decoding, fields: readonly string[]): ColumnsChoice {
  if (!("from" in choice)) return choice;
  if (decoding !== "registry")
    throw badSetting(
      "columns",
      "Columns from each event's registered schema need its values decoded with the stream's Schema Registry: keep decoding on (with the stream's registry), or give the exporter columns of its own.",
    );
  if (!fields.includes("value"))
    throw badSetting(
      "columns",
      "Columns from each event's registered schema are its value's: add value to the fields, or give the exporter columns of its own.",
    );
  return choice;
}
