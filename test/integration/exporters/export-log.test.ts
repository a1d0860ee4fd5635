// The export log is the user's only inventory (the least-privilege key cannot list the bucket),
// so it must hold every stored file: after `streamdrop run` is killed -9 ten times while
// exporting, the data files in the bucket (read with admin credentials) are exactly the files in
// the log. A log that cannot be written (a full disk) stops the exporter with a message, and
// nothing goes missing from it once the disk has room again.
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { kafka, s3Client, uniqueName } from "../../support/clients.js";
import { CliEnv, runCli, streamdropBin } from "../../support/cli.js";
import { duplicatesAndMissing, isDataFile } from "../../support/export-harness.js";

const { dataDir: home, env } = new CliEnv("export-log", { awsKey: true });
const s3 = s3Client(inject("s3Endpoint"));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const producer = kafka(inject("kafkaBrokers")).producer();
const runs: ChildProcess[] = [];

async function ok(...args: string[]) {
  const run = await runCli(args, env);
  expect(run.code, `streamdrop ${args.join(" ")}: ${run.stderr}`).toBe(0);
  return run;
}

function startRun(): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [streamdropBin, "run", "--progress-every", "1"], { env, stdio: ["ignore", "ignore", "pipe"] });
  let output = "";
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk));
  runs.push(child);
  return { child, output: () => output };
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once("exit", () => resolve()));

async function bucketFiles(bucket: string): Promise<Array<{ key: string; body: string }>> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((object) => object.Key!));
    token = page.NextContinuationToken;
  } while (token);
  return Promise.all(
    keys
      .filter(isDataFile)
      .map(async (key) => ({ key, body: await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString() })),
  );
}

const ids = (files: Array<{ body: string }>) =>
  files.flatMap((file) =>
    file.body
      .split("\n")
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { id: string }).id),
  );
const loggedKeys = async (exporter: string) =>
  (JSON.parse((await ok("files", exporter, "-o", "json")).stdout).files as Array<{ key: string; kind: string }>)
    .filter((entry) => entry.kind !== "validation")
    .map((entry) => entry.key)
    .sort();

async function produce(topic: string, prefix: string, count: number): Promise<string[]> {
  const sent = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  for (let i = 0; i < count; i += 100)
    await producer.send({ topic, messages: sent.slice(i, i + 100).map((id) => ({ key: id, value: JSON.stringify({ id }) })) });
  return sent;
}

async function setUpExporter(name: string): Promise<{ bucket: string; topic: string }> {
  const bucket = uniqueName(name);
  const topic = uniqueName(name);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await ok("create", "sink", name, bucket, "--use-default-credentials", "--endpoint", inject("s3Endpoint"), "--path-prefix", "events");
  await ok("create", "stream", name, "--bootstrap-servers", inject("kafkaBrokers"), "--topic", topic, "--create-topic", "--partitions", "3");
  await ok("create", "batch-exporter", name, "--sink", name, "--name", name, "--interval", "1", "--include-existing-events");
  return { bucket, topic };
}

beforeAll(() => producer.connect(), 30_000);
afterAll(async () => {
  for (const child of runs) child.kill("SIGKILL");
  await producer.disconnect();
});

it("lists exactly the data files in the bucket after ten kill -9s of run", { timeout: 420_000 }, async () => {
  const { bucket, topic } = await setUpExporter("killed");
  const produced: string[] = [];
  for (let kill = 0; kill < 10; kill += 1) {
    produced.push(...(await produce(topic, `k${kill}`, 400)));
    const { child } = startRun();
    await sleep(2500 + Math.random() * 3000);
    child.kill("SIGKILL");
    await exited(child);
  }
  const last = startRun();
  const deadline = Date.now() + 180_000;
  let files = await bucketFiles(bucket);
  while (duplicatesAndMissing(produced, ids(files)).missing.length > 0 && Date.now() < deadline) {
    await sleep(1000);
    files = await bucketFiles(bucket);
  }
  await sleep(3000); // Let the last done commits and log entries land.
  last.child.kill("SIGINT");
  await exited(last.child);
  files = await bucketFiles(bucket);
  expect(duplicatesAndMissing(produced, ids(files))).toEqual({ missing: [], doubled: [], unexpected: [] });
  expect(await loggedKeys("killed")).toEqual(files.map((file) => file.key).sort());
});

it("stops with a message when the export log cannot be written, and logs the file once it can", { timeout: 180_000 }, async () => {
  const { bucket, topic } = await setUpExporter("full");
  const exporter = JSON.parse((await ok("get", "batch-exporter", "full")).stdout) as { id: string };
  // Every write to the log then fails as on a full disk: /dev/full answers each one with ENOSPC.
  const log = join(home, "exports", `${exporter.id}.jsonl`);
  rmSync(log, { force: true });
  symlinkSync("/dev/full", log);
  const produced = await produce(topic, "full", 300);
  const first = startRun();
  const deadline = Date.now() + 60_000;
  while (!/full: error, .*needs attention: Cannot write the export log/.test(first.output()) && Date.now() < deadline) await sleep(250);
  first.child.kill("SIGINT");
  await exited(first.child);
  expect(first.output()).toMatch(
    new RegExp(
      `needs attention: Cannot write the export log ${log.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: the disk is full \\(ENOSPC\\)\\. Free some disk space so the exporter can go on`,
    ),
  );

  // Room again: the file stored before the failure is re-created from its intent and logged.
  rmSync(log);
  const second = startRun();
  const until = Date.now() + 90_000;
  let files = await bucketFiles(bucket);
  while (duplicatesAndMissing(produced, ids(files)).missing.length > 0 && Date.now() < until) {
    await sleep(1000);
    files = await bucketFiles(bucket);
  }
  await sleep(3000);
  second.child.kill("SIGINT");
  await exited(second.child);
  files = await bucketFiles(bucket);
  expect(duplicatesAndMissing(produced, ids(files))).toEqual({ missing: [], doubled: [], unexpected: [] });
  expect(await loggedKeys("full")).toEqual(files.map((file) => file.key).sort());
});
