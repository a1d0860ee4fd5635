// The repairs of a sink whose IAM user `setup s3` made (#34), through the built CLI against moto
// with IAM enforcement on, so the policy really decides: an exporter switched to gzip is refused
// by the user's policy, `update-policy sink` (dry run first) gives the policy `*.jsonl.gz` and the
// switch then works; a key revoked in IAM is said so with `rotate-key sink`, which gives a working
// key and keeps the policy the exporters need. Sinks on anyone else's credentials are refused.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeleteAccessKeyCommand, GetUserPolicyCommand, ListAccessKeysCommand } from "@aws-sdk/client-iam";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import keytar from "keytar";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { leastPrivilegePolicy } from "../../../main/core/stores/s3/aws/policy.js";
import type { AccessKey } from "../../../main/core/stores/s3/credentials.js";
import { s3Client, uniqueName } from "../../support/clients.js";
import { CliEnv, cliIn } from "../../support/cli.js";
import { createUser, iamClient, type TestUser } from "../../support/iam.js";
import { startPrivateMoto, type PrivateMoto } from "../../support/moto-private.js";

const bucket = uniqueName("repairs").slice(0, 40);
const userName = `streamdrop-${bucket}`;
const dir = mkdtempSync(join(tmpdir(), "streamdrop-repairs-"));
const { keychainService, env } = new CliEnv("repairs");
const { cli, ok } = cliIn(env);
const printed: string[] = [];
let moto: PrivateMoto;
let admin: TestUser;
let setupKey: AccessKey;

/** `streamdrop args…`, kept for the check that no secret was printed. */
async function run(...args: string[]) {
  const result = await cli(...args);
  printed.push(result.stdout, result.stderr);
  return result;
}
const adminArgs = () => ["--admin-credentials-file", admin.credentialsFile];
const put = (key: AccessKey, name: string) => s3Client(moto.endpoint, key).send(new PutObjectCommand({ Bucket: bucket, Key: name, Body: "x" }));
const userPolicy = async () =>
  JSON.parse(
    decodeURIComponent(
      (await iamClient(moto.endpoint, admin.key).send(new GetUserPolicyCommand({ UserName: userName, PolicyName: "streamdrop-bucket-write-access" })))
        .PolicyDocument!,
    ),
  );
const keysOfUser = async () =>
  ((await iamClient(moto.endpoint, admin.key).send(new ListAccessKeysCommand({ UserName: userName }))).AccessKeyMetadata ?? []).map((key) => key.AccessKeyId);

beforeAll(async () => {
  moto = await startPrivateMoto();
  admin = await createUser(iamClient(moto.endpoint, { accessKeyId: "AKIABOOTSTRAPBOOTST1", secretAccessKey: "bootstrap" }), dir, "admin", [
    { Effect: "Allow", Action: "*", Resource: "*" },
  ]);
  await moto.enforceIam();
  const credentialsFile = join(dir, "writer.json");
  await ok(
    "setup",
    "s3",
    bucket,
    "--create-bucket",
    "--endpoint",
    moto.endpoint,
    "--path-prefix",
    "events",
    "--sink",
    "lake",
    "--write-credentials-file",
    credentialsFile,
    ...adminArgs(),
  );
  const written = JSON.parse(readFileSync(credentialsFile, "utf8")).AccessKey;
  setupKey = { accessKeyId: written.AccessKeyId, secretAccessKey: written.SecretAccessKey };
  await ok("create", "stream", "clicks", "--bootstrap-servers", inject("kafkaBrokers"), "--topic", uniqueName("repairs"), "--create-topic");
  await ok("create", "batch-exporter", "clicks", "--sink", "lake");
}, 120_000);

afterAll(async () => moto?.stop());

describe("update-policy sink", () => {
  const gzipFiles = `Allow s3:PutObject on arn:aws:s3:::${bucket}/events/*.jsonl.gz`;

  it("is what an exporter switched to gzip is told when the user's policy refuses it", async () => {
    const refused = await run("update", "batch-exporter", "lake-clicks", "--compression", "gzip");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`Access denied for s3:PutObject on arn:aws:s3:::${bucket}/events/.strm_test_`);
    expect(refused.stderr).toContain("`streamdrop update-policy sink lake --compression gzip`");
    expect(JSON.parse((await ok("get", "batch-exporter", "lake-clicks")).stdout)).toMatchObject({ compression: "none" });
  });

  it("with --dry-run shows .jsonl.gz added and changes nothing", async () => {
    const dry = await run("update-policy", "sink", "lake", "--compression", "gzip", "--dry-run", ...adminArgs());
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toEqual({
      dryRun: true,
      sink: "lake",
      iamUser: userName,
      policyName: "streamdrop-bucket-write-access",
      added: [gzipFiles],
      removed: [],
      policy: { current: leastPrivilegePolicy(bucket, "events"), proposed: leastPrivilegePolicy(bucket, "events", ["none", "gzip"]) },
    });
    expect(dry.stderr).toContain(`  + ${gzipFiles}`);
    expect(dry.stderr).toContain(`Dry run: the policy of IAM user ${userName} is unchanged.`);
    expect(await userPolicy()).toEqual(leastPrivilegePolicy(bucket, "events"));
    await expect(put(setupKey, "events/2026-01-01T00:00:00-t---0.jsonl.gz")).rejects.toMatchObject({ name: "AccessDenied" });
  });

  it("puts the policy, proves it with a gzip validation file written by the sink's key, and the switch then works", async () => {
    const updated = await run("update-policy", "sink", "lake", "--compression", "gzip", ...adminArgs());
    expect(updated.code, updated.stderr).toBe(0);
    const result = JSON.parse(updated.stdout);
    expect(result).toMatchObject({ sink: "lake", iamUser: userName, updated: true, added: [gzipFiles], removed: [] });
    expect(result.validation.files).toEqual([
      expect.stringMatching(new RegExp(`^s3://${bucket}/events/\\.strm_test_[0-9a-f-]{36}\\.jsonl$`)),
      expect.stringMatching(new RegExp(`^s3://${bucket}/events/\\.strm_test_[0-9a-f-]{36}\\.jsonl\\.gz$`)),
    ]);
    expect(await userPolicy()).toEqual(leastPrivilegePolicy(bucket, "events", ["none", "gzip"]));

    const switched = await run("update", "batch-exporter", "lake-clicks", "--compression", "gzip");
    expect(switched.code, switched.stderr).toBe(0);
    expect(JSON.parse(switched.stdout)).toMatchObject({ compression: "gzip" });
    await expect(put(setupKey, "events/2026-01-01T00:00:00-t---0.jsonl.gz")).resolves.toBeDefined();
  });

  it("once every exporter writes gzip, takes plain data files away (the sink's own checks stay)", async () => {
    const narrowed = await run("update-policy", "sink", "lake", ...adminArgs());
    expect(narrowed.code, narrowed.stderr).toBe(0);
    expect(JSON.parse(narrowed.stdout)).toMatchObject({
      updated: true,
      added: [`Allow s3:PutObject on arn:aws:s3:::${bucket}/events/.strm_test_*.jsonl`],
      removed: [`Allow s3:PutObject on arn:aws:s3:::${bucket}/events/*.jsonl`],
    });
    await expect(put(setupKey, "events/2026-01-01T00:00:00-t---0.jsonl")).rejects.toMatchObject({ name: "AccessDenied" });
    await expect(put(setupKey, "events/.strm_test_check.jsonl")).resolves.toBeDefined();

    const again = await run("update-policy", "sink", "lake", ...adminArgs());
    expect(JSON.parse(again.stdout)).toMatchObject({ updated: false, added: [], removed: [] });
    expect(again.stderr).toContain("already allows what sink lake's exporters write; nothing changed.");
  });
});

describe("rotate-key sink", () => {
  it("after the key was revoked in IAM, gives a working key that keeps the gzip exporter's policy", async () => {
    await iamClient(moto.endpoint, admin.key).send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: setupKey.accessKeyId }));
    const revoked = await run("update", "batch-exporter", "lake-clicks", "--compression", "zstd");
    expect(revoked.code).toBe(1);
    expect(revoked.stderr).toContain("The access key ID is not known to S3");
    expect(revoked.stderr).toContain("`streamdrop rotate-key sink lake` gives it a new key");

    const rotated = await run("rotate-key", "sink", "lake", ...adminArgs());
    expect(rotated.code, rotated.stderr).toBe(0);
    const result = JSON.parse(rotated.stdout);
    expect(result).toMatchObject({
      ref: { name: "lake" },
      rotated: { iamUser: userName },
      validation: { file: expect.stringContaining(`s3://${bucket}/events/`) },
    });
    expect(result.rotated).not.toHaveProperty("deletedAccessKeyId");
    expect(await keysOfUser()).toEqual([result.rotated.accessKeyId]);
    const stored = (await keytar.findCredentials(keychainService)).map((entry) => JSON.parse(entry.password) as AccessKey);
    expect(stored.map((key) => key.accessKeyId)).toEqual([result.rotated.accessKeyId]);

    // The policy came back with the key as the exporters need it: gzip files, not plain ones.
    await expect(put(stored[0]!, "events/2026-01-02T00:00:00-t---0.jsonl.gz")).resolves.toBeDefined();
    await expect(put(stored[0]!, "events/2026-01-02T00:00:00-t---0.jsonl")).rejects.toMatchObject({ name: "AccessDenied" });
    expect(JSON.parse((await ok("update", "batch-exporter", "lake-clicks", "--interval", "30")).stdout)).toMatchObject({ interval: "30s" });
  });

  it("rotates again, deleting the key the sink used", async () => {
    const before = await keysOfUser();
    const rotated = await run("rotate-key", "sink", "lake", ...adminArgs());
    expect(rotated.code, rotated.stderr).toBe(0);
    const result = JSON.parse(rotated.stdout);
    expect(result.rotated.deletedAccessKeyId).toBe(before[0]);
    expect(await keysOfUser()).toEqual([result.rotated.accessKeyId]);
  });
});

describe("a sink on someone else's credentials", () => {
  it("is refused by both verbs, with what to do instead", async () => {
    const other = await createUser(iamClient(moto.endpoint, admin.key), dir, "someone-else", leastPrivilegePolicy(bucket, "events").Statement);
    await ok("create", "sink", "theirs", bucket, "--credentials-file", other.credentialsFile, "--endpoint", moto.endpoint, "--path-prefix", "events");

    const policy = await run("update-policy", "sink", "theirs", "--compression", "gzip", ...adminArgs());
    expect(policy.code).toBe(1);
    expect(policy.stderr).toContain(
      "Sink theirs was not set up by Streamdrop with an IAM user of its own, so Streamdrop cannot change the policy of its credentials.",
    );
    expect(policy.stderr).toContain(
      `Add this statement to the policy of the credentials' IAM user or role: {"Effect":"Allow","Action":["s3:PutObject"],"Resource":[`,
    );
    expect(policy.stderr).toContain(`arn:aws:s3:::${bucket}/events/*.jsonl.gz`);

    const rotate = await run("rotate-key", "sink", "theirs", ...adminArgs());
    expect(rotate.code).toBe(1);
    expect(rotate.stderr).toContain("Sink theirs was not set up by Streamdrop with an IAM user of its own, so its key cannot be rotated by Streamdrop.");
    expect(rotate.stderr).toContain(`streamdrop create sink theirs ${bucket} --credentials-file <file>`);
    expect(printed.join("\n")).not.toContain(other.key.secretAccessKey);
  });

  it("printed no secret anywhere", () => {
    const everything = printed.join("\n");
    expect(everything).not.toContain(admin.key.secretAccessKey);
    expect(everything).not.toContain(setupKey.secretAccessKey);
  });
});
