// The sink verbs through the built CLI, against moto and the real Secret Service: create, update
// (the key is rotated), delete; then no secret is anywhere but where it belongs.
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import keytar from "keytar";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { s3Client, uniqueName } from "../../support/clients.js";
import { CliEnv, runCli, type CliRun } from "../../support/cli.js";

const bucket = uniqueName("cli-sinks");
const dir = mkdtempSync(join(tmpdir(), "streamdrop-cli-"));

function keyFile(name: string, accessKeyId: string, secretAccessKey: string): string {
  const path = join(dir, name);
  const json = JSON.stringify(
    {
      AccessKey: {
        UserName: "strm-export-demo",
        AccessKeyId: accessKeyId,
        Status: "Active",
        SecretAccessKey: secretAccessKey,
        CreateDate: "2021-04-08T08:19:33+00:00",
      },
    },
    null,
    4,
  );
  writeFileSync(path, json.replace('"2021-04-08T08:19:33+00:00"', '"2021-04-08T08:19:33+00:00" // The actual date might differ'));
  return path;
}

function everyFileUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .map((entry) => join(root, entry))
    .filter((path) => statSync(path).isFile());
}

const environment = () => new CliEnv("cli-sinks");

beforeAll(async () => {
  await s3Client(inject("s3Endpoint")).send(new CreateBucketCommand({ Bucket: bucket }));
});

describe("streamdrop create/list/get/delete sink", () => {
  it("creates, rotates and deletes a sink; the secrets end up nowhere but the keychain, and leave it on delete", async () => {
    const { dataDir, keychainService, env } = environment();
    const endpoint = inject("s3Endpoint");
    const first = { id: "AKIAFIRSTFIRSTFIRST1", secret: `first-${uniqueName("secret")}` };
    const second = { id: "AKIASECONDSECONDSEC2", secret: `second-${uniqueName("secret")}` };
    const runs: CliRun[] = [];
    const cli = async (...args: string[]) => {
      const run = await runCli(args, env);
      runs.push(run);
      expect(run.stderr, `streamdrop ${args.join(" ")}`).not.toContain("streamdrop:");
      expect(run.code).toBe(0);
      return run;
    };

    const created = await cli(
      "create",
      "sink",
      "s3",
      bucket,
      "--credentials-file",
      keyFile("s3.json", first.id, first.secret),
      "--endpoint",
      endpoint,
      "--path-prefix",
      "/events/",
    );
    const view = JSON.parse(created.stdout);
    expect(view).toMatchObject({
      ref: { name: "s3" },
      sinkType: "S3",
      bucket: { bucketName: bucket, endpoint, region: "us-east-1", pathPrefix: "events", credentials: "keychain" },
    });
    const validationKey = (view.validation.file as string).replace(`s3://${bucket}/`, "");
    expect(validationKey).toMatch(/^events\/\.strm_test_[0-9a-f-]{36}\.jsonl$/);
    await s3Client(endpoint).send(new HeadObjectCommand({ Bucket: bucket, Key: validationKey }));
    expect((await keytar.findCredentials(keychainService)).map((entry) => JSON.parse(entry.password))).toEqual([
      { accessKeyId: first.id, secretAccessKey: first.secret },
    ]);

    const listed = await cli("list", "sinks", "-o", "json");
    expect(JSON.parse(listed.stdout).sinks.map((entry: { sink: { ref: { name: string } } }) => entry.sink.ref.name)).toEqual(["s3"]);
    expect((await cli("list", "sinks")).stdout).toMatch(/^NAME\s+TYPE\s+BUCKET.*\ns3\s+S3\s+/);
    expect(JSON.parse((await cli("get", "sink", "s3", "--recursive")).stdout)).toMatchObject({ sink: { ref: { name: "s3" } }, batchExporters: [] });

    const updated = await cli(
      "create",
      "sink",
      "s3",
      bucket,
      "--credentials-file",
      keyFile("s3-rotated.json", second.id, second.secret),
      "--endpoint",
      endpoint,
      "--path-prefix",
      "events",
    );
    expect(updated.stderr).toContain("Updated sink s3");
    expect(JSON.parse(updated.stdout).createdAt).toBe(view.createdAt);
    expect((await keytar.findCredentials(keychainService)).map((entry) => JSON.parse(entry.password))).toEqual([
      { accessKeyId: second.id, secretAccessKey: second.secret },
    ]);

    await cli("delete", "sink", "s3");
    expect(await keytar.findCredentials(keychainService)).toEqual([]);
    const gone = await runCli(["get", "sink", "s3"], env);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe('streamdrop: There is no sink named "s3". `streamdrop list sinks` shows the ones there are.\n');

    const files = everyFileUnder(dataDir);
    expect(files.some((path) => path.endsWith("config.json"))).toBe(true);
    expect(files.some((path) => path.endsWith("streamdrop.log"))).toBe(true);
    const everything = [...files.map((path) => readFileSync(path, "utf8")), ...runs.flatMap((run) => [run.stdout, run.stderr]), gone.stdout, gone.stderr].join(
      "\n",
    );
    for (const secret of [first.secret, second.secret, first.id, second.id]) expect(everything).not.toContain(secret);
  });

  it("prints the sink a dry run would create and changes nothing", async () => {
    const { dataDir, keychainService, env } = environment();
    const secret = uniqueName("dry-secret");
    const run = await runCli(
      [
        "create",
        "sink",
        "dry",
        bucket,
        "--credentials-file",
        keyFile("dry.json", "AKIADRYDRYDRYDRYDRY1", secret),
        "--endpoint",
        "http://127.0.0.1:1",
        "--region",
        "eu-west-1",
        "--path-prefix",
        "a/b/",
        "--dry-run",
      ],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      dryRun: true,
      sink: {
        ref: { name: "dry" },
        sinkType: "S3",
        bucket: { bucketName: bucket, endpoint: "http://127.0.0.1:1", region: "eu-west-1", pathPrefix: "a/b", credentials: "keychain" },
      },
    });
    expect(run.stdout + run.stderr).not.toContain(secret);
    expect(readdirSync(dataDir)).toEqual([]);
    expect(await keytar.findCredentials(keychainService)).toEqual([]);
  });

  it.each([
    [["create", "sink", "bad name", "b-u-c"], 'Invalid sink name "bad name"'],
    [
      ["create", "sink", "s3", "Bad_Bucket", "--use-default-credentials"],
      'Invalid bucket name "Bad_Bucket": an S3 bucket name may contain only lowercase letters',
    ],
    [["create", "sink", "s3", "good-bucket", "--use-default-credentials", "--path-prefix", "a//b"], 'Invalid path prefix "a//b": it has an empty segment'],
    [["create", "sink", "s3", "good-bucket"], "A sink needs credentials: give --credentials-file <file>"],
    [["create", "sink", "s3", "good-bucket", "--credentials-file", "/nonexistent/s3.json"], "Credentials file /nonexistent/s3.json does not exist."],
    [
      ["create", "sink", "s3", "good-bucket", "--use-default-credentials", "--endpoint", "ftp://x"],
      'Invalid endpoint "ftp://x": it must start with http:// or https://.',
    ],
    [["create", "sink", "s3", "good-bucket", "--use-default-credentials", "--assume-role-arn", "role"], 'Invalid role ARN "role"'],
    [["list", "sinks", "-o", "yaml"], "error: option '-o, --output <format>' argument 'yaml' is invalid. Allowed choices are json, table."],
  ])("refuses %j with a clear message on stderr and a non-zero exit", async (args, message) => {
    const { dataDir, env } = environment();
    const run = await runCli(args, env);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe("");
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it("refuses to delete a sink with linked exporters, naming them, unless --recursive", async () => {
    const { dataDir, keychainService, env } = environment();
    const created = await runCli(
      [
        "create",
        "sink",
        "linked",
        bucket,
        "--credentials-file",
        keyFile("linked.json", "AKIALINKEDLINKEDLIN1", uniqueName("secret")),
        "--endpoint",
        inject("s3Endpoint"),
      ],
      env,
    );
    expect(created.code).toBe(0);
    // Exporters arrive with the exporter engine; link two by hand in the shared config.
    const configFile = join(dataDir, "config.json");
    const config = JSON.parse(readFileSync(configFile, "utf8"));
    const exporter = (name: string) => ({
      id: crypto.randomUUID(),
      name,
      streamName: "demo",
      sinkName: "linked",
      intervalSeconds: 60,
      includeExistingEvents: false,
      workers: 1,
      maxBatchBytes: 64 << 20,
      paused: false,
      createdAt: new Date().toISOString(),
    });
    config.batchExporters = [exporter("linked-demo"), exporter("linked-other")];
    writeFileSync(configFile, JSON.stringify(config));

    const refused = await runCli(["delete", "sink", "linked"], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      "streamdrop: Cannot delete sink with name linked, as it still has exporters linked to it: linked-demo, linked-other. Delete those first. Or add --recursive to delete them with it.\n",
    );
    const recursive = await runCli(["delete", "sink", "linked", "--recursive"], env);
    expect(recursive.code).toBe(0);
    expect(recursive.stderr).toBe("Deleted sink linked and its batch exporters linked-demo, linked-other.\n");
    expect(JSON.parse(readFileSync(configFile, "utf8"))).toMatchObject({ sinks: [], batchExporters: [] });
    expect(await keytar.findCredentials(keychainService)).toEqual([]);
  });
});

describe("--use-default-credentials", () => {
  // Never let the SDK look for an instance role: that would leave 127.0.0.1.
  const noImds = { AWS_EC2_METADATA_DISABLED: "true", AWS_CONFIG_FILE: "/nonexistent", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent" };

  it("uses the AWS default credential chain and stores nothing in the keychain", async () => {
    const { dataDir, keychainService, env } = environment();
    const secret = uniqueName("env-secret");
    const chain = { ...env, ...noImds, AWS_ACCESS_KEY_ID: "AKIAENVENVENVENVENV1", AWS_SECRET_ACCESS_KEY: secret };
    const run = await runCli(["create", "sink", "server", bucket, "--use-default-credentials", "--endpoint", inject("s3Endpoint")], chain);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).bucket.credentials).toBe("default-chain");
    expect(await keytar.findCredentials(keychainService)).toEqual([]);
    expect(readFileSync(join(dataDir, "config.json"), "utf8")).not.toContain(secret);
  });

  it("says when the default chain has no credentials", async () => {
    const { env } = environment();
    const bare = Object.fromEntries(
      Object.entries({ ...env, ...noImds }).filter(([name]) => !name.startsWith("AWS_ACCESS") && !name.startsWith("AWS_SECRET") && name !== "AWS_PROFILE"),
    );
    const run = await runCli(["create", "sink", "server", bucket, "--use-default-credentials", "--endpoint", inject("s3Endpoint")], bare);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("No AWS credentials were found in the default credential chain");
  });
});

describe("keychain trouble", () => {
  const createArgs = () => [
    "create",
    "sink",
    "s3",
    bucket,
    "--credentials-file",
    keyFile(`${uniqueName("k")}.json`, "AKIAKEYCHAINKEYCHAI1", "keychain-trouble-secret"),
    "--endpoint",
    inject("s3Endpoint"),
  ];

  it("says there is no Secret Service, and writes nothing", async () => {
    const { dataDir, env } = environment();
    const run = await runCli(createArgs(), { ...env, DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/bus" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("streamdrop: Could not store a secret in the OS keychain: no Secret Service is available");
    expect(run.stderr).toContain("Start and unlock a keyring such as gnome-keyring or KWallet");
    expect(run.stderr).not.toContain("keychain-trouble-secret");
    expect(readdirSync(dataDir).filter((name) => name === "config.json")).toEqual([]);
  });

  it("says the keychain is locked, and writes nothing", async () => {
    const { dataDir, env } = environment();
    const run = await runCli(createArgs(), env, ["dbus-run-session", "--", join(import.meta.dirname, "../../support/locked-keychain.sh")]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("streamdrop: Could not store a secret in the OS keychain because it is locked");
    expect(run.stderr).toContain("Unlock it");
    expect(readdirSync(dataDir).filter((name) => name === "config.json")).toEqual([]);
  });
});
