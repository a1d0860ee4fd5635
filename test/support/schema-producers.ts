// A producer written by others, with Schema Registry serializers: PyPI's confluent-kafka (librdkafka
// inside) in a venv kept in the cache outside the clone (schema-producers/produce.py). Tests decode
// what it writes, so our decoding is proven against a real encoder, not our own.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { venvPython } from "./python-venv.js";

export const confluentKafkaVersion = "2.16.1";
/** Its Avro, JSON Schema and Protobuf serializers; grpcio-tools' protoc compiles the .proto files, and protobuf is pinned to a runtime its generated code accepts. */
const requirements = [`confluent-kafka[avro,json,protobuf,schemaregistry]==${confluentKafkaVersion}`, "grpcio-tools==1.85.4", "protobuf==7.36.2"];
const script = join(dirname(fileURLToPath(import.meta.url)), "schema-producers", "produce.py");
const python = () => venvPython("schema-producers", requirements);

/** Where a record landed. */
export interface ProducedRecord {
  partition: number;
  offset: number;
}

interface ProduceSpec {
  brokers: string;
  /** Confluent's API, e.g. Apicurio's `<base>/apis/ccompat/v7`. */
  registry: string;
  topic: string;
}

export interface AvroProduceSpec extends ProduceSpec {
  schema: unknown;
  keySchema?: unknown;
  /** Named types the value's schema uses from other subjects: registered first, then referenced. */
  references?: Array<{ name: string; subject: string; schema: unknown }>;
  /** Values may hold tagged scalars for logical types: {"$decimal": "12.30"}, {"$timestamp": "…+00:00"}, {"$date"}, {"$time"}, {"$uuid"}, {"$bytes": base64}, {"$long": digits} (a long JSON numbers would round). A string key without a key schema is sent as UTF-8. */
  records: Array<{ key?: unknown; value: unknown }>;
}

export interface ProtobufProduceSpec extends ProduceSpec {
  /** .proto sources by file name (e.g. "shop/order.proto"), which may import each other, google/protobuf/*.proto and google/type/*.proto. A file's path becomes a Python module path: it may not shadow one Python has loaded (e.g. "json/…"). Each imported file is registered under the subject named by the file, shared by every topic: a test that changes a file should give it a name of its own. */
  protos: Record<string, string>;
  /** The value's fully qualified message name, e.g. "shop.Order". */
  message: string;
  /** The key's, if keys are Protobuf too; else a string key is sent as UTF-8. */
  keyMessage?: string;
  /** In the proto3 JSON mapping: int64 as a string, bytes as base64, enums by name, Timestamp as RFC 3339. */
  records: Array<{ key?: unknown; value: unknown }>;
}

export interface JsonSchemaProduceSpec extends ProduceSpec {
  /** Apicurio 2.6 refuses (42201 "not from type: JSON") a schema it cannot tell is JSON Schema, such as {"type": "string"}: give it a "$schema". */
  schema: unknown;
  keySchema?: unknown;
  /** Validated against the schema and written as given, but {"$long": digits} becomes that integer (a JSON number beyond 2^53 would round). A string key without a key schema is sent as UTF-8. */
  records: Array<{ key?: unknown; value: unknown }>;
}

/** Produces the records with confluent-kafka's AvroSerializer (registering the schema); where each landed. */
export function produceAvro(spec: AvroProduceSpec): Promise<ProducedRecord[]> {
  return produce({ ...spec, format: "avro" });
}

/** Produces the records with confluent-kafka's ProtobufSerializer (registering the files, imports as references); where each landed. */
export function produceProtobuf(spec: ProtobufProduceSpec): Promise<ProducedRecord[]> {
  return produce({ ...spec, format: "protobuf" });
}

/** Produces the records with confluent-kafka's JSONSerializer (registering the JSON Schema); where each landed. */
export function produceJsonSchema(spec: JsonSchemaProduceSpec): Promise<ProducedRecord[]> {
  return produce({ ...spec, format: "json" });
}

function produce(spec: ProduceSpec & { format: "avro" | "protobuf" | "json" }): Promise<ProducedRecord[]> {
  const child = spawn(python(), [script], { stdio: ["pipe", "pipe", "pipe"] });
  let output = "";
  let errors = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
  child.stdin.end(JSON.stringify(spec));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    // "close", not "exit": by then stdout and stderr have been read to their end.
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`confluent-kafka's producer exited ${code}:\n${errors}`));
      resolve(
        output
          .trim()
          .split("\n")
          .filter(Boolean)
          .map((line) => JSON.parse(line) as ProducedRecord),
      );
    });
  });
}
