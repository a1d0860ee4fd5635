// The topic check: a sample of a stream's most recent records, read without committing anything,
// that says what the topic holds (codecs, kinds of value, tombstones, keys, headers, sizes) and
// shows what an exporter with given settings would write. Reading (`sampleTopic`) and judging
// (`judgeSample`, a pure function) are apart, so the judgement is tested on any sample.
import { isUtf8 } from "node:buffer";
import { randomUUID } from "node:crypto";
import kafkajs, { type Kafka } from "kafkajs";
import { StreamdropError } from "../errors.js";
import type { FileKind } from "../../../common/record-format.js";
import { batchFileKey, nextCut } from "../exporters/file-names.js";
import { isValueOnly, lineOf, lineRules, type LineFormat } from "../exporters/lines/line-format.js";
import type { WireDecoder } from "../exporters/lines/wire-decoding.js";
import { parseWire } from "../schemas/wire-format.js";
import { recordOf, type KafkaRecord } from "../exporters/lines/records.js";
import { codecNames, type CodecName } from "./codecs.js";
import { readOffsetRanges } from "./offset-ranges.js";
import type { Recommendation, SampledPartition, SampledSchema, TopicCheck, ValueKind } from "../../../common/topic-check.js";

export type { SampledPartition, TopicCheck, ValueKind };

export interface SampledRecord extends KafkaRecord {
  codec: CodecName;
}

export interface TopicSample {
  topic: string;
  partitions: SampledPartition[];
  /** retention.ms: null when infinite, undefined when the cluster would not say. */
  retentionMs?: number | null;
  /** Records appended over the last `recentWindowMs`, across partitions. */
  recent: { records: number; windowMs: number };
  records: SampledRecord[];
}

const recentWindowMs = 5 * 60_000;
const previewLines = 5;

/** Reads up to `perPartition` of the latest records of each readable partition; commits nothing. */
export async function sampleTopic(kafka: Kafka, topic: string, perPartition: number, timeoutMs = 20_000): Promise<TopicSample> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const metadata = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]?.partitions ?? [];
    const leaderless = metadata.filter((entry) => entry.leader < 0).map((entry) => entry.partitionId);
    let offsets: Awaited<ReturnType<typeof admin.fetchTopicOffsets>>;
    try {
      offsets = await admin.fetchTopicOffsets(topic);
    } catch (error) {
      // kafkajs asks every partition's leader at once, so one partition without a leader fails them all.
      if (leaderless.length === 0) throw error;
      throw new StreamdropError(
        "not-found",
        `Partition${leaderless.length > 1 ? "s" : ""} ${leaderless.join(", ")} of topic ${topic} ha${leaderless.length > 1 ? "ve" : "s"} no leader now (a broker is down, or the partition is offline), so Kafka gives no offsets for the topic and it cannot be checked. Try again once every partition has a leader.`,
      );
    }
    const partitions = metadata
      .map((entry) => {
        const range = offsets.find((offset) => offset.partition === entry.partitionId);
        return { partition: entry.partitionId, leader: entry.leader >= 0 ? entry.leader : null, low: Number(range?.low ?? 0), high: Number(range?.high ?? 0) };
      })
      .sort((a, b) => a.partition - b.partition);
    const since = await admin.fetchTopicOffsetsByTimestamp(topic, Date.now() - recentWindowMs).catch(() => undefined);
    const recentRecords = since
      ? partitions.reduce((total, p) => total + Math.max(0, p.high - Number(since.find((entry) => entry.partition === p.partition)?.offset ?? p.high)), 0)
      : 0;
    const retentionMs = await topicRetention(admin, topic);
    const records = await readLatest(kafka, topic, partitions, perPartition, timeoutMs);
    return { topic, partitions, ...(retentionMs !== undefined ? { retentionMs } : {}), recent: { records: recentRecords, windowMs: recentWindowMs }, records };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function topicRetention(admin: ReturnType<Kafka["admin"]>, topic: string): Promise<number | null | undefined> {
  try {
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: topic, configNames: ["retention.ms"] }],
    });
    const value = Number(described.resources[0]?.configEntries.find((entry) => entry.configName === "retention.ms")?.configValue);
    if (!Number.isFinite(value)) return undefined;
    return value < 0 ? null : value;
  } catch {
    return undefined;
  }
}

/** Reads each partition's last `perPartition` records (streams/offset-ranges.ts). */
async function readLatest(kafka: Kafka, topic: string, partitions: SampledPartition[], perPartition: number, timeoutMs: number): Promise<SampledRecord[]> {
  const spans = new Map(
    partitions
      .filter((p) => p.leader !== null && p.high > p.low)
      .map((p) => [p.partition, { first: Math.max(p.low, p.high - perPartition), last: p.high - 1 }]),
  );
  if (spans.size === 0) return [];
  const collected: SampledRecord[] = [];
  await readOffsetRanges(kafka, {
    topic,
    groupId: `streamdrop-topic-check.${randomUUID()}`,
    plan: async () => ({ spans, partitions: partitions.map((p) => p.partition) }),
    // A partition that stops short (records deleted meanwhile, aborted transactions at the end) must not hold the check up.
    timeoutMs,
    timedOut: () => undefined,
    eachBatch: (batch, resolveOffset) => {
      const span = spans.get(batch.partition)!;
      for (const message of batch.messages) {
        resolveOffset(message.offset);
        const offset = Number(message.offset);
        if (offset < span.first || offset > span.last) continue;
        const codec = codecNames[(message as { batchContext?: { compressionCodec?: number } }).batchContext?.compressionCodec ?? 0] ?? "none";
        collected.push({ ...recordOf(batch.partition, message), codec });
      }
    },
  });
  return collected.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
}

export function valueKind(value: Buffer | null): ValueKind {
  if (value === null) return "tombstone";
  // Confluent's wire format: magic byte 0, a 4-byte schema id, then Avro, Protobuf or JSON Schema data.
  if (value.length >= 5 && value[0] === 0) return "confluentWire";
  if (!isUtf8(value)) return "binary";
  const text = value.toString("utf8");
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? "jsonObject" : "otherJson";
  } catch {
    return "text";
  }
}

export interface PreviewPlace {
  prefix?: string;
  /** Checked (path-template.ts) before it gets here. */
  template?: string;
  /** The kind of file the events go to (its name's suffix): JSON Lines by compression, or Parquet. */
  compression?: FileKind;
  intervalSeconds: number;
  now: number;
}

/**
 * The stream's registry, for a sample judged with it: the decoder (its schemas prepared for the
 * sample) and what the registry says of each schema id the sample names.
 */
export interface SampleDecoding {
  decoder: WireDecoder;
  describe(id: number): Pick<SampledSchema, "type" | "subjects">;
}

/** What the sample says, and what an exporter with `format`, writing at `place`, would make of it (decoding when `decoding` is given). */
export function judgeSample(sample: TopicSample, format: LineFormat, place: PreviewPlace, decoding?: SampleDecoding): TopicCheck {
  const values: Record<ValueKind, number> = { jsonObject: 0, otherJson: 0, confluentWire: 0, text: 0, binary: 0, tombstone: 0 };
  const codecs: Partial<Record<CodecName, number>> = {};
  const headerKeys = new Set<string>();
  let withKey = 0;
  let withHeaders = 0;
  const sizes: number[] = [];
  const preview = { lines: [] as string[], events: 0, invalid: 0, skipped: 0 };
  const undecodable: string[] = [];
  for (const record of sample.records) {
    values[valueKind(record.value)] += 1;
    codecs[record.codec] = (codecs[record.codec] ?? 0) + 1;
    if (record.key !== null) withKey += 1;
    if (record.headers.length > 0) withHeaders += 1;
    for (const header of record.headers) headerKeys.add(header.key);
    if (record.value !== null) sizes.push(record.value.length);
    const line = lineOf(record, format, sample.topic, lineRules, decoding?.decoder);
    if (line.kind === "skipped") preview.skipped += 1;
    else if (line.kind === "invalid") {
      preview.invalid += 1;
      if (decoding && (parseWire(record.value) || parseWire(record.key)))
        undecodable.push((JSON.parse(line.line.toString("utf8")) as { reason: string }).reason);
    } else {
      preview.events += 1;
      if (preview.lines.length < previewLines) preview.lines.push(line.line.toString("utf8"));
    }
  }
  sizes.sort((a, b) => a - b);
  const next = nextCut(place.now, place.intervalSeconds);
  const nextKey = batchFileKey(
    {
      ...(place.prefix ? { prefix: place.prefix } : {}),
      ...(place.template ? { template: place.template } : {}),
      time: next,
      topic: sample.topic,
      partitions: sample.partitions.map((p) => p.partition),
      counter: 0,
    },
    "events",
    place.compression ?? "none",
  );
  return {
    topic: sample.topic,
    partitions: sample.partitions,
    ...(sample.retentionMs !== undefined ? { retentionMs: sample.retentionMs } : {}),
    eventsPerSecond: sample.recent.records / (sample.recent.windowMs / 1000),
    sampled: sample.records.length,
    codecs,
    values,
    withKey,
    withHeaders,
    headerKeys: [...headerKeys].sort().slice(0, 20),
    ...(sizes.length > 0 ? { valueBytes: { min: sizes[0]!, median: sizes[Math.floor(sizes.length / 2)]!, max: sizes.at(-1)! } } : {}),
    ...(decoding ? { schemas: sampledSchemas(sample, decoding) } : {}),
    preview: { format, nextKey, ...preview },
    recommendations: recommend(sample, format, { values, withKey, withHeaders, decoding: decoding !== undefined, undecodable }),
  };
}

/** Each schema id the sampled keys and values name, how often, and what the registry says of it. */
function sampledSchemas(sample: TopicSample, decoding: SampleDecoding): SampledSchema[] {
  const uses = new Map<number, { values: number; keys: number }>();
  const count = (bytes: Buffer | null, part: "values" | "keys") => {
    const wire = parseWire(bytes);
    if (!wire) return;
    const use = uses.get(wire.schemaId) ?? { values: 0, keys: 0 };
    use[part] += 1;
    uses.set(wire.schemaId, use);
  };
  for (const record of sample.records) {
    count(record.value, "values");
    count(record.key, "keys");
  }
  return [...uses].sort(([a], [b]) => a - b).map(([id, use]) => ({ id, ...decoding.describe(id), ...use }));
}

const percent = (part: number, whole: number) => `${Math.round((100 * part) / whole)}%`;

interface Findings {
  values: Record<ValueKind, number>;
  withKey: number;
  withHeaders: number;
  /** Whether the sample was judged with the stream's registry. */
  decoding: boolean;
  /** Why wire-format records that did not decode went to -invalid. */
  undecodable: string[];
}

function recommend(sample: TopicSample, format: LineFormat, { values, withKey, withHeaders, decoding, undecodable }: Findings): Recommendation[] {
  const advice: Recommendation[] = [];
  const total = sample.records.length;
  const leaderless = sample.partitions.filter((p) => p.leader === null).map((p) => p.partition);
  if (leaderless.length > 0) {
    advice.push({
      code: "no-leader",
      message: `Partition${leaderless.length > 1 ? "s" : ""} ${leaderless.join(", ")} ha${leaderless.length > 1 ? "ve" : "s"} no leader now, so ${leaderless.length > 1 ? "they" : "it"} could not be read: a broker is down or the partition is offline. The exporter waits for a leader; nothing there is lost.`,
    });
  }
  if (total === 0) {
    const readable = sample.partitions.some((p) => p.leader !== null);
    if (readable)
      advice.push({
        code: "empty-topic",
        message: `Topic ${sample.topic} holds no records${sample.partitions.some((p) => p.high > 0) ? " any more (all it had were deleted by retention or compaction)" : " yet"}. An exporter starts with the next record produced.`,
      });
    return advice;
  }
  const valueOnly = isValueOnly(format.fields);
  if (values.tombstone > 0 && format.tombstones === "invalid") {
    advice.push({
      code: "skip-tombstones",
      message: `${percent(values.tombstone, total)} of the sampled records are tombstones (deleted keys): skip them, rather than send them to the -invalid file?`,
      settings: { tombstones: "skip" },
    });
    if (!valueOnly)
      advice.push({
        code: "keep-tombstones",
        message: "Or keep them as lines with a null value, so a reader sees which keys were deleted.",
        settings: { tombstones: "keep" },
      });
  }
  if (values.confluentWire > 0 && !decoding) {
    advice.push({
      code: "no-registry",
      message: `${percent(values.confluentWire, total)} of the values are in Confluent's wire format (a schema id, then Avro, Protobuf or JSON Schema data): give the stream its Schema Registry, and they are decoded to JSON with their own schemas.`,
    });
    if (valueOnly)
      advice.push({
        code: "confluent-wire",
        message:
          "Without a registry they go to the -invalid file, base64. Or export them in an envelope with fields such as key,value to keep them as base64 values in the data files.",
        settings: { fields: ["key", "value"] },
      });
  }
  if (undecodable.length > 0) {
    advice.push({
      code: "undecodable",
      message: `${undecodable.length} of the sampled wire-format records do not decode (${[...new Set(undecodable)].slice(0, 3).join("; ")}): they will go to the -invalid file with their bytes and the reason.`,
    });
  }
  const notJson = values.text + values.binary + values.otherJson;
  if (notJson > 0 && valueOnly) {
    advice.push({
      code: "not-json",
      message: `${percent(notJson, total)} of the values are not JSON objects (text, binary or other JSON): with the value alone they go to the -invalid file. With fields such as key,value they are kept as JSON, strings or base64 in the data files.`,
      settings: { fields: ["key", "value"] },
    });
  }
  if (valueOnly && (withKey > 0 || withHeaders > 0)) {
    const have = [
      ...(withKey > 0 ? [`${percent(withKey, total)} have keys`] : []),
      ...(withHeaders > 0 ? [`${percent(withHeaders, total)} have headers`] : []),
    ].join(" and ");
    advice.push({
      code: "keys-or-headers",
      message: `Of the sampled records, ${have}, which the value alone leaves out. Add the fields partition, offset, timestamp, key${withHeaders > 0 ? ", headers" : ""} and value to keep them (and to deduplicate or order later).`,
      settings: { fields: ["partition", "offset", "timestamp", "key", ...(withHeaders > 0 ? (["headers"] as const) : []), "value"] },
    });
  }
  return advice;
}
