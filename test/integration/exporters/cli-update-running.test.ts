// `update batch-exporter` on an exporter that `streamdrop run` is running (#34), as a headless
// server changes one: interval, compression and folders switched (--dry-run first), while events
// keep coming; every event lands in exactly one file across the change, the new files gzip in
// dt=/hour= folders, and the exporter's consumer group (its place in the topic) stays.
import { spawn } from "node:child_process";
import { gunzipSync } from "node:zlib";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { kafka, s3Client, uniqueName } from "../../support/clients.js";
import { CliEnv, cliIn, streamdropBin } from "../../support/cli.js";
import { duplicatesAndMissing, isDataFile } from "../../support/export-harness.js";

const { env } = new CliEnv("cli-update-running", { awsKey: true });
const { ok } = cliIn(env);
const bucket = uniqueName("update-running");
const topic = uniqueName("switched");
const s3 = s3Client(inject("s3Endpoint"));
const producer = kafka(inject("kafkaBrokers")).producer();
let sent = 0;

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await ok("create", "sink", "s3", bucket, "--use-default-credentials", "--endpoint", inject("s3Endpoint"), "--path-prefix", "events");
  await ok("create", "stream", "demo", "--bootstrap-servers", inject("kafkaBrokers"), "--topic", topic, "--create-topic", "--partitions", "2");
  await ok("create", "batch-exporter", "demo", "--sink", "s3", "--interval", "2");
  await producer.connect();
}, 60_000);

afterAll(() => producer.disconnect());

async function produce(count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `e-${sent + i}`);
  sent += count;
  await producer.send({ topic, messages: ids.map((id) => ({ value: JSON.stringify({ id }) })) });
  return ids;
}

/** The data files in the bucket, with their events' ids. */
async function stored(): Promise<Array<{ key: string; ids: string[] }>> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "events/" }));
  const files = (listed.Contents ?? []).map((object) => object.Key!).filter(isDataFile);
  return Promise.all(
    files.map(async (key) => {
      const bytes = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray());
      const text = (key.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8");
      return {
        key,
        ids: text
          .split("\n")
          .filter(Boolean)
          .map((line) => (JSON.parse(line) as { id: string }).id),
      };
    }),
  );
}

async function storedIds(wanted: string[], timeoutMs = 90_000): Promise<Array<{ key: string; ids: string[] }>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const files = await stored();
    const seen = new Set(files.flatMap((file) => file.ids));
    if (wanted.every((id) => seen.has(id)) || Date.now() > deadline) return files;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

it("switches interval, compression and folders of a running exporter, every event exactly once across the change", { timeout: 240_000 }, async () => {
  const idBefore = JSON.parse((await ok("get", "batch-exporter", "s3-demo")).stdout).id; // its consumer group derives from it
  const run = spawn(process.execPath, [streamdropBin, "run", "--progress-every", "1"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  run.stderr.on("data", (chunk: Buffer) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => run.once("exit", (code) => resolve(code)));
  try {
    const before = await produce(200);
    await storedIds(before);

    const change = ["update", "batch-exporter", "s3-demo", "--interval", "3", "--compression", "gzip", "--path-template", "dt={date}/hour={hour}"];
    const dry = await ok(...change, "--dry-run");
    expect(dry.stderr).toContain("New files end in .jsonl.gz instead of .jsonl");
    expect(dry.stderr).toContain("nothing of this save is kept, the other changes included");
    expect(dry.stderr).toContain("Dry run: batch exporter s3-demo is unchanged.");

    // Events arrive while the change is saved and the running workers restart with it (the engine
    // looks at the config every 2 s), and go on arriving for a while after.
    const during = produce(300);
    await ok(...change);
    const after = [...(await during)];
    for (let second = 0; second < 12; second += 1) {
      after.push(...(await produce(25)));
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const files = await storedIds([...before, ...after], 120_000);
    expect(
      duplicatesAndMissing(
        [...before, ...after],
        files.flatMap((file) => file.ids),
      ),
    ).toEqual({ missing: [], doubled: [], unexpected: [] });
    const newFiles = files.filter((file) => file.key.endsWith(".jsonl.gz"));
    expect(newFiles.length).toBeGreaterThan(0);
    for (const file of newFiles) expect(file.key).toMatch(/^events\/dt=\d{4}-\d\d-\d\d\/hour=\d\d\/[^/]+\.jsonl\.gz$/);
    expect(files.filter((file) => file.key.endsWith(".jsonl")).every((file) => /^events\/[^/]+\.jsonl$/.test(file.key))).toBe(true);
    expect(JSON.parse((await ok("get", "batch-exporter", "s3-demo")).stdout)).toMatchObject({ id: idBefore, interval: "3s", compression: "gzip" });
  } finally {
    run.kill("SIGINT");
    expect(await exited, output.slice(-2000)).toBe(0);
  }
});
