// Sink validation against moto with IAM enforcement on: the least-privilege policy is enough,
// and each missing permission or bad setting fails with a message naming it, saving nothing.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateRoleCommand, DeleteAccessKeyCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { CreateBucketCommand as S3CreateBucket, HeadObjectCommand } from "@aws-sdk/client-s3";

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leastPrivilegePolicy } from "../../../main/core/stores/s3/aws/policy.js";
import type { SinkInput } from "../../../main/core/sinks/sink-options.js";
import { s3Client } from "../../support/clients.js";
import { testCore, type TestCore } from "../../support/core.js";
import { createUser, iamClient, type TestUser } from "../../support/iam.js";
import { startPrivateMoto, type PrivateMoto } from "../../support/moto-private.js";

const bucket = "validation-bucket";
const euBucket = "validation-bucket-eu";
const roleArn = "arn:aws:iam::123456789012:role/streamdrop-writer";
let moto: PrivateMoto;
let core: TestCore;
const users: Record<string, TestUser> = {};

beforeAll(async () => {
  moto = await startPrivateMoto();
  process.env.AWS_ENDPOINT_URL_STS = moto.endpoint;
  const setupKey = { accessKeyId: "AKIASETUPSETUPSETUP0", secretAccessKey: "setup-only" };
  const s3 = s3Client(moto.endpoint, setupKey);
  await s3.send(new S3CreateBucket({ Bucket: bucket }));
  await s3.send(new S3CreateBucket({ Bucket: euBucket, CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } }));
  const iam = iamClient(moto.endpoint, setupKey);
  const dir = mkdtempSync(join(tmpdir(), "streamdrop-iam-"));
  const policy = leastPrivilegePolicy(bucket, "events").Statement;
  users.admin = await createUser(iam, dir, "admin", [{ Effect: "Allow", Action: "*", Resource: "*" }]);
  users.leastPrivilege = await createUser(iam, dir, "least-privilege", policy);
  users.leastPrivilegeEu = await createUser(iam, dir, "least-privilege-eu", leastPrivilegePolicy(euBucket).Statement);
  users.noLocation = await createUser(iam, dir, "no-location", [policy[1]!]);
  users.otherPrefix = await createUser(iam, dir, "other-prefix", leastPrivilegePolicy(bucket, "elsewhere").Statement);
  users.assumer = await createUser(iam, dir, "assumer", [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: roleArn }]);
  users.revoked = await createUser(iam, dir, "revoked", policy);
  await iam.send(new DeleteAccessKeyCommand({ UserName: "revoked", AccessKeyId: users.revoked.key.accessKeyId }));
  await iam.send(
    new CreateRoleCommand({
      RoleName: "streamdrop-writer",
      AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }] }),
    }),
  );
  await iam.send(
    new PutRolePolicyCommand({ RoleName: "streamdrop-writer", PolicyName: "write", PolicyDocument: JSON.stringify(leastPrivilegePolicy(bucket, "events")) }),
  );
  await moto.enforceIam();
  core = testCore();
});

afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_STS;
  await moto?.stop();
});

const sinkInput = (name: string, user: TestUser, extra: Partial<SinkInput> = {}): SinkInput => ({
  name,
  bucket,
  credentials: { from: "file", path: user.credentialsFile },
  endpoint: moto.endpoint,
  pathPrefix: "events",
  ...extra,
});

async function expectRefusedAndNothingSaved(input: SinkInput, message: string) {
  await expect(core.sinks.create(input)).rejects.toThrow(message);
  expect((await core.sinks.list()).map((sink) => sink.name)).not.toContain(input.name);
  expect(await core.keychainEntries()).toEqual(expect.not.arrayContaining([expect.objectContaining({ account: expect.stringContaining(input.name) })]));
}

describe("sink validation with IAM enforcement", () => {
  it("validates a key with exactly the least-privilege policy and leaves the validation file", async () => {
    const saved = await core.sinks.create(sinkInput("least-privilege", users.leastPrivilege!));
    expect(saved.created).toBe(true);
    expect(saved.validation.region).toBe("us-east-1");
    expect(saved.validation.key).toMatch(/^events\/\.strm_test_[0-9a-f-]{36}\.jsonl$/);
    const head = await s3Client(moto.endpoint, users.admin!.key).send(new HeadObjectCommand({ Bucket: bucket, Key: saved.validation.key }));
    expect(head.ContentLength).toBe(0);
    const entries = await core.keychainEntries();
    expect(entries).toHaveLength(1);
    expect(JSON.parse(entries[0]!.password)).toEqual(users.leastPrivilege!.key);
    expect(saved.sink.credentials).toEqual({ source: "keychain", account: entries[0]!.account });
  });

  it("fails naming s3:GetBucketLocation when the key lacks it", async () => {
    await expectRefusedAndNothingSaved(sinkInput("no-location", users.noLocation!), `Access denied for s3:GetBucketLocation on arn:aws:s3:::${bucket}.`);
  });

  it("fails naming s3:PutObject and the key it tried when the policy covers another prefix", async () => {
    const input = sinkInput("other-prefix", users.otherPrefix!);
    await expect(core.sinks.create(input)).rejects.toThrow(
      new RegExp(
        `Access denied for s3:PutObject on arn:aws:s3:::${bucket}/events/\\.strm_test_[0-9a-f-]{36}\\.jsonl\\. The credentials' policy must allow s3:PutObject on arn:aws:s3:::${bucket}/events/\\*\\.jsonl`,
      ),
    );
    expect((await core.sinks.list()).map((sink) => sink.name)).not.toContain("other-prefix");
  });

  it("says a revoked key is not known", async () => {
    await expectRefusedAndNothingSaved(sinkInput("revoked", users.revoked!), "The access key ID is not known to S3");
  });

  it("says when the secret does not belong to the key", async () => {
    const input = sinkInput("wrong-secret", users.leastPrivilege!, {
      credentials: {
        from: "text",
        label: "(pasted)",
        text: JSON.stringify({ AccessKey: { AccessKeyId: users.leastPrivilege!.key.accessKeyId, SecretAccessKey: "not-the-secret" } }),
      },
    });
    await expectRefusedAndNothingSaved(input, "the secret access key does not belong to the access key ID");
  });

  it("says when the bucket does not exist", async () => {
    await expectRefusedAndNothingSaved(
      sinkInput("no-bucket", users.admin!, { bucket: "no-such-bucket-here" }),
      `Bucket no-such-bucket-here does not exist at ${moto.endpoint}.`,
    );
  });

  it("finds the bucket's region, and refuses a region that does not match", async () => {
    const saved = await core.sinks.create(sinkInput("eu", users.leastPrivilegeEu!, { bucket: euBucket, pathPrefix: undefined }));
    expect(saved.sink.type === "S3" && saved.sink.region).toBe("eu-west-1");
    expect(saved.validation.key).toMatch(/^\.strm_test_[0-9a-f-]{36}\.jsonl$/);
    await expectRefusedAndNothingSaved(
      sinkInput("eu-wrong", users.leastPrivilegeEu!, { bucket: euBucket, pathPrefix: undefined, region: "us-east-2" }),
      `Bucket ${euBucket} is in region eu-west-1, not us-east-2.`,
    );
  });

  it("says when the endpoint cannot be reached", async () => {
    await expectRefusedAndNothingSaved(
      sinkInput("unreachable", users.admin!, { endpoint: "http://127.0.0.1:1" }),
      "Cannot reach the S3 endpoint http://127.0.0.1:1 (ECONNREFUSED)",
    );
  });

  it("assumes a role with STS: the role's policy is what lets the key write", async () => {
    await expectRefusedAndNothingSaved(sinkInput("assumer-alone", users.assumer!), "Access denied for s3:GetBucketLocation");
    const saved = await core.sinks.create(sinkInput("assumed", users.assumer!, { assumeRoleArn: roleArn }));
    expect(saved.sink.type === "S3" && saved.sink.assumeRoleArn).toBe(roleArn);
    expect(saved.validation.key).toMatch(/^events\//);
  });
});
