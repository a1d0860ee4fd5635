// Azure Blob Storage sinks against Azurite through Azure's own SDK: the type follows from a SAS
// URL, validation writes the empty `.strm_test_<uuid>.jsonl`, the SAS lives only in the keychain,
// a SAS that may not create is refused naming the permission (offline, and by Azure when a stored
// policy holds it), malformed credentials are refused offline (a dry run too), a connection
// string is taken with a warning, exporters write the same names as
// on S3 exactly once (a worker killed mid-run included), big files go as blocks, byte for byte,
// and a stored name is never replaced.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ContainerClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { objectStoreFor } from "../../../main/core/stores/open-object-store.js";
import { azureAdmin, azureBlobs, containerSasUrl, startAzurite, type Azurite } from "../../support/azure.js";
import { CliEnv, runCli } from "../../support/cli.js";
import { uniqueName } from "../../support/clients.js";
import { wholeFile } from "../../support/spooled.js";
import { testCore, type TestCore } from "../../support/core.js";
import { createTopic, exportAcrossWorkerKill } from "../../support/store-export.js";

let azurite: Azurite;
let container: ContainerClient;
const name = uniqueName("azure-export")
  .toLowerCase()
  .replace(/[^a-z0-9-]/g, "-")
  .replace(/-+/g, "-")
  .slice(0, 63);
const dir = mkdtempSync(join(tmpdir(), "streamdrop-azure-"));
const file = (fileName: string, text: string) => {
  const path = join(dir, fileName);
  writeFileSync(path, text, { mode: 0o600 });
  return path;
};
const signature = (sasUrl: string) => new URL(sasUrl).searchParams.get("sig")!;

beforeAll(async () => {
  azurite = await startAzurite();
  container = azureAdmin(azurite, name);
  await container.create();
});
afterAll(() => azurite?.stop());

describe("create sink with a SAS URL", () => {
  const { dataDir, env } = new CliEnv("azure-cli");
  const cli = (...args: string[]) => runCli(args, env);

  it("detects Azure, validates by writing the empty test file, and keeps the SAS in the keychain only", async () => {
    const sas = containerSasUrl(azurite, name, { permissions: "cw", expiresInMs: 90 * 86_400_000 });
    const created = await cli("create", "sink", "blobs", name, "--credentials-file", file("sas.txt", `${sas}\n`), "--path-prefix", "events");
    expect(created.code, created.stderr).toBe(0);
    const shown = JSON.parse(created.stdout) as { sinkType: string; bucket: Record<string, string>; validation: { file: string } };
    expect(shown.sinkType).toBe("AZURE");
    expect(shown.bucket).toMatchObject({
      bucketName: name,
      pathPrefix: "events",
      accountName: "devstoreaccount1",
      endpoint: azurite.endpoint,
      credentials: "keychain",
    });
    const validationKey = shown.validation.file.replace(`az://${name}/`, "");
    expect(validationKey).toMatch(/^events\/\.strm_test_[0-9a-f-]{36}\.jsonl$/);
    expect((await container.getBlockBlobClient(validationKey).getProperties()).contentLength).toBe(0);
    expect(created.stderr).not.toContain("Warning");

    const listed = await cli("list", "sinks");
    expect(listed.stdout).toMatch(/blobs\s+AZURE\s+/);
    for (const text of [created.stdout, created.stderr, listed.stdout, readFileSync(join(dataDir, "config.json"), "utf8")])
      expect(text).not.toContain(signature(sas));
  });

  it("refuses a SAS that may not create, naming the permission, and writes nothing", async () => {
    const writeOnly = await cli("create", "sink", "no-create", name, "--credentials-file", file("w.txt", containerSasUrl(azurite, name, { permissions: "w" })));
    expect(writeOnly.code).toBe(1);
    expect(writeOnly.stderr).toContain('holds a SAS without the create (c) permission (it grants "w")');
    expect(writeOnly.stderr).toContain("permissions create and write (cw)");

    // A stored access policy holds the permissions out of sight: Azure itself refuses, and the message still names them.
    await container.setAccessPolicy(undefined, [
      { id: "reader", accessPolicy: { permissions: "r", startsOn: new Date(Date.now() - 60_000), expiresOn: new Date(Date.now() + 3_600_000) } },
    ]);
    const reader = await cli("create", "sink", "reader", name, "--credentials-file", file("policy.txt", containerSasUrl(azurite, name, { policy: "reader" })));
    expect(reader.code).toBe(1);
    expect(reader.stderr).toContain("the SAS lacks the create (c) and write (w) permissions on container");
    expect(reader.stderr).toContain("AuthorizationPermissionMismatch");
    expect((await cli("list", "sinks", "--output", "json")).stdout).not.toMatch(/no-create|reader/);
  });

  it("takes a storage account connection string, warning that it grants everything", async () => {
    const created = await cli("create", "sink", "keyed", name, "--credentials-file", file("connection.txt", azurite.connectionString));
    expect(created.code, created.stderr).toBe(0);
    expect(created.stderr).toContain("Warning: This connection string holds the storage account's key, which grants everything in the account");
    expect(readFileSync(join(dataDir, "config.json"), "utf8")).not.toContain("AccountKey");
  });

  // Issue #31: these passed a dry run, and a real create then blamed the network.
  it("refuses malformed credentials in a dry run, offline, naming the part that is wrong", async () => {
    const key = azurite.connectionString.match(/AccountKey=([^;]+)/)![1]!;
    const sas = containerSasUrl(azurite, name, { permissions: "cw" });
    const valid = await cli("create", "sink", "dry", name, "--credentials-file", file("dry.txt", sas), "--dry-run");
    expect(valid.code, valid.stderr).toBe(0);
    expect(JSON.parse(valid.stdout)).toMatchObject({ dryRun: true, sink: { sinkType: "AZURE" } });
    const malformed: Array<[string, string]> = [
      [`DefaultEndpointsProtocol=ftp;AccountName=acct1;AccountKey=${key}`, 'is a connection string whose "DefaultEndpointsProtocol" is neither https nor http'],
      [`AccountName=acct1;AccountKey=${key};EndpointSuffix=evil.example/x?y=`, 'is a connection string whose "EndpointSuffix" is not a host name suffix'],
      [`AccountName=ac/ct;AccountKey=${key}`, 'is a connection string whose "AccountName" is not a storage account name'],
      [`${sas}%ZZ`, 'holds a SAS whose "sig" is not validly percent-encoded'],
      [sas.replace(/([?&])se=[^&]+/, "$1se=99999-01-01"), 'holds a SAS whose expiry "se" is not a UTC time'],
    ];
    for (const [index, [text, message]] of malformed.entries()) {
      const run = await cli("create", "sink", `bad${index}`, name, "--credentials-file", file(`bad${index}.txt`, text), "--dry-run");
      expect(run.code, run.stdout).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain(message);
      expect(run.stderr).not.toMatch(/network|\n\s+at /);
      for (const secret of [key, signature(sas)]) expect(run.stderr).not.toContain(secret);
    }
  });

  it("refuses a SAS for another container, and a contradicting --sink-type", async () => {
    const other = await cli(
      "create",
      "sink",
      "other",
      "another-container",
      "--credentials-file",
      file("sas2.txt", containerSasUrl(azurite, name, { permissions: "cw" })),
    );
    expect(other.stderr).toContain(`The SAS is for container ${name}, not another-container.`);
    const wrongType = await cli("create", "sink", "typed", name, "--credentials-file", join(dir, "sas.txt"), "--sink-type", "GCLOUD");
    expect(wrongType.stderr).toContain(`A Cloud Storage sink was asked for, but Credentials file ${join(dir, "sas.txt")} holds Azure Blob credentials.`);
  });
});

describe("setup-doc --sink-type AZURE", () => {
  it("prints the az document with a create-and-write policy", async () => {
    const run = await runCli(["setup-doc", "their-container", "--sink-type", "AZURE", "--account", "theiraccount", "--path-prefix", "events"], process.env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("# Streamdrop export: Azure setup for container `their-container`");
    expect(run.stdout).toContain("--name streamdrop-writer --permissions cw --expiry");
    expect(run.stdout).toContain("az storage container generate-sas");
  });
});

describe("exporting into Azure Blob Storage", () => {
  let core: TestCore;
  const topic = uniqueName("azure-events");

  beforeAll(async () => {
    core = testCore();
    await createTopic(topic);
    await core.sinks.create({
      name: "blobs",
      bucket: name,
      credentials: { from: "text", text: containerSasUrl(azurite, name, { permissions: "cw" }), label: "(test SAS)" },
      pathPrefix: "export",
    });
    await core.streams.create({ name: "clicks", bootstrapServers: inject("kafkaBrokers"), topic });
  });

  it("stores every event exactly once under the S3 naming scheme, across a worker killed mid-run", async () => {
    await exportAcrossWorkerKill(core, {
      topic,
      streamName: "clicks",
      sinkName: "blobs",
      prefix: "export",
      uriPrefix: `az://${name}/`,
      objects: () => azureBlobs(container),
    });
  });

  it("stores a 20 MiB spooled file as staged blocks from the disk, byte for byte, and never replaces a stored name", async () => {
    const sink = await core.sinks.get("blobs");
    if (sink.type !== "AZURE") throw new Error("expected an Azure sink");
    const store = objectStoreFor(
      { type: "AZURE", bucket: name, endpoint: sink.endpoint, accountName: sink.accountName, secret: (await core.sinks.secretOf(sink))! },
      "test",
    );
    const big = Buffer.alloc(20 * 1024 * 1024 + 123, "0123456789abcdef\n");
    const spooled = join(mkdtempSync(join(tmpdir(), "spool-")), "0.part");
    writeFileSync(spooled, big);
    await store.put("export/big.jsonl", wholeFile(spooled, big.length));
    const blob = container.getBlockBlobClient("export/big.jsonl");
    expect((await blob.downloadToBuffer()).equals(big)).toBe(true);
    expect((await blob.getBlockList("committed")).committedBlocks?.length).toBeGreaterThan(1);
    // Recovery may store a name again: the blob already there is kept (create-only), not replaced.
    await store.put("export/big.jsonl", Buffer.from("other\n"));
    await store.put("export/small.jsonl", Buffer.from("first\n"));
    await store.put("export/small.jsonl", Buffer.from("second\n"));
    expect((await blob.getProperties()).contentLength).toBe(big.length);
    expect((await container.getBlockBlobClient("export/small.jsonl").downloadToBuffer()).toString()).toBe("first\n");
  });

  it("previews a file with a lent connection string, since the SAS cannot read", async () => {
    const sink = await core.sinks.get("blobs");
    const { providerOf } = await import("../../../main/core/stores/registry.js");
    const secret = await core.sinks.secretOf(sink);
    await expect(providerOf(sink).preview(sink, secret, "export/small.jsonl", undefined)).rejects.toThrow("cannot read them back, by design");
    expect(await providerOf(sink).preview(sink, secret, "export/small.jsonl", { connectionString: azurite.connectionString })).toEqual({
      lines: ["first"],
      truncated: false,
    });
  });

  it("says what a person must fix when the container is gone, not a retry", async () => {
    const sink = await core.sinks.get("blobs");
    if (sink.type !== "AZURE") throw new Error("expected an Azure sink");
    const store = objectStoreFor(
      {
        type: "AZURE",
        bucket: "gone-container",
        endpoint: sink.endpoint,
        accountName: sink.accountName,
        secret: { kind: "account-key", accountKey: azurite.connectionString.match(/AccountKey=([^;]+)/)![1]! },
      },
      "test",
    );
    const error = await store.put("export/a.jsonl", Buffer.from("{}\n")).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeDefined();
    expect(store.authorizationProblem(error, "export/a.jsonl")?.message).toContain(
      "Container gone-container does not exist in storage account devstoreaccount1",
    );
    expect(store.authorizationProblem(new Error("socket hang up"), "export/a.jsonl")).toBeUndefined();
  });
});
