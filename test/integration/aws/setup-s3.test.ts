// `streamdrop setup s3` end to end against moto with IAM enforcement on: the admin is a real
// IAM user of moto, and the key setup makes can do exactly what the policy says and no more.
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateAccessKeyCommand, ListAccessKeysCommand } from "@aws-sdk/client-iam";
import {
  CreateBucketCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import keytar from "keytar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { s3Client, type AwsCredentials } from "../../support/clients.js";
import { CliEnv, runCli } from "../../support/cli.js";
import { createUser, iamClient, type TestUser } from "../../support/iam.js";
import { startPrivateMoto, type PrivateMoto } from "../../support/moto-private.js";

const bucket = "streamdrop-setup-demo";
const userName = `streamdrop-${bucket}`;
let moto: PrivateMoto;
let admin: TestUser;
const dir = mkdtempSync(join(tmpdir(), "streamdrop-setup-"));
const { dataDir, keychainService, env } = new CliEnv("setup");
const outputs: string[] = [];

async function setup(...extra: string[]) {
  const run = await runCli(
    [
      "setup",
      "s3",
      bucket,
      "--endpoint",
      moto.endpoint,
      "--admin-credentials-file",
      admin.credentialsFile,
      "--path-prefix",
      "/events/",
      "--region",
      "eu-west-1",
      ...extra,
    ],
    env,
  );
  outputs.push(run.stdout, run.stderr);
  return run;
}

async function expectDenied(call: Promise<unknown>) {
  await expect(call).rejects.toMatchObject({ name: "AccessDenied" });
}

beforeAll(async () => {
  moto = await startPrivateMoto();
  admin = await createUser(iamClient(moto.endpoint, { accessKeyId: "AKIABOOTSTRAPBOOTST1", secretAccessKey: "bootstrap" }), dir, "admin", [
    { Effect: "Allow", Action: "*", Resource: "*" },
  ]);
  await moto.enforceIam();
});

afterAll(async () => moto?.stop());

describe("streamdrop setup s3", () => {
  let written: { AccessKey: { AccessKeyId: string; SecretAccessKey: string; UserName: string; Status: string } };
  let writer: S3Client;

  it("creates the bucket, the user, the key and a validated sink whose secret is only in the keychain", async () => {
    const credentialsFile = join(dir, "s3.json");
    const run = await setup("--create-bucket", "--write-credentials-file", credentialsFile);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`Created bucket ${bucket} in eu-west-1`);
    expect(run.stderr).toContain(`Created IAM user ${userName} with the least-privilege policy`);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      ref: { name: bucket },
      bucket: { bucketName: bucket, region: "eu-west-1", pathPrefix: "events", credentials: "keychain" },
      setup: { bucket: "created", iamUser: userName },
    });

    written = JSON.parse(readFileSync(credentialsFile, "utf8"));
    expect(statSync(credentialsFile).mode & 0o777).toBe(0o600);
    expect(written.AccessKey).toMatchObject({ UserName: userName, Status: "Active", AccessKeyId: result.setup.accessKeyId });
    const entries = await keytar.findCredentials(keychainService);
    expect(entries.map((entry) => JSON.parse(entry.password))).toEqual([
      { accessKeyId: written.AccessKey.AccessKeyId, secretAccessKey: written.AccessKey.SecretAccessKey },
    ]);

    const adminS3 = s3Client(moto.endpoint, admin.key);
    const validationKey = (result.validation.file as string).replace(`s3://${bucket}/`, "");
    expect((await adminS3.send(new HeadObjectCommand({ Bucket: bucket, Key: validationKey }))).ContentLength).toBe(0);
    expect((await adminS3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const lifecycle = await adminS3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    expect(lifecycle.Rules?.[0]).toMatchObject({ Status: "Enabled", AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 } });

    const get = await runCli(["get", "sink", bucket], env);
    expect(JSON.parse(get.stdout).sink.bucket.bucketName).toBe(bucket);
    const stored = readdirSync(dataDir, { recursive: true, encoding: "utf8" })
      .map((path) => join(dataDir, path))
      .filter((path) => statSync(path).isFile());
    const everything = [...stored.map((path) => readFileSync(path, "utf8")), ...outputs].join("\n");
    expect(everything).not.toContain(written.AccessKey.SecretAccessKey);
    expect(everything).not.toContain(admin.key.secretAccessKey);
  });

  it("gives a key that can only find the region and write *.jsonl under the prefix", async () => {
    writer = s3Client(moto.endpoint, { accessKeyId: written.AccessKey.AccessKeyId, secretAccessKey: written.AccessKey.SecretAccessKey });
    expect((await writer.send(new GetBucketLocationCommand({ Bucket: bucket }))).LocationConstraint).toBe("eu-west-1");
    await writer.send(new PutObjectCommand({ Bucket: bucket, Key: "events/anything.jsonl", Body: "{}\n" }));
    await writer.send(new PutObjectCommand({ Bucket: bucket, Key: "events/2026/deeper.jsonl", Body: "{}\n" }));
    await expectDenied(writer.send(new PutObjectCommand({ Bucket: bucket, Key: "events/x.csv", Body: "a,b\n" })));
    await expectDenied(writer.send(new PutObjectCommand({ Bucket: bucket, Key: "otherprefix/x.jsonl", Body: "{}\n" })));
    await expectDenied(writer.send(new PutObjectCommand({ Bucket: bucket, Key: "x.jsonl", Body: "{}\n" })));
    await expectDenied(writer.send(new GetObjectCommand({ Bucket: bucket, Key: "events/anything.jsonl" })));
    await expectDenied(writer.send(new ListObjectsV2Command({ Bucket: bucket })));
  });

  it("explains an existing user instead of failing obscurely, and changes nothing", async () => {
    const run = await setup("--create-bucket");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `IAM user ${userName} already exists; it has the policy streamdrop-bucket-write-access for this bucket and prefix and 1 access key(s): ${written.AccessKey.AccessKeyId} (Active).`,
    );
    expect(run.stderr).toContain("Run again with --rotate-key");
    expect(run.stderr).toContain(`Bucket ${bucket} exists (in eu-west-1); its settings were left as they are.`);
    const keys = await iamClient(moto.endpoint, admin.key).send(new ListAccessKeysCommand({ UserName: userName }));
    expect(keys.AccessKeyMetadata?.map((key) => key.AccessKeyId)).toEqual([written.AccessKey.AccessKeyId]);
  });

  it("rotates the key: the sink switches to the new one and the old one is deleted", async () => {
    const run = await setup("--rotate-key");
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.setup.deletedAccessKeyId).toBe(written.AccessKey.AccessKeyId);
    const keys = await iamClient(moto.endpoint, admin.key).send(new ListAccessKeysCommand({ UserName: userName }));
    expect(keys.AccessKeyMetadata?.map((key) => key.AccessKeyId)).toEqual([result.setup.accessKeyId]);
    const entries = await keytar.findCredentials(keychainService);
    expect(entries.map((entry) => JSON.parse(entry.password).accessKeyId)).toEqual([result.setup.accessKeyId]);
    await expect(writer.send(new GetBucketLocationCommand({ Bucket: bucket }))).rejects.toMatchObject({ name: "InvalidAccessKeyId" });
  });

  it("says when the user is at AWS's two-key limit", async () => {
    await iamClient(moto.endpoint, admin.key).send(new CreateAccessKeyCommand({ UserName: userName }));
    const run = await setup("--rotate-key");
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`IAM user ${userName} already has 2 access keys \\(.*\\), AWS's limit\\. Delete the one no longer in use`));
  });

  it("refuses a bucket that belongs to another account", async () => {
    const otherAccount: AwsCredentials = fromTemporaryCredentials({
      masterCredentials: admin.key,
      params: { RoleArn: "arn:aws:iam::111111111111:role/other-team", RoleSessionName: "other" },
      clientConfig: { region: "us-east-1", endpoint: moto.endpoint },
    });
    await moto.disableIamFor(50);
    await s3Client(moto.endpoint, otherAccount).send(new CreateBucketCommand({ Bucket: "someone-elses-bucket" }));
    await moto.enforceIam();
    const run = await runCli(
      [
        "setup",
        "s3",
        "someone-elses-bucket",
        "--create-bucket",
        "--endpoint",
        moto.endpoint,
        "--admin-credentials-file",
        admin.credentialsFile,
        "--user",
        "other-writer",
      ],
      env,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("another AWS account");
  });

  it("deletes the new key again when the sink cannot be stored, so no live key is left unheld", async () => {
    const run = await runCli(
      [
        "setup",
        "s3",
        "no-keychain-bucket",
        "--create-bucket",
        "--endpoint",
        moto.endpoint,
        "--admin-credentials-file",
        admin.credentialsFile,
        "--user",
        "no-keychain-writer",
      ],
      { ...env, DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/bus" },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("no Secret Service is available");
    const keys = await iamClient(moto.endpoint, admin.key).send(new ListAccessKeysCommand({ UserName: "no-keychain-writer" }));
    expect(keys.AccessKeyMetadata).toEqual([]);
  });

  it("takes admin credentials from an AWS profile", async () => {
    const sharedCredentials = join(dir, "aws-credentials");
    writeFileSync(
      sharedCredentials,
      `[streamdrop-admin]\naws_access_key_id = ${admin.key.accessKeyId}\naws_secret_access_key = ${admin.key.secretAccessKey}\n`,
    );
    const profileEnv = { ...env, AWS_SHARED_CREDENTIALS_FILE: sharedCredentials, AWS_CONFIG_FILE: join(dir, "no-config") };
    const run = await runCli(
      ["setup", "s3", "profile-bucket", "--create-bucket", "--endpoint", moto.endpoint, "--profile", "streamdrop-admin", "--sink", "from-profile"],
      profileEnv,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("Using admin credentials of arn:aws:iam::123456789012:user/admin");
    expect(JSON.parse(run.stdout)).toMatchObject({ ref: { name: "from-profile" }, setup: { bucket: "created", iamUser: "streamdrop-profile-bucket" } });
  });

  it("never overwrites a credentials file, and checks that before touching AWS", async () => {
    const existing = join(dir, "existing.json");
    writeFileSync(existing, "keep me");
    const run = await runCli(
      [
        "setup",
        "s3",
        "never-created-bucket",
        "--create-bucket",
        "--endpoint",
        moto.endpoint,
        "--admin-credentials-file",
        admin.credentialsFile,
        "--write-credentials-file",
        existing,
      ],
      env,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `${existing} already exists; choose another file to write the credentials to (it is never overwritten). Set it with --write-credentials-file`,
    );
    expect(readFileSync(existing, "utf8")).toBe("keep me");
    const lookup = iamClient(moto.endpoint, admin.key).send(new ListAccessKeysCommand({ UserName: "streamdrop-never-created-bucket" }));
    await expect(lookup).rejects.toMatchObject({ name: expect.stringMatching(/^NoSuchEntity/) });
  });

  it("with --compression gzip, gives a key that writes *.jsonl.gz (and the sink's .strm_test_ checks) but no plain data file", async () => {
    const credentialsFile = join(dir, "s3-gzip.json");
    const run = await setup("--compression", "gzip", "--user", "streamdrop-gzip-writer", "--sink", "gzip-sink", "--write-credentials-file", credentialsFile);
    expect(run.code, run.stderr).toBe(0);
    const key = (JSON.parse(readFileSync(credentialsFile, "utf8")) as typeof written).AccessKey;
    const gzipWriter = s3Client(moto.endpoint, { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey });
    await gzipWriter.send(new PutObjectCommand({ Bucket: bucket, Key: "events/dt=2026-12-02/hour=05/2026-12-02T05:00:00-t---0.jsonl.gz", Body: "x" }));
    await gzipWriter.send(new PutObjectCommand({ Bucket: bucket, Key: "events/.strm_test_check.jsonl", Body: "" }));
    await expectDenied(gzipWriter.send(new PutObjectCommand({ Bucket: bucket, Key: "events/2026-12-02T05:00:00-t---0.jsonl", Body: "{}\n" })));
    await expectDenied(gzipWriter.send(new PutObjectCommand({ Bucket: bucket, Key: "events/x.jsonl.zst", Body: "x" })));
    expect(JSON.parse(run.stdout).validation.file).toMatch(/\/events\/\.strm_test_[0-9a-f-]{36}\.jsonl$/);
  });
});
