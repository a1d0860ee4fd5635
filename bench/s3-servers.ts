// The S3 servers the drains write into, and the exactly-once check that reads every object back.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { goProgram } from "../stack/build-tools.js";
import { freePort } from "../stack/ports.js";
import { readState } from "../stack/state.js";
import { idOf } from "./workload.js";
import { gunzipSync, zstdDecompressSync } from "node:zlib";
import { fileKindOfKey } from "../common/record-format.js";
import { parquetReader, type ParquetReader } from "./parquet-read.js";

export const gofakes3Version = "v1.2.0";
export const benchCredentials = { accessKeyId: "AKIABENCHBENCHBENCH1", secretAccessKey: "bench-not-a-secret" } as const;

export interface S3Server {
  name: string;
  endpoint: string;
  client: S3Client;
  /** The server process, when known (for its CPU). */
  pid?: number;
  stop(): void;
}

export function s3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { ...benchCredentials },
    requestChecksumCalculation: "WHEN_REQUIRED",
  });
}

/** A fresh gofakes3 (in memory), installed with `go install` into Go's own bin folder on first use. */
export async function startGofakes3(): Promise<S3Server> {
  const binary = goProgram("gofakes3", "github.com/johannesboyne/gofakes3/cmd/gofakes3", gofakes3Version);
  const port = await freePort();
  const child: ChildProcess = spawn(binary, ["-backend", "memory", "-host", `127.0.0.1:${port}`], { stdio: "ignore" });
  const endpoint = `http://127.0.0.1:${port}`;
  for (let tries = 0; tries < 100; tries += 1) {
    if (
      await fetch(endpoint).then(
        () => true,
        () => false,
      )
    ) {
      return { name: `gofakes3 ${gofakes3Version}`, endpoint, client: s3Client(endpoint), pid: child.pid!, stop: () => child.kill() };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error(`gofakes3 did not start on ${endpoint}.`);
}

/**
 * A fresh discard store (bench/discard-store.ts), in a process of its own: bodies kept as they
 * came, nothing hashed or parsed, so a drain's time is Kafka's and the worker's.
 */
export async function startDiscardStore(): Promise<S3Server> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./discard-store.ts", import.meta.url)), String(port)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const listening = await new Promise<boolean>((resolve) => {
    child.stdout!.once("data", () => resolve(true));
    child.once("exit", () => resolve(false));
  });
  if (!listening) throw new Error(`The discard store did not start on ${endpoint}.`);
  return { name: "discard store", endpoint, client: s3Client(endpoint), pid: child.pid!, stop: () => child.kill() };
}

/** The stack's moto server (shared; each run uses a bucket of its own). */
export function moto(endpoint: string): S3Server {
  const pid = readState().moto?.pid;
  return { name: "moto 5.2.5", endpoint, client: s3Client(endpoint), ...(pid !== undefined ? { pid } : {}), stop: () => undefined };
}

export async function createBucket(server: S3Server, bucket: string): Promise<void> {
  await server.client.send(new CreateBucketCommand({ Bucket: bucket }));
}

export interface DeliveredEvents {
  files: number;
  lines: number;
  /** Ids seen exactly once; equal to the expected count and to `lines` only when exactly once. */
  once: number;
}

/**
 * Reads every events object under `prefix` back (`.jsonl`, `.jsonl.gz`, `.jsonl.zst`, `.parquet`)
 * and counts each event id (`0 <= id < count`): a Parquet file's rows by their `id` column (read
 * by DuckDB), each row counted as a line. `onLine` sees each JSON line with its object's key (the
 * latency run uses it); Parquet rows are not lines, so it never sees them.
 */
export async function readBack(
  server: S3Server,
  bucket: string,
  prefix: string,
  count: number,
  onLine?: (line: string, key: string) => void,
): Promise<DeliveredEvents> {
  const seen = new Uint8Array(count);
  let lines = 0;
  let files = 0;
  let token: string | undefined;
  let parquet: ParquetReader | undefined;
  const countId = (id: number) => {
    lines += 1;
    if (id >= 0 && id < count) seen[id] = Math.min(255, seen[id]! + 1);
  };
  try {
    do {
      const page = await server.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        const key = object.Key!;
        if (key.includes(".strm_test_") || !/\.(jsonl(\.gz|\.zst)?|parquet)$/.test(key)) continue;
        files += 1;
        const stored = Buffer.from(await (await server.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray());
        const compression = fileKindOfKey(key);
        if (compression === "parquet") {
          // A row is an event: its `id` column counts as a line's id does.
          parquet ??= await parquetReader();
          for (const id of await parquet.ids(stored)) countId(id ?? -1);
          continue;
        }
        // Compressed files are read as any reader would: decompressed whole.
        const body = (compression === "gzip" ? gunzipSync(stored) : compression === "zstd" ? zstdDecompressSync(stored) : stored).toString("utf8");
        for (const line of body.split("\n")) {
          if (!line) continue;
          countId(idOf(line));
          onLine?.(line, key);
        }
      }
      token = page.NextContinuationToken;
    } while (token);
  } finally {
    parquet?.close();
  }
  let once = 0;
  for (const times of seen) if (times === 1) once += 1;
  return { files, lines, once };
}

/** Throws unless every one of `count` events arrived exactly once: a run that loses or doubles events is a failure, not a number. */
export function assertExactlyOnce(what: string, delivered: DeliveredEvents, count: number): void {
  if (delivered.lines !== count || delivered.once !== count) {
    throw new Error(
      `${what} was not exactly once: ${delivered.lines} lines in ${delivered.files} files, ${delivered.once} of ${count} events seen exactly once.`,
    );
  }
}
