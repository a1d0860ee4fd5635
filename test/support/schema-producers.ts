// A producer written by others, with Schema Registry serializers: PyPI's confluent-kafka (librdkafka
// inside) in a venv kept in the cache outside the clone (schema-producers/produce.py). Tests decode
// what it writes, so our decoding is proven against a real encoder, not our own.
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cacheDir } from "../../stack/paths.js";

export const confluentKafkaVersion = "2.16.1";
const venv = join(cacheDir, `confluent-kafka-${confluentKafkaVersion}`);
const script = join(dirname(fileURLToPath(import.meta.url)), "schema-producers", "produce.py");

/** The venv's python, with confluent-kafka and its Avro extras installed on first use (pip's own cache keeps the wheels). */
function python(): string {
  const binary = join(venv, "bin", "python");
  if (existsSync(join(venv, ".installed"))) return binary;
  execFileSync("python3", ["-m", "venv", venv], { stdio: "inherit" });
  execFileSync(join(venv, "bin", "pip"), ["install", "--quiet", `confluent-kafka[avro,schemaregistry]==${confluentKafkaVersion}`], { stdio: "inherit" });
  execFileSync("touch", [join(venv, ".installed")]);
  return binary;
}

export interface AvroProduceSpec {
  brokers: string;
  registry: string;
  topic: string;
  schema: unknown;
  keySchema?: unknown;
  /** Values may hold tagged scalars for logical types: {"$decimal": "12.30"}, {"$timestamp": "…+00:00"}, {"$date"}, {"$time"}, {"$uuid"}, {"$bytes": base64}, {"$long": digits} (a long JSON numbers would round). */
  records: Array<{ key?: unknown; value: unknown }>;
}

/** Produces the records with confluent-kafka's AvroSerializer (registering the schema); where each landed. */
export function produceAvro(spec: AvroProduceSpec): Promise<Array<{ partition: number; offset: number }>> {
  const child = spawn(python(), [script], { stdio: ["pipe", "pipe", "pipe"] });
  let output = "";
  let errors = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
  child.stdin.end(JSON.stringify({ ...spec, format: "avro" }));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`confluent-kafka's producer exited ${code}:\n${errors}`));
      resolve(
        output
          .trim()
          .split("\n")
          .filter(Boolean)
          .map((line) => JSON.parse(line) as { partition: number; offset: number }),
      );
    });
  });
}
