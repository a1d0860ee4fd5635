// The window's management calls through the real dispatch and handlers, on the real core, Kafka and
// a moto with IAM enforcement: the app's IAM key rotated (old key deleted, sink still writing),
// credentials replaced from a CSV, a sink name taken refused with fixes instead of overwritten,
// a stream's connection moved to the SCRAM listener, and an exporter's new prefix reviewed.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ListAccessKeysCommand } from "@aws-sdk/client-iam";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { stackScramUser } from "../../stack/kafka.js";
import { kafka, s3Client, uniqueName } from "../support/clients.js";
import { testCore, type TestCore } from "../support/core.js";
import { createUser, iamClient, type TestUser } from "../support/iam.js";
import { leastPrivilegePolicy } from "../../main/core/stores/s3/aws/policy.js";
import { startPrivateMoto, type PrivateMoto } from "../support/moto-private.js";
import { windowCalls, type WindowCall } from "../support/window-calls.js";

let moto: PrivateMoto;
let admin: TestUser;
let core: TestCore;
let call: WindowCall;
const bucket = uniqueName("managed").slice(0, 40);
const topic = uniqueName("managed");

beforeAll(async () => {
  moto = await startPrivateMoto();
  const setup = { accessKeyId: "AKIASETUPSETUPSETUP0", secretAccessKey: "setup-only" };
  await s3Client(moto.endpoint, setup).send(new CreateBucketCommand({ Bucket: bucket }));
  admin = await createUser(iamClient(moto.endpoint, setup), mkdtempSync(join(tmpdir(), "streamdrop-manage-calls-")), "admin", [
    { Effect: "Allow", Action: "*", Resource: "*" },
  ]);
  await moto.enforceIam();
  const kafkaAdmin = kafka(inject("kafkaBrokers")).admin();
  await kafkaAdmin.connect();
  await kafkaAdmin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await kafkaAdmin.disconnect();
  core = testCore();
  call = windowCalls(core);
}, 60_000);

afterAll(() => moto?.stop());

const adminKey = () => ({ from: "key" as const, accessKeyId: admin.key.accessKeyId, secretAccessKey: admin.key.secretAccessKey });

async function keysOf(userName: string): Promise<string[]> {
  const listed = await iamClient(moto.endpoint, admin.key).send(new ListAccessKeysCommand({ UserName: userName }));
  return (listed.AccessKeyMetadata ?? []).map((key) => key.AccessKeyId!);
}

describe("sinks", () => {
  it("rotates the key of the IAM user the app made: a new key writes, the old one is gone", { timeout: 120_000 }, async () => {
    const made = await call("aws:setupS3", { bucket, pathPrefix: "events", createBucket: false, endpoint: moto.endpoint, sinkName: "lake", admin: adminKey() });
    expect(made.ok, JSON.stringify(made)).toBe(true);
    if (!made.ok) return;
    expect(made.value.sink.iamUser).toBe(`streamdrop-${bucket}`);
    const before = made.value.accessKeyId;

    const rotated = await call("sinks:rotateKey", { name: "lake", admin: adminKey() });
    expect(rotated.ok, JSON.stringify(rotated)).toBe(true);
    if (!rotated.ok) return;
    expect(rotated.value.accessKeyId).not.toBe(before);
    expect(await keysOf(`streamdrop-${bucket}`)).toEqual([rotated.value.accessKeyId]);
    const validated = await call("sinks:validate", { name: "lake" });
    expect(validated).toMatchObject({ ok: true, value: { validationFile: expect.stringMatching(new RegExp(`^s3://${bucket}/events/\\.strm_test_`)) } });
  });

  it("refuses a sink name that is taken, offering another name or new credentials, and replaces credentials from a CSV", { timeout: 60_000 }, async () => {
    const writer = await createUser(iamClient(moto.endpoint, admin.key), mkdtempSync(join(tmpdir(), "streamdrop-manage-calls-")), "csv-writer", [
      { Effect: "Allow", Action: "s3:GetBucketLocation", Resource: `arn:aws:s3:::${bucket}` },
      { Effect: "Allow", Action: "s3:PutObject", Resource: `arn:aws:s3:::${bucket}/events/*` },
    ]);
    const csv = `Access key ID,Secret access key\n${writer.key.accessKeyId},${writer.key.secretAccessKey}\n`;
    const taken = await call("sinks:create", {
      name: "lake",
      bucket,
      credentialsJson: csv,
      credentialsLabel: "accessKeys.csv",
      endpoint: moto.endpoint,
      pathPrefix: "events",
    });
    expect(taken).toEqual({
      ok: false,
      error: {
        code: "conflict",
        message: "A sink named lake already exists.",
        fixes: [
          { id: "set", setting: "sink-name" },
          { id: "replace-credentials", sink: "lake" },
        ],
      },
    });

    const replaced = await call("sinks:replaceCredentials", { name: "lake", credentialsJson: csv, credentialsLabel: "accessKeys.csv" });
    expect(replaced.ok, JSON.stringify(replaced)).toBe(true);
    if (!replaced.ok) return;
    // The key is no longer the app's IAM user's: it cannot be rotated from the app.
    expect(replaced.value.sink.iamUser).toBeUndefined();
    const lake = await core.sinks.get("lake");
    expect(lake.type === "S3" && (await core.sinks.secretOf(lake))?.accessKeyId).toBe(writer.key.accessKeyId);
    expect((await core.keychainEntries()).map((entry) => entry.password).join()).toContain(writer.key.secretAccessKey);
    expect(JSON.stringify(replaced)).not.toContain(writer.key.secretAccessKey);
  });
});

describe("streams and exporters", () => {
  it("moves a stream to the SCRAM listener, checking the topic answers there first", { timeout: 60_000 }, async () => {
    expect((await call("streams:create", { name: "orders", bootstrapServers: inject("kafkaBrokers"), topic })).ok).toBe(true);
    const wrong = await call("streams:update", {
      name: "orders",
      bootstrapServers: inject("kafkaSaslBrokers"),
      sasl: { mechanism: "scram-sha-256", username: stackScramUser.username, password: "wrong" },
    });
    expect(wrong).toMatchObject({
      ok: false,
      error: { code: "credentials", message: expect.stringContaining("refused the SASL credentials of user streamdrop") },
    });
    expect((await core.streams.get("orders")).bootstrapServers).toEqual([inject("kafkaBrokers")]);

    const moved = await call("streams:update", {
      name: "orders",
      bootstrapServers: inject("kafkaSaslBrokers"),
      sasl: { mechanism: "scram-sha-256", username: stackScramUser.username, password: stackScramUser.password },
    });
    expect(moved).toMatchObject({
      ok: true,
      value: { bootstrapServers: [inject("kafkaSaslBrokers")], sasl: { mechanism: "scram-sha-256", username: "streamdrop" } },
    });
    expect((await core.streams.connection(await core.streams.get("orders"))).sasl).toMatchObject({ password: stackScramUser.password });
  });

  it("reviews an exporter's new prefix before saving it, and refuses one outside the sink's", { timeout: 60_000 }, async () => {
    expect(await call("exporters:create", { streamName: "orders", sinkName: "lake", name: "orders-lake" })).toMatchObject({
      ok: true,
      value: { name: "orders-lake", warnings: [] },
    });
    // Fields without value are taken, with the core's warning among the effects the window reviews.
    const keysOnly = await call("exporters:planUpdate", { name: "orders-lake", changes: { fields: ["key", "timestamp"] } });
    expect(keysOnly.ok && keysOnly.value.effects.map((effect) => effect.code)).toEqual(["line-format", "no-values", "restart"]);
    const outside = await call("exporters:planUpdate", { name: "orders-lake", changes: { pathPrefix: "elsewhere" } });
    expect(outside).toMatchObject({ ok: false, error: { code: "invalid-input", fixes: [{ id: "set", setting: "path-prefix" }] } });
    const plan = await call("exporters:planUpdate", { name: "orders-lake", changes: { pathPrefix: "events/orders", intervalSeconds: 10 } });
    expect(plan.ok && plan.value.effects.map((effect) => effect.code)).toEqual(["file-names", "policy", "file-names", "restart"]);
    const saved = await call("exporters:update", { name: "orders-lake", changes: { pathPrefix: "events/orders", intervalSeconds: 10 } });
    expect(saved).toMatchObject({ ok: true, value: { pathPrefix: "events/orders", intervalSeconds: 10 } });
  });

  it(
    "reviews a switch to gzip and to folders; the plain policy refuses gzip with the statement to add, and allows the folders",
    { timeout: 60_000 },
    async () => {
      // A sink whose key has exactly the plain least-privilege policy (*.jsonl under events/).
      const plain = await createUser(
        iamClient(moto.endpoint, admin.key),
        mkdtempSync(join(tmpdir(), "streamdrop-manage-calls-")),
        "plain-writer",
        leastPrivilegePolicy(bucket, "events").Statement,
      );
      const csv = `Access key ID,Secret access key\n${plain.key.accessKeyId},${plain.key.secretAccessKey}\n`;
      expect(
        (
          await call("sinks:create", {
            name: "plain-lake",
            bucket,
            credentialsJson: csv,
            credentialsLabel: "accessKeys.csv",
            endpoint: moto.endpoint,
            pathPrefix: "events",
          })
        ).ok,
      ).toBe(true);
      expect((await call("exporters:create", { streamName: "orders", sinkName: "plain-lake", name: "orders-folders" })).ok).toBe(true);
      const bad = await call("exporters:planUpdate", { name: "orders-folders", changes: { pathTemplate: "dt={day}" } });
      expect(bad).toMatchObject({
        ok: false,
        error: { code: "invalid-input", message: expect.stringContaining("Unknown token {day}"), fixes: [{ id: "set", setting: "path-template" }] },
      });
      const plan = await call("exporters:planUpdate", { name: "orders-folders", changes: { compression: "gzip", pathTemplate: "dt={date}/hour={hour}" } });
      if (!plan.ok) throw new Error(plan.error.message);
      expect(plan.value.effects.map((effect) => effect.code)).toEqual(["file-names", "policy", "file-names", "restart"]);
      expect(plan.value.effects[1]!.message).toContain("*.jsonl.gz");
      expect(plan.value.effects[2]!.message).toContain("folders dt={date}/hour={hour}/");
      // The plain policy: gzip files are refused, and the error carries the statement that allows them.
      const refused = await call("exporters:update", { name: "orders-folders", changes: { compression: "gzip" } });
      expect(refused).toMatchObject({
        ok: false,
        error: {
          fixes: [
            { id: "add-policy-statement", statement: { Effect: "Allow", Action: ["s3:PutObject"], Resource: `arn:aws:s3:::${bucket}/events/*.jsonl.gz` } },
          ],
        },
      });
      expect((await core.exporters.get("orders-folders")).compression).toBe("none");
      // Folders need nothing more: the policy's * spans /.
      const saved = await call("exporters:update", { name: "orders-folders", changes: { pathTemplate: "dt={date}/hour={hour}" } });
      expect(saved).toMatchObject({ ok: true, value: { pathTemplate: "dt={date}/hour={hour}" } });
      const removed = await call("exporters:update", { name: "orders-folders", changes: { pathTemplate: "" } });
      expect(removed.ok && removed.value).not.toHaveProperty("pathTemplate");
    },
  );
});
