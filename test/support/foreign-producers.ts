// Producers other than kafkajs, so tests can prove Streamdrop reads what real-world producers write:
// Kafka's own Java client (foreign-producers/Produce.java) and librdkafka (through kcat). Their
// batches differ from kafkajs's in ways that matter to a reader: Java frames snappy the xerial way,
// librdkafka writes one raw snappy block, and each lays out compressed batches and transactions itself.
import { execFile, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { CodecName } from "../../main/core/streams/codecs.js";
import { kafkaClasspath } from "../../stack/kafka.js";
import { cacheDir } from "../../stack/paths.js";

const run = promisify(execFile);

type Bytes = Buffer | string;

/** One header; a record's headers are a list, in order, and a key may repeat. */
export interface ForeignHeader {
  key: string;
  value: Bytes | null;
}

export interface ForeignRecord {
  /** Absent: the client's partitioner chooses. */
  partition?: number;
  /** Absent or null: a null key. Strings are sent as UTF-8. */
  key?: Bytes | null;
  value: Bytes | null;
  headers?: ForeignHeader[];
  /** Epoch milliseconds (CreateTime); absent: the producer's clock. */
  timestamp?: number;
}

export interface JavaProduceSpec {
  brokers: string;
  topic: string;
  compression?: CodecName;
  /** How long the producer may wait for more records to batch with; default 5000 (it flushes once all are sent). */
  lingerMs?: number;
  /** The most bytes of one batch; default 1 MiB. */
  batchSize?: number;
  /** The most bytes of one request, and so of one record; default 1 MiB. */
  maxRequestBytes?: number;
  /** Sent without transactions (idempotent, acks=all). Give this or `transactions`. */
  records?: ForeignRecord[];
  /** Each run in its own transaction by one transactional producer, then committed or aborted. */
  transactions?: { records: ForeignRecord[]; outcome: "commit" | "abort" }[];
  /** Default: a fresh random one. */
  transactionalId?: string;
}

/** Where each record landed, in the order given (transactions flattened, aborted ones included). */
export interface RecordAck {
  partition: number;
  offset: number;
}

const source = join(dirname(fileURLToPath(import.meta.url)), "foreign-producers", "Produce.java");

/** Runs Produce.java against the spec; resolves once every record is acknowledged (acks=all). */
export async function javaProduce(spec: JavaProduceSpec): Promise<RecordAck[]> {
  const dir = mkdtempSync(join(tmpdir(), "streamdrop-java-produce-"));
  try {
    const specFile = join(dir, "spec.json");
    writeFileSync(specFile, JSON.stringify(wireSpec(spec)));
    const classpath = `${await compiled()}:${kafkaClasspath()}`;
    // C1 only: a short-lived process gains nothing from the optimizing compiler but startup time.
    const { stdout } = await run("java", ["-XX:TieredStopAtLevel=1", "-cp", classpath, "Produce", specFile], { maxBuffer: 64 * 1024 * 1024 }).catch(
      (error: NodeJS.ErrnoException & { stderr?: string }) => {
        if (error.code === "ENOENT") throw new Error("java is not installed or not on PATH: apt-get install -y openjdk-17-jre-headless");
        throw new Error(`Produce.java failed for topic ${spec.topic}:\n${error.stderr?.trim() || error.message}`);
      },
    );
    return (JSON.parse(stdout) as { acks: RecordAck[] }).acks;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The spec as Produce.java reads it: Buffers become `<field>Base64`, strings stay text. */
function wireSpec({ brokers, compression, records, transactions, ...rest }: JavaProduceSpec) {
  const bytes = (name: string, value: Bytes | null | undefined) =>
    value === undefined ? {} : Buffer.isBuffer(value) ? { [`${name}Base64`]: value.toString("base64") } : { [name]: value };
  const wire = ({ key, value, headers, ...record }: ForeignRecord) => ({
    ...record,
    ...bytes("key", key),
    ...bytes("value", value),
    headers: (headers ?? []).map((header) => ({ key: header.key, ...bytes("value", header.value) })),
  });
  return {
    ...rest,
    bootstrapServers: brokers,
    compressionType: compression ?? "none",
    ...(records ? { records: records.map(wire) } : {}),
    ...(transactions ? { transactions: transactions.map((transaction) => ({ ...transaction, records: transaction.records.map(wire) })) } : {}),
  };
}

let compiling: Promise<string> | undefined;

/**
 * Produce.class, compiled once per source and classpath into the shared cache: launching the
 * .java file directly compiles it on every run, which doubles the ~1.5 s a run takes.
 */
function compiled(): Promise<string> {
  compiling ??= (async () => {
    const classpath = kafkaClasspath();
    const digest = createHash("sha256").update(readFileSync(source)).update(classpath).digest("hex").slice(0, 16);
    const dir = join(cacheDir, "foreign-producers", digest);
    if (existsSync(join(dir, "Produce.class"))) return dir;
    // Compiled beside, then renamed into place, so a parallel worker never sees half a directory.
    mkdirSync(dirname(dir), { recursive: true });
    const scratch = mkdtempSync(`${dir}.tmp-`);
    try {
      await run("javac", ["-cp", classpath, "-d", scratch, source]).catch((error: NodeJS.ErrnoException & { stderr?: string }) => {
        if (error.code === "ENOENT") throw new Error("javac is not installed or not on PATH: apt-get install -y openjdk-17-jdk-headless");
        throw new Error(`javac could not compile ${source}:\n${error.stderr?.trim() || error.message}`);
      });
      try {
        renameSync(scratch, dir);
      } catch (error) {
        if (!existsSync(join(dir, "Produce.class"))) throw error; // else another worker won the race
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    return dir;
  })();
  compiling.catch(() => (compiling = undefined));
  return compiling;
}

export interface KcatProduceOptions {
  brokers: string;
  topic: string;
  /** librdkafka sends a batch uncompressed when compressing does not shrink it: give compressible values. */
  compression?: CodecName;
  /** Absent: librdkafka's partitioner chooses (by key). */
  partition?: number;
  /** Added to every record of the run: kcat's `-H` cannot vary per message. A null value is a null header. */
  headers?: { key: string; value: string | null }[];
  /**
   * Keys and values may be binary. kcat's `-Z` sends an empty key or value as null, so both are
   * rejected (use null) rather than silently changed.
   */
  records: { key?: Bytes | null; value: Bytes | null }[];
  /** Default 200: the records of one call then share one batch. kcat waits it out at the end of input (it does not flush). */
  lingerMs?: number;
}

/** `kcat -V`'s version line, or an error naming the package to install. */
export async function kcatAvailable(): Promise<string> {
  const { stdout } = await run("kcat", ["-V"]).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") throw new Error("kcat is not installed or not on PATH: apt-get install -y kcat");
    throw error;
  });
  return stdout.split("\n").find((line) => line.startsWith("Version")) ?? stdout.trim();
}

/** Produces through `kcat -P` (librdkafka); resolves once kcat has every delivery report and exits 0. */
export async function kcatProduce({
  brokers,
  topic,
  compression = "none",
  partition,
  headers = [],
  records,
  lingerMs = 200,
}: KcatProduceOptions): Promise<void> {
  await kcatAvailable();
  // Random ASCII delimiters (kcat reads -D/-K as strings, with \n, \t and \xNN escapes, so no
  // backslash), checked absent from the data: stdin can then carry any bytes, newlines included.
  const token = randomBytes(8).toString("hex");
  const messageDelimiter = Buffer.from(`<~msg-${token}~>`);
  const keyDelimiter = Buffer.from(`<~key-${token}~>`);
  const field = (bytes: Bytes | null | undefined, what: string) => {
    if (bytes === undefined || bytes === null) return Buffer.alloc(0);
    const buffer = Buffer.from(bytes);
    if (buffer.length === 0) throw new Error(`${what} is empty, which kcat -Z sends as null: use null`);
    if (buffer.includes(messageDelimiter) || buffer.includes(keyDelimiter)) throw new Error(`${what} contains kcat's delimiter`);
    return buffer;
  };
  const input = Buffer.concat(
    records.flatMap(({ key, value }, index) => [
      field(key, `kcat record ${index} key`),
      keyDelimiter,
      field(value, `kcat record ${index} value`),
      messageDelimiter,
    ]),
  );
  for (const { key } of headers) if (!key || key.includes("=")) throw new Error(`kcat header key ${JSON.stringify(key)} must be non-empty and have no "="`);
  const args = [
    "-P",
    ...["-b", brokers, "-t", topic],
    ...(partition === undefined ? [] : ["-p", String(partition)]),
    ...["-D", messageDelimiter.toString(), "-K", keyDelimiter.toString(), "-Z"],
    ...headers.flatMap(({ key, value }) => ["-H", value === null ? key : `${key}=${value}`]),
    // librdkafka's name for compression.type (it takes either); message.timeout.ms bounds the
    // wait for acks, which librdkafka otherwise retries for 5 minutes before kcat exits 1.
    ...[
      "-X",
      `compression.codec=${compression}`,
      "-X",
      `linger.ms=${lingerMs}`,
      "-X",
      "acks=all",
      "-X",
      "enable.idempotence=true",
      "-X",
      "message.timeout.ms=30000",
    ],
  ];
  await new Promise<void>((resolve, reject) => {
    const child = spawn("kcat", args, { stdio: ["pipe", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    child.once("error", reject);
    // kcat flushes its queue and exits when stdin ends; a failed delivery makes it exit 1.
    child.once("close", (code) => (code === 0 ? resolve() : reject(new Error(`kcat -P to ${topic} failed (exit ${code}):\n${stderr.trim()}`))));
    // If kcat exits early (a bad option), the write fails with EPIPE: its exit code and stderr say why.
    child.stdin.on("error", () => undefined);
    child.stdin.end(input);
  });
}
