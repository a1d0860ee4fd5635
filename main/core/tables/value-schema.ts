// The registered schema of a stream's values, and its columns: for table definitions of streams
// with a Schema Registry. Loaded by table-service.ts when such a stream first asks, since reading
// Avro and Protobuf schemas takes avsc and protobufjs, which the engine otherwise never needs
// (docs/BENCHMARKS.md, "What the engine loads").
import type { RegisteredSchema, RegistryClient } from "../schemas/registry-client.js";
import { referencedSchemas } from "../schemas/schema-decoder.js";
import { messageIndexesOf, protobufMessage } from "../schemas/protobuf-json.js";
import { parseWire } from "../schemas/wire-format.js";
import type { StreamRecord } from "../config/schema.js";
import type { SampleDecoding, TopicSample } from "../streams/topic-check.js";
import { avroColumns, jsonSchemaColumns, protobufColumns } from "./registered-columns.js";
import type { Field } from "./schema.js";

/**
 * The registered schema the sampled values name: the subject most of them are registered under
 * (this topic's own first), at its latest version, with its imports; undefined when they name none.
 */
export async function latestValueSchema(stream: StreamRecord, sample: TopicSample, decoding: SampleDecoding, client: RegistryClient) {
  const counts = new Map<string, number>();
  for (const record of sample.records) {
    const id = parseWire(record.value)?.schemaId;
    if (id === undefined) continue;
    for (const { subject } of decoding.describe(id).subjects) counts.set(subject, (counts.get(subject) ?? 0) + 1);
  }
  const own = `${stream.topic}-value`;
  const subject = counts.has(own) ? own : [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (subject === undefined) return undefined;
  const latest = await client.version(subject, "latest");
  // Protobuf: the message the sampled values name (a file may hold several).
  const first = sample.records.map((record) => parseWire(record.value)).find((wire) => wire !== undefined);
  const indexes = latest.schemaType === "PROTOBUF" && first ? messageIndexesOf(first.payload) : [0];
  return { subject, latest, imports: await referencedSchemas(client, latest.references), indexes };
}

/** The columns of a registered schema's values, or undefined when they are not objects. */
export function columnsOf(schema: RegisteredSchema, imports: RegisteredSchema[], indexes: number[]): Field[] | undefined {
  const files = [...imports.map((file) => file.schema), schema.schema];
  switch (schema.schemaType) {
    case "AVRO":
      return avroColumns(schema.schema, files.slice(0, -1));
    case "PROTOBUF":
      return protobufColumns(protobufMessage(files, indexes));
    case "JSON":
      return jsonSchemaColumns(schema.schema);
  }
}
