// The least-privilege policy follows the exporter's compression, under moto's IAM enforcement: a
// gzip exporter's validation is refused with the plain policy (the message names the resource to
// add) and allowed with the gzip one, which still lets the sink validate and writes no plain file.
// Path templates need nothing more: the policy's `*` spans `/`, so templated keys are allowed.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batchFileKey } from "../../../main/core/exporters/file-names.js";
import { leastPrivilegePolicy } from "../../../main/core/stores/s3/aws/policy.js";
import { s3Client } from "../../support/clients.js";
import { testCore, type TestCore } from "../../support/core.js";
import { createUser, iamClient, type TestUser } from "../../support/iam.js";
import { startPrivateMoto, type PrivateMoto } from "../../support/moto-private.js";

const bucket = "compression-bucket";
let moto: PrivateMoto;
let core: TestCore;
const users: Record<string, TestUser> = {};

beforeAll(async () => {
  moto = await startPrivateMoto();
  const setupKey = { accessKeyId: "AKIASETUPSETUPSETUP0", secretAccessKey: "setup-only" };
  await s3Client(moto.endpoint, setupKey).send(new CreateBucketCommand({ Bucket: bucket }));
  const iam = iamClient(moto.endpoint, setupKey);
  const dir = mkdtempSync(join(tmpdir(), "streamdrop-iam-compression-"));
  users.plain = await createUser(iam, dir, "plain", leastPrivilegePolicy(bucket, "events").Statement);
  users.gzip = await createUser(iam, dir, "gzip", leastPrivilegePolicy(bucket, "events", ["gzip"]).Statement);
  users.switching = await createUser(iam, dir, "switching", leastPrivilegePolicy(bucket, "events", ["none", "gzip"]).Statement);
  await moto.enforceIam();
  core = testCore();
});

afterAll(async () => {
  await moto?.stop();
});

const createSink = (name: string, user: TestUser) =>
  core.sinks.create({ name, bucket, credentials: { from: "file", path: user.credentialsFile }, endpoint: moto.endpoint, pathPrefix: "events" });

describe("the policy and compression, with IAM enforcement", () => {
  it("refuses a gzip exporter's validation under the plain policy, naming the resource to allow", async () => {
    const { sink } = await createSink("plain", users.plain!);
    await expect(core.sinks.validateAt(sink, "events", "gzip")).rejects.toThrow(
      `The credentials' policy must allow s3:PutObject on arn:aws:s3:::${bucket}/events/*.jsonl.gz`,
    );
    await expect(core.sinks.validateAt(sink, "events", "none")).resolves.toMatchObject({ key: expect.stringMatching(/\.jsonl$/) });
  });

  it("allows it under the gzip policy, which still validates the sink and allows no plain data file", async () => {
    const { sink } = await createSink("gzip", users.gzip!);
    const validation = await core.sinks.validateAt(sink, "events", "gzip");
    expect(validation.key).toMatch(/^events\/\.strm_test_[0-9a-f-]{36}\.jsonl\.gz$/);
    const writer = s3Client(moto.endpoint, users.gzip!.key);
    await expect(writer.send(new PutObjectCommand({ Bucket: bucket, Key: "events/2026-12-01T00:00:00-t---0.jsonl", Body: "{}\n" }))).rejects.toMatchObject({
      name: "AccessDenied",
    });
    await expect(writer.send(new PutObjectCommand({ Bucket: bucket, Key: "events/2026-12-01T00:00:00-t---0.jsonl.gz", Body: "x" }))).resolves.toBeDefined();
  });

  it("allows both while an exporter switches", async () => {
    const { sink } = await createSink("switching", users.switching!);
    await expect(core.sinks.validateAt(sink, "events", "gzip")).resolves.toBeDefined();
    await expect(core.sinks.validateAt(sink, "events", "none")).resolves.toBeDefined();
  });
});

describe("the policy and path templates, with IAM enforcement", () => {
  const name = { prefix: "events", time: Date.UTC(2026, 11, 2, 4, 5, 6) / 1000, topic: "clicks", partitions: [0, 1], counter: 0 };

  it.each([
    ["plain", "none", "dt={date}/hour={hour}"],
    ["gzip", "gzip", "{topic}/{yyyy}/{MM}/{dd}/{HH}"],
  ] as const)("allows the %s policy's templated keys, and only its suffix, only under its prefix", async (user, compression, template) => {
    const writer = s3Client(moto.endpoint, users[user]!.key);
    const key = batchFileKey({ ...name, template }, "events", compression);
    expect(key.split("/").length).toBeGreaterThan(3);
    await expect(writer.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: "x" }))).resolves.toBeDefined();
    await expect(
      writer.send(new PutObjectCommand({ Bucket: bucket, Key: batchFileKey({ ...name, template }, "invalid", compression), Body: "x" })),
    ).resolves.toBeDefined();
    const other = compression === "none" ? "gzip" : "none";
    await expect(
      writer.send(new PutObjectCommand({ Bucket: bucket, Key: batchFileKey({ ...name, template }, "events", other), Body: "x" })),
    ).rejects.toMatchObject({ name: "AccessDenied" });
    await expect(
      writer.send(new PutObjectCommand({ Bucket: bucket, Key: batchFileKey({ ...name, prefix: "elsewhere", template }, "events", compression), Body: "x" })),
    ).rejects.toMatchObject({ name: "AccessDenied" });
  });
});
