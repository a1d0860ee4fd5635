// The edges an adversarial probe found in the CLI, through the built command: each gets a clear
// message, no stack trace, and leaves nothing behind. Also: the data folder is the user's alone.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { kafka, s3Client, uniqueName } from "../support/clients.js";
import { CliEnv, runCli, streamdropBin } from "../support/cli.js";

const { dataDir: home, env } = new CliEnv("edges", { awsKey: true });
const bucket = uniqueName("edges");
const topic = uniqueName("edges");

/** A run that must fail with `message`, cleanly: exit 1, the message, and no stack trace. */
async function refused(args: string[], message: string, environment: NodeJS.ProcessEnv = env) {
  const run = await runCli(args, environment);
  expect(run.code, `${args.join(" ")}: ${run.stdout}${run.stderr}`).toBe(1);
  expect(run.stderr).toContain(message);
  expect(run.stderr).not.toMatch(/\n\s+at |unexpected error|KafkaJS\w+Error/);
}

/** `streamdrop run ...` until its output matches `until` (or the time is up), then Ctrl-C; what it printed. */
async function runFor(args: string[], until: RegExp, timeoutMs: number): Promise<string> {
  const run = spawn(process.execPath, [streamdropBin, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  run.stderr.on("data", (chunk: Buffer) => (output += chunk));
  const exited = new Promise((resolve) => run.once("exit", resolve));
  const deadline = Date.now() + timeoutMs;
  while (!until.test(output) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
  run.kill("SIGINT");
  await exited;
  return output;
}

async function ok(...args: string[]) {
  const run = await runCli(args, env);
  expect(run.code, `streamdrop ${args.join(" ")}: ${run.stderr}`).toBe(0);
  return run;
}

beforeAll(async () => {
  await s3Client(inject("s3Endpoint")).send(new CreateBucketCommand({ Bucket: bucket }));
  await ok("create", "sink", "s3", bucket, "--use-default-credentials", "--endpoint", inject("s3Endpoint"), "--path-prefix", "events");
  await ok("create", "stream", "edges", "--bootstrap-servers", inject("kafkaBrokers"), "--topic", topic, "--create-topic", "--partitions", "2");
  await ok("create", "batch-exporter", "edges", "--sink", "s3", "--interval", "1", "--include-existing-events");
}, 60_000);

describe("run", () => {
  it.each(["0", "-1", "abc", "1.5"])("refuses --progress-every %s", async (every) => {
    await refused(
      ["run", "--progress-every", every],
      every === "0"
        ? "--progress-every must be from 1 to 3600 (got 0)."
        : `--progress-every must be a whole number written in digits, such as 60 (got ${JSON.stringify(every)}).`,
    );
  });

  it("refuses an exporter that does not exist, naming those that do", async () => {
    await refused(["run", "--exporter", "ghost"], "There is no batch exporter named ghost. The exporters are: s3-edges.");
  });
});

describe("inputs that would silently mean something else", () => {
  it("refuses numbers that are not plain digits", async () => {
    await refused(
      ["create", "batch-exporter", "edges", "--sink", "s3", "--name", "hex", "--interval", "0x10"],
      '--interval must be a whole number written in digits, such as 60 (got "0x10").',
    );
    await refused(
      ["create", "batch-exporter", "edges", "--sink", "s3", "--name", "exp", "--workers", "1e1"],
      "--workers must be a whole number written in digits",
    );
  });

  it("refuses an empty name rather than taking the default", async () => {
    await refused(["create", "batch-exporter", "edges", "--sink", "s3", "--name", ""], 'Invalid batch exporter name ""');
  });

  it("refuses a prefix of slashes only, and IAM wildcards in prefixes", async () => {
    await refused(
      ["create", "batch-exporter", "edges", "--sink", "s3", "--name", "root", "--path-prefix", "//"],
      'Invalid path prefix "//": it is only slashes; leave the prefix out to write at the bucket root.',
    );
    await refused(["policy", bucket, "--path-prefix", "ev*"], 'Invalid path prefix "ev*": it contains "*", which an IAM policy reads as a wildcard');
    await refused(
      ["create", "sink", "wild", bucket, "--use-default-credentials", "--endpoint", inject("s3Endpoint"), "--path-prefix", "${aws:username}"],
      "which an IAM policy reads as a variable",
    );
  });

  it("says an IPv6 literal cannot be reached by the Kafka client, and checks topic names before asking Kafka", async () => {
    await refused(
      ["create", "stream", "six", "--bootstrap-servers", "[::1]:9092"],
      'Bootstrap server "[::1]:9092" is an IPv6 address literal, which the Kafka client Streamdrop uses cannot connect to.',
    );
    await refused(
      ["create", "stream", "long", "--bootstrap-servers", inject("kafkaBrokers"), "--topic", "t".repeat(250), "--create-topic"],
      "has 250 characters; Kafka allows at most 249.",
    );
    await refused(
      ["create", "stream", "odd", "--bootstrap-servers", inject("kafkaBrokers"), "--topic", "no spaces"],
      'Topic name "no spaces" is not one Kafka allows',
    );
  });
});

describe("the AWS console's accessKeys.csv", () => {
  it("makes an S3 sink, the key going to the keychain only", async () => {
    const csv = join(mkdtempSync(join(tmpdir(), "streamdrop-csv-")), "accessKeys.csv");
    const secret = uniqueName("not-a-real-secret");
    writeFileSync(csv, `\uFEFFAccess key ID,Secret access key\r\nAKIACONSOLECSVTEST00,${secret}\r\n`);
    const created = await ok("create", "sink", "from-csv", bucket, "--credentials-file", csv, "--endpoint", inject("s3Endpoint"), "--path-prefix", "events");
    expect(created.stdout).not.toContain(secret);
    expect(JSON.parse((await ok("get", "sink", "from-csv")).stdout)).toMatchObject({
      sink: { sinkType: "S3", bucket: { bucketName: bucket, credentials: "keychain" } },
    });
  });
});

describe("a full disk", () => {
  const full = join(tmpdir(), uniqueName("streamdrop-full"));

  beforeAll(() => {
    mkdirSync(full);
    // A tiny filesystem of its own, filled up: a real ENOSPC from the kernel.
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", full], { stdio: "pipe" });
    } catch (error) {
      throw new Error(
        `This test mounts a 64 KiB tmpfs to fill it, which needs root (or CAP_SYS_ADMIN): ${(error as { stderr?: Buffer }).stderr?.toString().trim() ?? (error as Error).message}`,
      );
    }
  });
  afterAll(() => {
    try {
      execFileSync("umount", [full], { stdio: "pipe" });
    } catch {
      // Already gone.
    }
  });

  it("says the disk is full, changes nothing and leaves no temp file", async () => {
    const fullEnv = { ...env, STREAMDROP_HOME: full };
    const first = await runCli(["create", "stream", "first", "--bootstrap-servers", inject("kafkaBrokers"), "--topic", topic], fullEnv);
    expect(first.code, first.stderr).toBe(0);
    const before = statSync(join(full, "config.json")).size;
    writeFileSync(join(full, "filler"), Buffer.alloc(0));
    try {
      execFileSync("sh", ["-c", `cat /dev/zero > ${join(full, "filler")}`], { stdio: "pipe" });
    } catch {
      // Stops at ENOSPC: the disk is full now.
    }
    await refused(
      ["create", "stream", "second", "--bootstrap-servers", inject("kafkaBrokers"), "--topic", topic],
      "the disk is full (ENOSPC). Nothing was changed. Free some disk space and try again.",
      fullEnv,
    );
    expect(readdirSync(full).filter((name) => name.endsWith(".tmp"))).toEqual([]);
    expect(statSync(join(full, "config.json")).size).toBe(before);
  });
});

describe("an exporter whose bucket is gone", () => {
  it("says that the bucket does not exist", { timeout: 60_000 }, async () => {
    const s3 = s3Client(inject("s3Endpoint"));
    const doomed = uniqueName("gone");
    await s3.send(new CreateBucketCommand({ Bucket: doomed }));
    await ok("create", "sink", "gone", doomed, "--use-default-credentials", "--endpoint", inject("s3Endpoint"));
    await ok("create", "batch-exporter", "edges", "--sink", "gone", "--interval", "1");
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: doomed }));
    for (const object of listed.Contents ?? []) await s3.send(new DeleteObjectCommand({ Bucket: doomed, Key: object.Key! }));
    await s3.send(new DeleteBucketCommand({ Bucket: doomed }));
    // Its start writes no validation file (nothing it proves changed since the exporter was
    // created): the first file of events is where the missing bucket shows.
    const producer = kafka(inject("kafkaBrokers")).producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: '{"id":"gone-1"}' }] });
    await producer.disconnect();
    const output = await runFor(
      ["run", "--exporter", "gone-edges", "--progress-every", "1"],
      new RegExp(`needs attention: Bucket ${doomed} does not exist`),
      30_000,
    );
    expect(output).toMatch(
      new RegExp(
        `gone-edges: error, .*needs attention: Bucket ${doomed} does not exist at ${inject("s3Endpoint")}\\. Check the name, or create the bucket first\\.`,
      ),
    );
    expect(output).not.toContain("credentials or policy");
  });
});

describe("the data folder", () => {
  it("is private to the user, with everything under it", { timeout: 60_000 }, async () => {
    const producer = kafka(inject("kafkaBrokers")).producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: '{"id":1}' }] });
    await producer.disconnect();
    await runFor(["run", "--exporter", "s3-edges", "--progress-every", "1"], /s3-edges: running, [1-9]\d* events/, 30_000);
    const mode = (path: string) => statSync(path).mode & 0o777;
    for (const dir of ["logs", "exports", "status"]) expect(mode(join(home, dir)).toString(8), dir).toBe("700");
    for (const dir of ["logs", "exports", "status"])
      for (const file of readdirSync(join(home, dir))) expect(mode(join(home, dir, file)).toString(8), `${dir}/${file}`).toBe("600");
    expect(mode(join(home, "config.json")).toString(8)).toBe("600");
  });
});
