// What the topic check says of a topic (main/core/streams/topic-check.ts reads a sample and judges
// it): its partitions, the codecs its record batches use, the kinds of value, keys and headers,
// what an exporter with given settings would write first, and advice. The CLI prints it, the
// wizard shows it.
import type { LineFormat } from "./record-format.js";

/** The codec names Kafka uses (`compression.type`), by the record batch's attribute bits. */
export const codecNames = ["none", "gzip", "snappy", "lz4", "zstd"] as const;
export type CodecName = (typeof codecNames)[number];

export interface SampledPartition {
  partition: number;
  /** null: the partition has no leader now, so it cannot be read. */
  leader: number | null;
  low: number;
  high: number;
}

export type ValueKind = "jsonObject" | "otherJson" | "confluentWire" | "text" | "binary" | "tombstone";

export interface Recommendation {
  /** A stable code each front end may word its own way; `message` is the core's wording (no command-line flags). */
  code: "empty-topic" | "no-leader" | "skip-tombstones" | "keep-tombstones" | "confluent-wire" | "no-registry" | "undecodable" | "not-json" | "keys-or-headers";
  message: string;
  /** Settings that would follow the advice, if any. */
  settings?: Partial<LineFormat>;
}

/** A schema the sampled keys and values name (Confluent's wire format), as the stream's registry describes it. */
export interface SampledSchema {
  id: number;
  /** The registry's schema type; "unknown" when it does not know the id. */
  type: "AVRO" | "PROTOBUF" | "JSON" | "unknown";
  /** Where the registry keeps it: each subject and version registered with this schema. */
  subjects: Array<{ subject: string; version: number }>;
  values: number;
  keys: number;
}

export interface TopicCheck {
  topic: string;
  partitions: SampledPartition[];
  retentionMs?: number | null;
  eventsPerSecond: number;
  sampled: number;
  codecs: Partial<Record<CodecName, number>>;
  values: Record<ValueKind, number>;
  withKey: number;
  withHeaders: number;
  headerKeys: string[];
  valueBytes?: { min: number; median: number; max: number };
  /** The schemas the sample's wire-format keys and values name, when the stream has a registry to ask. */
  schemas?: SampledSchema[];
  /** What an exporter with these settings would write first. */
  preview: { format: LineFormat; nextKey: string; lines: string[]; events: number; invalid: number; skipped: number };
  recommendations: Recommendation[];
}
