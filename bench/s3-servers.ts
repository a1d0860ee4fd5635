// The S3 servers the drains write into, and the exactly-once check that reads every object back.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent } from "node:https";
import { getCACertificates, setDefaultCACertificates } from "node:tls";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

/** A client of a bench server; over HTTPS, trusting the bench's own CA (its PEM file, `caFile`). */
export function s3Client(endpoint: string, caFile?: string): S3Client {
  return new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { ...benchCredentials },
    requestChecksumCalculation: "WHEN_REQUIRED",
    ...(caFile ? { requestHandler: { httpsAgent: new Agent({ ca: readFileSync(caFile), keepAlive: true }) } } : {}),
  });
}

/** A throwaway CA and a certificate for 127.0.0.1 signed by it, made once per bench run: their PEM files. */
export interface BenchTls {
  ca: string;
  cert: string;
  /** The server certificate's key (the CA's is removed once it has signed). */
  key: string;
}

let benchTlsFiles: BenchTls | undefined;

export function benchTls(): BenchTls {
  if (benchTlsFiles) return benchTlsFiles;
  const dir = mkdtempSync(join(tmpdir(), "streamdrop-bench-tls-"));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "ignore" });
  openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", file("ca.key"), "-out", file("ca.pem"), "-days", "2", "-subj", "/CN=Streamdrop bench CA");
  openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", file("server.key"), "-out", file("server.csr"), "-subj", "/CN=127.0.0.1");
  writeFileSync(file("san.ext"), "subjectAltName=IP:127.0.0.1\n");
  openssl(
    "x509",
    "-req",
    "-in",
    file("server.csr"),
    "-CA",
    file("ca.pem"),
    "-CAkey",
    file("ca.key"),
    "-CAcreateserial",
    "-out",
    file("server.pem"),
    "-days",
    "2",
    "-extfile",
    file("san.ext"),
  );
  rmSync(file("ca.key"));
  return (benchTlsFiles = { ca: file("ca.pem"), cert: file("server.pem"), key: file("server.key") });
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
 * Trusts the bench's CA in this process (the engine a drain runs here checks its sink) and in
 * the worker hosts it forks from now on, which read NODE_EXTRA_CA_CERTS as they start.
 */
export function trustBenchTls(tls: BenchTls): void {
  const ca = readFileSync(tls.ca, "utf8");
  setDefaultCACertificates([...getCACertificates("default"), ca]);
  process.env.NODE_EXTRA_CA_CERTS = tls.ca;
}

/**
 * A fresh discard store (bench/discard-store.ts), in a process of its own: bodies kept as they
 * came, nothing hashed or parsed, so a drain's time is Kafka's and the worker's. With `tls`, over
 * HTTPS, as S3 itself is reached: a worker then signs bodies UNSIGNED-PAYLOAD and encrypts them
 * instead of hashing them (stores/s3/payload-hash.ts), once the bench trusts its CA (trustBenchTls).
 */
export async function startDiscardStore(tls?: BenchTls): Promise<S3Server> {
  const port = await freePort();
  const script = fileURLToPath(new URL("./discard-store.ts", import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", script, String(port), ...(tls ? [tls.cert, tls.key] : [])], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const endpoint = `${tls ? "https" : "http"}://127.0.0.1:${port}`;
  const listening = await new Promise<boolean>((resolve) => {
    child.stdout!.once("data", () => resolve(true));
    child.once("exit", () => resolve(false));
  });
  if (!listening) throw new Error(`The discard store did not start on ${endpoint}.`);
  return { name: tls ? "discard store (HTTPS)" : "discard store", endpoint, client: s3Client(endpoint, tls?.ca), pid: child.pid!, stop: () => child.kill() };
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
