// The parts of one worker, built from its spec and handed, with one clock, to each other: the
// Kafka client, the store, the spool, the file writer (which logs to the export log), the status,
// and the commit protocol over the group's offsets on Kafka. ExportWorker takes them built.
import { join } from "node:path";
import type { Admin, Consumer, Kafka } from "kafkajs";
import type { ObjectStore } from "../../stores/object-store.js";
import { objectStoreFor, signsBodyHash, uploadsOneFile } from "../../stores/open-object-store.js";
import { kafkaClient } from "../../streams/kafka-client.js";
import { RegistryClient } from "../../schemas/registry-client.js";
import { CommitProtocol } from "../commit/commit-protocol.js";
import { kafkaGroupOffsets } from "../commit/kafka-group-offsets.js";
import { ExportLog } from "../export-log.js";
import { fileFormatOf } from "../files/file-format.js";
import { NewFields } from "../parquet/new-fields.js";
import { exportLogWriter, StoreFileWriter } from "../files/file-writer.js";
import { processSpoolDir, Spool } from "../files/spool.js";
import { ownColumns, type FileShape } from "../file-shape.js";
import { madeOnPrepare, registryDecoding, type WireDecoder } from "../lines/wire-decoding.js";
import { NeedsPersonError } from "../needs-person.js";
import type { LogEntry, WorkerSpec, WorkerStatus } from "../worker-protocol.js";
import { WorkerStatusKeeper } from "./worker-status.js";

/** What a worker tells its process: worker-process.ts sends it to the supervisor. */
export interface WorkerHooks {
  status(status: WorkerStatus): void;
  file(entry: LogEntry): void;
  log(level: "error" | "warn" | "info", message: string, fields?: Record<string, unknown>): void;
  /** The worker cannot go on; its process should exit with `code` and be restarted. */
  fatal(error: unknown, code: number): void;
}

export interface WorkerParts {
  kafka: Kafka;
  store: ObjectStore;
  spool: Spool;
  files: StoreFileWriter;
  status: WorkerStatusKeeper;
  protocol: CommitProtocol;
}

/** What the parts need of the worker that runs them. */
export interface PartsHost {
  /** The consumer and admin, once started: commits and committed offsets go through them. */
  consumer(): Consumer;
  admin(): Admin;
  /** Aborted when the worker stops: a storage backoff ends at once. */
  stopping: AbortSignal;
  fail(error: unknown): void;
}

export function workerParts(spec: WorkerSpec, hooks: WorkerHooks, now: () => number, host: PartsHost): WorkerParts {
  const log = (level: "error" | "warn" | "info", message: string, fields?: Record<string, unknown>) => hooks.log(level, message, fields);
  const kafka = kafkaClient(spec.kafka, `streamdrop-${spec.exporterName}-${spec.workerIndex}`, log);
  const store = objectStoreFor(spec.storage, `streamdrop-${spec.exporterName}`);
  // A compressed file is uploaded from memory, and hashed there: hashing its lines would be wasted.
  const hashes = signsBodyHash(spec.storage) && fileFormatOf(spec.shape).bodyIsLines;
  // Bodies as one file each for the stores that upload a file by its path, whatever the format (a pending file keeps its own).
  const bodies = uploadsOneFile(spec.storage) ? "files" : "spans";
  const spool = new Spool(processSpoolDir(join(spec.dataDir, "spool"), `${spec.exporterId}-${spec.workerIndex}`), { hashes, bodies });
  // The status reports the protocol's oldest events; the protocol is made below, before any report.
  const status = new WorkerStatusKeeper(hooks.status, () => protocol.oldest(), spec.kafka.brokers, now);
  const retry = {
    signal: host.stopping,
    onRetry: (attempt: number, error: unknown, delayMs: number) =>
      status.retrying(`Storing a file failed (${(error as Error).name}: ${(error as Error).message}); retry ${attempt} in ${Math.round(delayMs / 1000)} s.`),
  };
  const files = new StoreFileWriter({
    store,
    topic: spec.topic,
    exporterName: spec.exporterName,
    now,
    retry,
    log: exportLogWriter(new ExportLog(spec.dataDir), spec.exporterId, (entry) => hooks.file(entry)),
    stored: (part) => status.stored(part),
    skipped: (count) => status.skipped(count),
  });
  const group = kafkaGroupOffsets({
    kafka,
    topic: spec.topic,
    groupId: spec.groupId,
    consumer: host.consumer,
    admin: host.admin,
    warn: (message, fields) => log("warn", message, fields),
  });
  const decoder = spec.registry ? workerDecoder(spec, status, host.stopping) : undefined;
  const decoderFor = (shape: FileShape): WireDecoder | undefined => {
    if (shape.decode === "none") return undefined;
    if (decoder) return decoder;
    // Only a file planned while the stream named a registry, and pending since it was taken off.
    throw new NeedsPersonError(
      "pending-file",
      `A file of ${spec.topic} left pending was planned to decode with the stream's Schema Registry, and the stream names none now. Give the stream its registry again until the exporter has caught up.`,
    );
  };
  // Only the exporter's own columns take proposals: a writer schema's columns are the schema's.
  const own = spec.shape.parquet && ownColumns(spec.shape.parquet);
  const newFields = own ? new NewFields(own, (proposal) => status.columnsProposed(proposal)) : undefined;
  const protocol = new CommitProtocol({
    group,
    files,
    spool,
    // Only new files' fields are proposed: a pending file re-created with an older version's columns proposes nothing.
    newBatch: (shape) => fileFormatOf(shape, shape === spec.shape ? newFields?.saw.bind(newFields) : undefined).newBatch(spec.topic, spool, decoderFor(shape)),
    shape: spec.shape,
    columnsOf: (version) => spec.columnsVersions?.find((kept) => kept.version === version)?.columns,
    maxBatchBytes: spec.maxBatchBytes,
    topic: spec.topic,
    now,
    log,
    failed: (error) => host.fail(error),
  });
  return { kafka, store, spool, files, status, protocol };
}

/**
 * The Schema Registry decoder, over avsc and protobufjs (10 and 8 MiB resident, each loaded alone
 * into Node 24): loaded by the first fetch a worker whose stream names a registry prepares, so no
 * other worker holds it (the memory of idle workers).
 */
const schemaDecoder = () => import("../../schemas/schema-decoder.js");

/** One decoder per worker: its compiled schemas serve every batch, and recovery's. */
function workerDecoder(spec: WorkerSpec, status: WorkerStatusKeeper, stopping: AbortSignal): WireDecoder {
  const registry = spec.registry!;
  // Made at once: an address it cannot use fails the worker as it is built, not at its first fetch.
  const client = new RegistryClient(registry);
  return madeOnPrepare(async () =>
    registryDecoding(new (await schemaDecoder()).SchemaDecoder(client), {
      signal: stopping,
      onRetry: (attempt, error, delayMs) =>
        status.retrying(
          `Reading schemas from the Schema Registry at ${registry.url} failed (${(error as Error).message}); retry ${attempt} in ${Math.round(delayMs / 1000)} s. Nothing is exported meanwhile, and nothing is lost.`,
        ),
    }),
  );
}
