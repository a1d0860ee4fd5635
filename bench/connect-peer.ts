// A peer for the benchmark: Apache Kafka Connect 4.3.1 in standalone mode running Apache Iceberg's
// Kafka Connect sink (org.apache.iceberg:iceberg-kafka-connect), which drains a topic into an
// Iceberg table whose data files (Parquet) and metadata live in an S3 bucket, exactly once.
//
// Why not Aiven's S3 sink (io.aiven:s3-connector-for-apache-kafka, JSON Lines objects): the Maven
// Central mirror reachable from our machines serves no version of it (nor of its successor
// s3-sink-connector-for-apache-kafka, Camel's or Confluent's S3 sinks); only Aiven's commons
// library is served, and that has no S3 code. Iceberg's sink is the open-source, Maven-Central,
// exactly-once Kafka-to-S3 connector that does resolve. Its output is a table, not JSON Lines:
// each record's JSON value becomes a typed row of zstd-compressed Parquet, with the schema
// inferred from the first record (fields are reordered, and a field whose first value is an
// empty array, like the benchmark's `abTests: []`, has no inferable type and is dropped). So
// readPeerTable() reads the rows back through the catalog rather than listing objects, and the
// peer writes far fewer bytes to S3 than a JSON Lines exporter does for the same events.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Kafka, logLevel } from "kafkajs";
import { mavenClasspath } from "../stack/build-tools.js";
import { StackError } from "../stack/errors.js";
import { freePort } from "../stack/ports.js";
import { repoRoot } from "../stack/paths.js";
import { runTool, startServer, stopProcessGroup, tail, type Tool } from "../stack/processes.js";

const java: Tool = { command: "java", install: "Install a Java 17+ runtime, e.g. `apt-get install -y openjdk-17-jre-headless`." };

const pom = join(repoRoot, "bench", "peer", "pom.xml");
const catalogTool = join(repoRoot, "bench", "peer", "PeerCatalog.java");

/** The table the peer writes, created by the sink on its first record. */
export const peerTable = "bench.events";

export interface ConnectPeerOptions {
  brokers: string;
  topic: string;
  /** e.g. http://127.0.0.1:15000; the sink uses path-style requests. */
  s3Endpoint: string;
  bucket: string;
  /** Folder in the bucket for the Iceberg warehouse (table data and metadata), e.g. `peer/run-1`. */
  prefix: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** Holds the worker's files, the SQLite catalog and connect.log; one fresh folder per run. */
  workDir: string;
  /** Iceberg commit interval: how often rows become visible in the table. Default 10 s. */
  flushMs?: number;
  /** Sink tasks, one consumer each; match the topic's partition count. Default 6. */
  tasks?: number;
  /** Java heap for the worker. Default 2g. */
  heap?: string;
}

export interface ConnectPeer {
  pid: number;
  /** The Connect REST listener (127.0.0.1 only). */
  restUrl: string;
  logFile: string;
  /** Records in the table's current snapshot (what the sink has committed), as last seen. */
  committed(): number;
  /** Resolves with the time (epoch ms) at which a commit brought the table to `records` or more. */
  waitForRecords(records: number, timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

/** The peer's classpath, resolved and cached like the broker's. */
export const connectPeerClasspath = () => mavenClasspath(pom, "connect-peer", "the Kafka Connect peer's jars");

const properties = (entries: Record<string, string | number | boolean>) =>
  Object.entries(entries)
    .map(([key, value]) => `${key}=${String(value).replaceAll("\\", "\\\\")}`)
    .join("\n") + "\n";

/** The Iceberg catalog: JDBC over a SQLite file, tables stored through S3FileIO. Shared by the sink and the reader. */
function catalogProperties(options: ConnectPeerOptions): Record<string, string> {
  return {
    "catalog-impl": "org.apache.iceberg.jdbc.JdbcCatalog",
    uri: `jdbc:sqlite:${join(options.workDir, "catalog.db")}`,
    "jdbc.schema-version": "V1",
    // Six tasks and the commit coordinator share the one SQLite file: let readers run beside the
    // writer (WAL) and wait for a lock instead of failing.
    "jdbc.journal_mode": "wal",
    "jdbc.busy_timeout": "30000",
    warehouse: `s3://${options.bucket}/${options.prefix.replace(/^\/+|\/+$/g, "")}`,
    "io-impl": "org.apache.iceberg.aws.s3.S3FileIO",
    "s3.endpoint": options.s3Endpoint,
    "s3.path-style-access": "true",
    "s3.access-key-id": options.accessKeyId,
    "s3.secret-access-key": options.secretAccessKey,
    "client.region": options.region,
  };
}

function log4jProperties(): string {
  return [
    "status = warn",
    "appender.console.type = Console",
    "appender.console.name = STDOUT",
    "appender.console.layout.type = PatternLayout",
    "appender.console.layout.pattern = [%d] %p %m (%c)%n",
    "rootLogger.level = warn",
    "rootLogger.appenderRef.stdout.ref = STDOUT",
    // The coordinator's commit lines ("Commit ... complete") show the peer's progress.
    "logger.iceberg.name = org.apache.iceberg.connect",
    "logger.iceberg.level = info",
    "",
  ].join("\n");
}

/**
 * Starts the peer and resolves once the connector and all its tasks run. A fresh connector name
 * (so fresh consumer groups and a fresh control topic) per call; the sink reads the topic from
 * the earliest offset.
 */
export async function runConnectPeer(options: ConnectPeerOptions): Promise<ConnectPeer> {
  runTool(java, ["-version"]);
  const classpath = connectPeerClasspath();
  const tasks = options.tasks ?? 6;
  const name = `streamdrop-peer-${randomUUID().slice(0, 8)}`;
  const controlTopic = `${name}-control`;
  mkdirSync(options.workDir, { recursive: true });

  // The sink's commit coordinator exchanges messages on a control topic that must exist first.
  const kafka = new Kafka({ brokers: [options.brokers], logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic: controlTopic, numPartitions: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }

  const port = await freePort();
  const restUrl = `http://127.0.0.1:${port}`;
  const worker = join(options.workDir, "worker.properties");
  const connector = join(options.workDir, "connector.properties");
  const log4j = join(options.workDir, "log4j2.properties");
  const logFile = join(options.workDir, "connect.log");
  writeFileSync(
    worker,
    properties({
      "bootstrap.servers": options.brokers,
      "key.converter": "org.apache.kafka.connect.storage.StringConverter",
      // Values are plain JSON without Connect's schema envelope: the sink gets each as a map.
      "value.converter": "org.apache.kafka.connect.json.JsonConverter",
      "value.converter.schemas.enable": false,
      "offset.storage.file.filename": join(options.workDir, "connect.offsets"),
      listeners: restUrl,
      "rest.advertised.host.name": "127.0.0.1",
      "rest.advertised.port": port,
      // No plugin.path: the connector's jars are on the worker's classpath.
      "consumer.auto.offset.reset": "earliest",
      // A sink task only sees the coordinator's "start commit" requests inside put(), and Connect
      // calls put() after each consumer poll, whose wait is bounded by this interval (default
      // 60 s): once the topic is drained, every table commit would wait up to a minute.
      "offset.flush.interval.ms": 500,
      "consumer.max.poll.records": 5000,
    }),
  );
  const catalog = catalogProperties(options);
  writeFileSync(
    connector,
    properties({
      name,
      "connector.class": "org.apache.iceberg.connect.IcebergSinkConnector",
      "tasks.max": tasks,
      topics: options.topic,
      "iceberg.tables": peerTable,
      "iceberg.tables.auto-create-enabled": true,
      "iceberg.tables.auto-create-props.write.format.default": "parquet",
      "iceberg.control.topic": controlTopic,
      "iceberg.control.commit.interval-ms": options.flushMs ?? 10_000,
      ...Object.fromEntries(Object.entries(catalog).map(([key, value]) => [`iceberg.catalog.${key}`, value])),
    }),
  );
  const catalogFile = join(options.workDir, "catalog.properties");
  writeFileSync(catalogFile, properties(catalog));
  writeFileSync(log4j, log4jProperties());
  runTool(java, ["-cp", classpath, catalogTool, catalogFile, "init", peerTable.split(".")[0]!]);

  const status = async (): Promise<boolean> => {
    const response = await fetch(`${restUrl}/connectors/${name}/status`).catch(() => undefined);
    if (!response?.ok) return false;
    const body = (await response.json()) as { connector: { state: string; trace?: string }; tasks: { id: number; state: string; trace?: string }[] };
    const failed = [body.connector, ...body.tasks].find((part) => part.state === "FAILED");
    if (failed) throw new StackError(`The Kafka Connect peer failed:\n${failed.trace ?? "(no trace)"}`);
    return body.connector.state === "RUNNING" && body.tasks.length === tasks && body.tasks.every((task) => task.state === "RUNNING");
  };
  const jvm = [
    `-Xms${options.heap ?? "2g"}`,
    `-Xmx${options.heap ?? "2g"}`,
    "-XX:+UseG1GC",
    `-Dlog4j2.configurationFile=${log4j}`,
    // AWS SDK v2 sends and checks CRC checksums by default; local S3 servers (moto, gofakes3)
    // may not support them, and the benchmark's own S3 client opts out the same way.
    "-Daws.requestChecksumCalculation=when_required",
    "-Daws.responseChecksumValidation=when_required",
  ];
  const pid = await startServer({
    name: "Kafka Connect peer",
    tool: java,
    args: [...jvm, "-cp", classpath, "org.apache.kafka.connect.cli.ConnectStandalone", worker, connector],
    logFile,
    answers: status,
    timeoutMs: 120_000,
  });

  // Progress is what the sink has committed to the table, not its consumer offsets: its tasks
  // commit those to the Connect group when they hand their files to the coordinator, before the
  // coordinator's table commit makes the rows visible.
  const watcher = spawn("java", ["-Xmx256m", "-cp", classpath, catalogTool, catalogFile, "watch", peerTable], { stdio: ["ignore", "pipe", "ignore"] });
  let latest = { at: 0, records: 0 };
  const waiters = new Set<() => void>();
  createInterface({ input: watcher.stdout }).on("line", (line) => {
    const [at, records] = line.split(" ").map(Number);
    if (at === undefined || records === undefined || Number.isNaN(records)) return;
    latest = { at, records };
    for (const wake of waiters) wake();
  });

  const waitForRecords = (records: number, timeoutMs = 30 * 60_000) =>
    new Promise<number>((resolve, reject) => {
      const check = () => {
        if (latest.records < records) return;
        finish();
        resolve(latest.at);
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new StackError(
            `The Kafka Connect peer committed ${latest.records} of ${records} records within ${timeoutMs / 1000} s. Last lines of ${logFile}:\n${tail(logFile)}`,
          ),
        );
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  const stop = async () => {
    watcher.kill();
    await stopProcessGroup(pid, 30_000);
  };
  return { pid, restUrl, logFile, committed: () => latest.records, waitForRecords, stop };
}

export interface PeerTable {
  /** Data files in the table's current snapshot. */
  files: number;
  /** Rows in the current snapshot, from the files' metadata. */
  records: number;
  /** Every row's `id`, duplicates included. */
  ids: number[];
}

/** Reads the committed table back through the peer's catalog (the peer may be stopped). */
export function readPeerTable(workDir: string): PeerTable {
  const output = runTool(java, ["-Xmx2g", "-cp", connectPeerClasspath(), catalogTool, join(workDir, "catalog.properties"), "read", peerTable]);
  const [header = "", ...rows] = output.trimEnd().split("\n");
  const match = /^files (\d+) records (\d+)$/.exec(header);
  if (!match) throw new StackError(`Unexpected output from PeerCatalog.java: ${header}`);
  return { files: Number(match[1]), records: Number(match[2]), ids: rows.map(Number) };
}
