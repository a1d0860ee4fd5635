// `update stream` through the built CLI against the stack's broker (#34): moving a stream to the
// SASL/SCRAM listener, first with --dry-run (what changes, which exporters restart, nothing saved),
// then for real (checked against the topic there first, a wrong password refused with the stream
// left as it was), a password typed on stdin kept in the keychain only, and back without SASL.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import keytar from "keytar";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { stackScramUser } from "../../../stack/kafka.js";
import { kafka, s3Client, uniqueName } from "../../support/clients.js";
import { CliEnv, cliIn, runCli } from "../../support/cli.js";

const passwordVariable = "STREAMDROP_TEST_UPDATE_PASSWORD";
const cliEnv = new CliEnv("update-stream", { awsKey: true, env: { [passwordVariable]: stackScramUser.password } });
const { cli, ok } = cliIn(cliEnv.env);
const bucket = uniqueName("update-stream");
const topic = uniqueName("moving");
const stream = () => ok("get", "stream", "moving").then((run) => JSON.parse(run.stdout));

async function eventsIn(name: string): Promise<number> {
  const admin = kafka(inject("kafkaBrokers")).admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(name);
  await admin.disconnect();
  return offsets.reduce((total, partition) => total + Number(partition.high), 0);
}

beforeAll(async () => {
  await s3Client(inject("s3Endpoint")).send(new CreateBucketCommand({ Bucket: bucket }));
  await ok("create", "sink", "s3", bucket, "--use-default-credentials", "--endpoint", inject("s3Endpoint"));
  await ok("create", "stream", "moving", "--bootstrap-servers", inject("kafkaBrokers"), "--topic", topic, "--create-topic");
  await ok("create", "batch-exporter", "moving", "--sink", "s3", "--name", "running", "--path-prefix", "running");
  await ok("create", "batch-exporter", "moving", "--sink", "s3", "--name", "resting", "--path-prefix", "resting");
  await ok("pause", "batch-exporter", "resting");
}, 60_000);

describe("streamdrop update stream", () => {
  const toSasl = ["--bootstrap-servers", inject("kafkaSaslBrokers"), "--sasl-mechanism", "scram-sha-512", "--username", stackScramUser.username];

  it("says with --dry-run what changes and which exporters restart, and changes nothing", async () => {
    const dry = await ok("update", "stream", "moving", ...toSasl, "--password-env", passwordVariable, "--dry-run");
    expect(dry.stderr).toContain(`Bootstrap servers: ${inject("kafkaBrokers")} -> ${inject("kafkaSaslBrokers")}`);
    expect(dry.stderr).toContain(`SASL: none -> scram-sha-512, user streamdrop, password from $${passwordVariable}`);
    expect(dry.stderr).toContain("Batch exporters running restart with the new connection");
    expect(dry.stderr).toContain("Paused batch exporters resting use the new connection when resumed.");
    expect(dry.stderr).toContain("Dry run: stream moving is unchanged.");
    expect(JSON.parse(dry.stdout)).toEqual({
      dryRun: true,
      stream: "moving",
      changes: [
        { setting: "bootstrap-servers", before: inject("kafkaBrokers"), after: inject("kafkaSaslBrokers") },
        { setting: "sasl", before: "none", after: `scram-sha-512, user streamdrop, password from $${passwordVariable}` },
      ],
      restarts: ["running"],
      paused: ["resting"],
    });
    expect(await stream()).toMatchObject({ bootstrapServers: inject("kafkaBrokers") });
    expect((await stream()).sasl).toBeUndefined();
  });

  it("checks offline what it can in a dry run, and refuses nothing to change", async () => {
    const unset = await cli("update", "stream", "moving", ...toSasl, "--password-env", "STREAMDROP_TEST_NOT_SET", "--dry-run");
    expect(unset.code).toBe(1);
    expect(unset.stderr).toContain("The environment variable STREAMDROP_TEST_NOT_SET is not set. Set it with --password-env <variable>.");
    const nothing = await cli("update", "stream", "moving");
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain("Nothing to change: give at least one setting, such as --bootstrap-servers host:port.");
    const same = await ok("update", "stream", "moving", "--bootstrap-servers", inject("kafkaBrokers"), "--dry-run");
    expect(same.stderr).toContain("Nothing changes: stream moving already has these settings.");
    expect(JSON.parse(same.stdout)).toMatchObject({ changes: [], restarts: [] });
  });

  it("refuses a wrong password against the topic there, leaving the stream as it was", async () => {
    const wrong = await runCli(["update", "stream", "moving", ...toSasl], cliEnv.env, [], "not-the-password\n");
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`Kafka at ${inject("kafkaSaslBrokers")} refused the SASL credentials of user streamdrop`);
    expect(wrong.stderr + wrong.stdout).not.toContain("not-the-password");
    expect(await stream()).toMatchObject({ bootstrapServers: inject("kafkaBrokers") });
    expect(await keytar.findCredentials(cliEnv.keychainService)).toEqual([]);
  });

  it("moves the stream to SCRAM with a password typed on stdin, kept in the keychain only, and produces there", async () => {
    const moved = await runCli(["update", "stream", "moving", ...toSasl], cliEnv.env, [], `${stackScramUser.password}\n`);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stderr).toContain("SASL: none -> scram-sha-512, user streamdrop, a new password (kept in the keychain)");
    expect(JSON.parse(moved.stdout)).toMatchObject({
      bootstrapServers: inject("kafkaSaslBrokers"),
      sasl: { mechanism: "scram-sha-512", username: "streamdrop", password: "keychain" },
    });
    expect((await keytar.findCredentials(cliEnv.keychainService)).map((entry) => entry.password)).toEqual([stackScramUser.password]);
    expect(readFileSync(join(cliEnv.dataDir, "config.json"), "utf8")).not.toContain(stackScramUser.password);
    expect(moved.stdout + moved.stderr).not.toContain(stackScramUser.password);

    const before = await eventsIn(topic);
    await ok("simulate", "random-events", "moving", "--rate", "1000", "--count", "20");
    expect(await eventsIn(topic)).toBe(before + 20);
  });

  it("adds a Schema Registry and takes it away again, saying so first", async () => {
    const registry = inject("schemaRegistryUrl");
    const dry = await ok("update", "stream", "moving", "--schema-registry", registry, "--dry-run");
    expect(JSON.parse(dry.stdout).changes).toEqual([{ setting: "schema-registry", before: "none", after: registry.replace(/\/+$/, "") }]);
    const added = await ok("update", "stream", "moving", "--schema-registry", registry);
    expect(JSON.parse(added.stdout).schemaRegistry).toMatchObject({ url: registry.replace(/\/+$/, "") });
    const removed = await ok("update", "stream", "moving", "--no-schema-registry");
    expect(removed.stderr).toContain(`Schema Registry: ${registry.replace(/\/+$/, "")} -> none`);
    expect(JSON.parse(removed.stdout).schemaRegistry).toBeUndefined();
  });

  it("goes back to the plain listener without SASL, and the old password leaves the keychain", async () => {
    const dry = await ok("update", "stream", "moving", "--bootstrap-servers", inject("kafkaBrokers"), "--no-sasl", "--dry-run");
    expect(dry.stderr).toContain("SASL: scram-sha-512, user streamdrop, password in the keychain -> none");
    const back = await ok("update", "stream", "moving", "--bootstrap-servers", inject("kafkaBrokers"), "--no-sasl");
    expect(JSON.parse(back.stdout)).toMatchObject({ bootstrapServers: inject("kafkaBrokers") });
    expect(JSON.parse(back.stdout).sasl).toBeUndefined();
    expect(await keytar.findCredentials(cliEnv.keychainService)).toEqual([]);
    const conflicting = await cli("update", "stream", "moving", "--no-sasl", "--username", "someone");
    expect(conflicting.stderr).toContain("--no-sasl cannot go with --username.");
  });
});
