// Google Cloud Storage sinks against fake-gcs-server through the real client: the type follows
// from the key file, validation writes the empty `.strm_test_<uuid>.jsonl`, the key lives only in
// the keychain, exporters write the same names as on S3 exactly once (a worker killed mid-run
// included), big files go up resumably, and `files` shows gs:// URIs.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Storage } from "@google-cloud/storage";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { GcsObjectStore } from "../../../main/core/stores/gcs/object-store.js";
import { objectStoreFor } from "../../../main/core/stores/open-object-store.js";
import { uniqueName } from "../../support/clients.js";
import { wholeFile } from "../../support/spooled.js";
import { CliEnv, runCli } from "../../support/cli.js";
import { testCore, type TestCore } from "../../support/core.js";
import { createTopic, exportAcrossWorkerKill } from "../../support/store-export.js";
import { gcsAdmin, gcsObjects, serviceAccountKeyJson, startFakeGcs, type FakeGcs } from "../../support/gcs.js";

let gcs: FakeGcs;
let admin: Storage;
const keyJson = serviceAccountKeyJson();
const privateKey = (JSON.parse(keyJson) as { private_key: string }).private_key;
const keyFile = join(mkdtempSync(join(tmpdir(), "streamdrop-gcs-")), "streamdrop-key.json");
writeFileSync(keyFile, keyJson, { mode: 0o600 });
const bucket = uniqueName("gcs-export");

beforeAll(async () => {
  gcs = await startFakeGcs();
  admin = gcsAdmin(gcs.endpoint);
  await admin.createBucket(bucket);
});
afterAll(() => gcs?.stop());

describe("create sink with a service-account key", () => {
  const { dataDir, env } = new CliEnv("gcs-cli");
  const cli = (...args: string[]) => runCli(args, env);

  it("detects Cloud Storage, validates by writing the empty test file, and keeps the key in the keychain only", async () => {
    const created = await cli("create", "sink", "gcs", bucket, "--credentials-file", keyFile, "--endpoint", gcs.endpoint, "--path-prefix", "events");
    expect(created.code, created.stderr).toBe(0);
    const shown = JSON.parse(created.stdout) as { sinkType: string; bucket: Record<string, string>; validation: { file: string } };
    expect(shown.sinkType).toBe("GCLOUD");
    expect(shown.bucket).toMatchObject({
      bucketName: bucket,
      pathPrefix: "events",
      projectId: "streamdrop-test",
      serviceAccount: "exporter@streamdrop-test.iam.gserviceaccount.com",
      credentials: "keychain",
    });
    const validationKey = shown.validation.file.replace(`gs://${bucket}/`, "");
    expect(validationKey).toMatch(/^events\/\.strm_test_[0-9a-f-]{36}\.jsonl$/);
    const [metadata] = await admin.bucket(bucket).file(validationKey).getMetadata();
    expect(Number(metadata.size)).toBe(0);

    const listed = await cli("list", "sinks");
    expect(listed.stdout).toMatch(/gcs\s+GCLOUD\s+/);
    for (const text of [created.stdout, created.stderr, listed.stdout, readFileSync(join(dataDir, "config.json"), "utf8")]) {
      expect(text).not.toContain("PRIVATE KEY");
      expect(text).not.toContain(privateKey.slice(40, 80));
    }
  });

  it("explains a bucket that does not exist, and a contradicting --sink-type", async () => {
    const missing = await cli("create", "sink", "nowhere", "no-such-bucket-here", "--credentials-file", keyFile, "--endpoint", gcs.endpoint);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`Bucket no-such-bucket-here does not exist at ${gcs.endpoint}. Check the name, or create the bucket first.`);
    const wrongType = await cli("create", "sink", "typed", bucket, "--credentials-file", keyFile, "--sink-type", "S3");
    expect(wrongType.code).toBe(1);
    expect(wrongType.stderr).toContain(`An S3 sink was asked for, but Credentials file ${keyFile} holds Cloud Storage credentials.`);
    const unreachable = await cli("create", "sink", "down", bucket, "--credentials-file", keyFile, "--endpoint", "http://127.0.0.1:1");
    expect(unreachable.stderr).toContain("Cannot reach Cloud Storage at http://127.0.0.1:1 (ECONNREFUSED)");
    expect((await cli("list", "sinks", "--output", "json")).stdout).not.toContain("nowhere");
  });
});

describe("setup-doc --sink-type GCLOUD", () => {
  it("prints the gcloud document", async () => {
    const run = await runCli(["setup-doc", "their_bucket", "--sink-type", "GCLOUD", "--project", "their-project", "--path-prefix", "events"], process.env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("# Streamdrop export: Google Cloud setup for bucket `their_bucket`");
    expect(run.stdout).toContain("--member=serviceAccount:streamdrop-their-bucket@their-project.iam.gserviceaccount.com");
  });
});

describe("exporting into Cloud Storage", () => {
  let core: TestCore;
  const topic = uniqueName("gcs-events");

  beforeAll(async () => {
    core = testCore();
    await createTopic(topic);
    await core.sinks.create({
      name: "gcs",
      bucket,
      credentials: { from: "text", text: keyJson, label: "(test key)" },
      endpoint: gcs.endpoint,
      pathPrefix: "export",
    });
    await core.streams.create({ name: "clicks", bootstrapServers: inject("kafkaBrokers"), topic });
  });

  it("stores every event exactly once under the S3 naming scheme, across a worker killed mid-run", async () => {
    await exportAcrossWorkerKill(core, {
      topic,
      streamName: "clicks",
      sinkName: "gcs",
      prefix: "export",
      uriPrefix: `gs://${bucket}/`,
      objects: () => gcsObjects(admin, bucket),
    });
  });

  it("uploads big spooled files resumably from the disk, byte for byte, and never replaces a stored file", async () => {
    const sink = await core.sinks.get("gcs");
    if (sink.type !== "GCLOUD") throw new Error("expected a Cloud Storage sink");
    const store = new GcsObjectStore({ type: "GCLOUD", bucket, endpoint: gcs.endpoint, serviceAccount: (await core.sinks.secretOf(sink))! });
    const big = Buffer.alloc(20 * 1024 * 1024 + 123, "0123456789abcdef\n");
    const spooled = join(mkdtempSync(join(tmpdir(), "spool-")), "0.part");
    writeFileSync(spooled, big);
    await store.put("export/big.jsonl", wholeFile(spooled, big.length));
    const [stored] = await admin.bucket(bucket).file("export/big.jsonl").download();
    expect(stored.equals(big)).toBe(true);
    // Recovery may store a name again: the file already there is kept (create-only), not replaced.
    await store.put("export/big.jsonl", Buffer.from("other\n"));
    const [metadata] = await admin.bucket(bucket).file("export/big.jsonl").getMetadata();
    expect(Number(metadata.size)).toBe(big.length);
  });

  it("says what a person must fix when the bucket is gone, not a retry", async () => {
    const sink = await core.sinks.get("gcs");
    if (sink.type !== "GCLOUD") throw new Error("expected a Cloud Storage sink");
    const missing = uniqueName("gcs-gone");
    // Through the lazy store a worker uses: the failure is explained after its first upload loaded Google's SDK.
    const store = objectStoreFor({ type: "GCLOUD", bucket: missing, endpoint: gcs.endpoint, serviceAccount: (await core.sinks.secretOf(sink))! }, "test");
    const error = await store.put("export/a.jsonl", Buffer.from("{}\n")).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeDefined();
    expect(store.authorizationProblem(error, "export/a.jsonl")?.message).toContain(`Bucket ${missing} does not exist`);
    expect(store.authorizationProblem(new Error("socket hang up"), "export/a.jsonl")).toBeUndefined();
  });
});
