// The demo: simulated clickstream events go from a Kafka topic into a bucket, through the real
// `streamdrop` commands, on the local stack (Kafka and moto on 127.0.0.1). It says what it does
// at each step, checks that every event arrived exactly once, and cleans up after itself.
// Run it with `npm run demo` (scripts/demo.sh installs and builds first).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { repoRoot } from "../stack/paths.js";
import { down, up } from "../stack/stack.js";
import type { Component } from "../stack/state.js";

const runSeconds = Number(process.env.DEMO_SECONDS ?? 60);
const interval = 10;
const home = mkdtempSync(join(tmpdir(), "streamdrop-demo-"));
const bucket = `streamdrop-demo-${Date.now().toString(36)}`;
// moto accepts any key; the admin key below only sets up the bucket and the IAM user.
const env = {
  ...process.env,
  STREAMDROP_HOME: home,
  AWS_ACCESS_KEY_ID: "AKIADEMOADMINDEMOADM",
  AWS_SECRET_ACCESS_KEY: "demo-admin-secret-for-moto",
  AWS_EC2_METADATA_DISABLED: "true",
};
const children: ChildProcess[] = [];
let started: Component[] = [];

const step = (text: string) => console.log(`\n==> ${text}`);
const show = (args: string[]) => console.log(`$ streamdrop ${args.join(" ")}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function streamdrop(args: string[], { quiet = false } = {}): Promise<string> {
  show(args);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, "bin", "streamdrop.cjs"), ...args], { env, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
      if (!quiet) process.stdout.write(chunk);
    });
    child.once("exit", (code) => (code === 0 ? resolve(stdout) : reject(new Error(`streamdrop ${args[0]} ${args[1] ?? ""} failed (exit ${code})`))));
  });
}

/** Starts a long-running command; `onLine` sees each line it writes to stderr (also shown). */
function background(args: string[], onLine?: (line: string) => void): ChildProcess {
  show(args);
  const child = spawn(process.execPath, [join(repoRoot, "bin", "streamdrop.cjs"), ...args], { env, stdio: ["ignore", "inherit", "pipe"] });
  child.stderr!.on("data", (chunk: Buffer) => {
    process.stderr.write(chunk);
    chunk
      .toString()
      .split("\n")
      .filter(Boolean)
      .forEach((line) => onLine?.(line));
  });
  children.push(child);
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGINT");
  await exited;
}

async function main(): Promise<void> {
  step("Starting the local stack: Apache Kafka 4.3.1 (KRaft) and moto (S3, IAM, STS) on 127.0.0.1");
  // Only what the demo uses: the Schema Registry is for topics in the Confluent wire format.
  const stack = await up(["kafka", "moto"]);
  started = stack.started;
  console.log(`Kafka at ${stack.kafkaBrokers}, S3 at ${stack.s3Endpoint}${started.length ? "" : " (already running)"}`);

  step("Setting up the bucket, the least-privilege IAM user and its key, and the sink (key kept in the keychain)");
  await streamdrop(["setup", "s3", bucket, "--create-bucket", "--path-prefix", "events", "--sink", "s3", "--endpoint", stack.s3Endpoint], { quiet: true });
  console.log(await streamdrop(["policy", bucket, "--path-prefix", "events"], { quiet: true }));

  step("Creating the demo stream (a topic with 3 partitions)");
  await streamdrop(["create", "stream", "demo", "--bootstrap-servers", stack.kafkaBrokers, "--create-topic", "--partitions", "3"], { quiet: true });

  step(`Creating the batch exporter: a file every ${interval} s`);
  await streamdrop(["create", "batch-exporter", "demo", "--sink", "s3", "--interval", String(interval)], { quiet: true });

  step(`Exporting for about ${runSeconds} s while simulated clickstream events come in`);
  const run = background(["run", "--progress-every", "10"]);
  await sleep(3000);
  let sent = 0;
  const simulate = background(["simulate", "random-events", "demo", "--rate", "200", "--sessions", "50"], (line) => {
    const match = /^Sent (\d+) events/.exec(line);
    if (match) sent = Number(match[1]);
  });
  await sleep(runSeconds * 1000);
  await stop(simulate);
  // One more interval, so the last events are stored before stopping.
  await sleep((interval + 3) * 1000);
  await stop(run);

  step("Files written (from the export log)");
  await streamdrop(["files", "s3-demo"]);

  step("Checking the bucket with the admin key (the exporter's own key cannot read)");
  const s3 = new S3Client({
    endpoint: stack.s3Endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
  });
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "events/" }));
  const dataKeys = (listed.Contents ?? []).map((object) => object.Key!).filter((key) => !key.includes(".strm_test_"));
  const bodies = await Promise.all(dataKeys.map(async (key) => (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString()));
  const lines = bodies.flatMap((body) => body.split("\n").filter(Boolean));
  // Each simulated event differs (nonce, timestamp, session): a doubled event shows as a repeated line.
  const distinct = new Set(lines).size;
  console.log(`${sent} events simulated; ${lines.length} events in ${dataKeys.length} files under s3://${bucket}/events/ (${distinct} distinct).`);
  console.log(`A sample line from ${dataKeys[0]}:`);
  console.log(lines[0]);
  if (lines.length !== sent || distinct !== sent) throw new Error(`Expected ${sent} events exactly once, found ${lines.length} (${distinct} distinct).`);
  console.log("Every simulated event is in the bucket exactly once.");
}

async function cleanUp(): Promise<void> {
  for (const child of children) await stop(child).catch(() => undefined);
  if (started.length > 0) {
    step(`Stopping what the demo started (${started.join(", ")})`);
    await down(started);
  }
  rmSync(home, { recursive: true, force: true });
}

main()
  .then(cleanUp)
  .then(() => console.log("\nDemo done."))
  .catch(async (error: unknown) => {
    console.error(`\nDemo failed: ${(error as Error).message}`);
    await cleanUp();
    process.exit(1);
  });
