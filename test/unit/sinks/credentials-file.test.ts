// Every shape of credentials file, good and bad, with the message a user sees. The keys here are
// obviously fake; messages must never quote them.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readCredentialsFile } from "../../../main/core/sinks/credentials-file.js";

const dir = mkdtempSync(join(tmpdir(), "streamdrop-creds-"));
const fakeSecret = "fake-secret-for-tests-0000000000000000000";

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const createAccessKeyOutput = (fields: Record<string, unknown> = {}) =>
  JSON.stringify(
    {
      AccessKey: {
        UserName: "strm-export-demo",
        AccessKeyId: "AKIAFAKEFAKEFAKE0001",
        Status: "Active",
        SecretAccessKey: fakeSecret,
        CreateDate: "2021-04-08T08:19:33+00:00",
        ...fields,
      },
    },
    null,
    4,
  );

async function failure(path: string): Promise<string> {
  const error = await readCredentialsFile(path).then(
    () => undefined,
    (caught: Error) => caught,
  );
  expect(error, "expected the file to be refused").toBeDefined();
  expect(error!.message).not.toContain(fakeSecret);
  return error!.message;
}

describe("readCredentialsFile", () => {
  it("reads the output of aws iam create-access-key, with the product page's // comment", async () => {
    const withComment = createAccessKeyOutput().replace('"2021-04-08T08:19:33+00:00"', '"2021-04-08T08:19:33+00:00" // The actual date might differ');
    await expect(readCredentialsFile(file("s3.json", withComment))).resolves.toEqual({
      store: "S3",
      kind: "aws-access-key",
      userName: "strm-export-demo",
      accessKeyId: "AKIAFAKEFAKEFAKE0001",
      secretAccessKey: fakeSecret,
    });
  });

  it("accepts a key without Status (only AccessKeyId and SecretAccessKey are required)", async () => {
    const minimal = JSON.stringify({ AccessKey: { AccessKeyId: "AKIAFAKEFAKEFAKE0002", SecretAccessKey: fakeSecret } });
    await expect(readCredentialsFile(file("minimal.json", minimal))).resolves.toMatchObject({ accessKeyId: "AKIAFAKEFAKEFAKE0002" });
  });

  it("reads the AWS console's accessKeys.csv (with its byte order mark and CRLF lines)", async () => {
    const csv = `\uFEFFAccess key ID,Secret access key\r\nAKIAFAKEFAKEFAKE0003,${fakeSecret}\r\n`;
    await expect(readCredentialsFile(file("accessKeys.csv", csv))).resolves.toEqual({
      store: "S3",
      kind: "aws-access-key",
      accessKeyId: "AKIAFAKEFAKEFAKE0003",
      secretAccessKey: fakeSecret,
    });
  });

  it("reads the console's older credentials.csv, with the user name", async () => {
    const csv = `User name,Password,Access key ID,Secret access key,Console login link\nexporter,,AKIAFAKEFAKEFAKE0004,${fakeSecret},https://123456789012.signin.aws.amazon.com/console\n`;
    await expect(readCredentialsFile(file("credentials.csv", csv))).resolves.toEqual({
      store: "S3",
      kind: "aws-access-key",
      userName: "exporter",
      accessKeyId: "AKIAFAKEFAKEFAKE0004",
      secretAccessKey: fakeSecret,
    });
  });

  it("explains a console CSV without its key, or with a column missing, never quoting it", async () => {
    expect(await failure(file("header-only.csv", "Access key ID,Secret access key\n"))).toContain("is the header of an access key CSV file with no key in it.");
    expect(await failure(file("one-column.csv", `Access key ID\nAKIAFAKEFAKEFAKE0005\n`))).toContain(
      'is a CSV file without both columns "Access key ID" and "Secret access key".',
    );
    expect(
      await failure(file("two-keys.csv", `Access key ID,Secret access key\nAKIAFAKEFAKEFAKE0006,${fakeSecret}\nAKIAFAKEFAKEFAKE0007,${fakeSecret}\n`)),
    ).toContain("holds 2 access keys");
    expect(await failure(file("empty-secret.csv", "Access key ID,Secret access key\nAKIAFAKEFAKEFAKE0008,\n"))).toMatch(/SecretAccessKey|secret/i);
  });

  it("reads the S3-compatible form and takes the endpoint from url", async () => {
    const minio = JSON.stringify({ url: "http://127.0.0.1:9000/", accessKey: "minio-fake", secretKey: fakeSecret, api: "s3v4", path: "auto" });
    await expect(readCredentialsFile(file("minio.json", minio))).resolves.toEqual({
      store: "S3",
      kind: "s3-compatible",
      endpoint: "http://127.0.0.1:9000",
      forcePathStyle: true,
      accessKeyId: "minio-fake",
      secretAccessKey: fakeSecret,
    });
  });

  it.each([
    ["SecretAccessKey", 'is not a complete access key: "AccessKey.SecretAccessKey" is missing.'],
    ["AccessKeyId", 'is not a complete access key: "AccessKey.AccessKeyId" is missing.'],
  ])("names a missing %s", async (field, message) => {
    const path = file(`missing-${field}.json`, createAccessKeyOutput({ [field]: undefined }));
    expect(await failure(path)).toBe(`Credentials file ${path} ${message}`);
  });

  it("names an empty field", async () => {
    const path = file("empty-secret.json", createAccessKeyOutput({ SecretAccessKey: "" }));
    expect(await failure(path)).toContain('"AccessKey.SecretAccessKey" is empty');
  });

  it("refuses an inactive key and says how to fix it", async () => {
    const path = file("inactive.json", createAccessKeyOutput({ Status: "Inactive" }));
    expect(await failure(path)).toBe(
      `Credentials file ${path} holds an access key whose Status is "Inactive", not "Active". Activate it (in the AWS console: IAM, Users, Security credentials) or create a new key.`,
    );
  });

  it("refuses text that is not JSON with a position, never quoting the content", async () => {
    const path = file("broken.json", `{\n  "AccessKey": {\n    "SecretAccessKey": "${fakeSecret}"\n    "AccessKeyId": "AKIA"\n  }\n}`);
    expect(await failure(path)).toBe(
      `Credentials file ${path} is not valid JSON (error at line 4, column 5). It should hold the JSON printed by \`aws iam create-access-key\` or the AWS console's accessKeys.csv (S3), or a JSON service-account key (Google Cloud Storage), or a container SAS URL or a storage account connection string (Azure Blob Storage).`,
    );
  });

  it("recognises an AWS CLI credentials INI file", async () => {
    const path = file("credentials", `[default]\naws_access_key_id = AKIAFAKE\naws_secret_access_key = ${fakeSecret}\n`);
    expect(await failure(path)).toContain("is an AWS CLI credentials (INI) file");
  });

  it("refuses an empty file", async () => {
    const path = file("empty.json", "  \n");
    expect(await failure(path)).toBe(
      `Credentials file ${path} is empty. It should hold the JSON printed by \`aws iam create-access-key\` or the AWS console's accessKeys.csv (S3), or a JSON service-account key (Google Cloud Storage), or a container SAS URL or a storage account connection string (Azure Blob Storage).`,
    );
  });

  it("refuses a file over 1 MiB without reading it", async () => {
    const path = file("huge.json", Buffer.alloc(1024 * 1024 + 1, 0x20));
    expect(await failure(path)).toContain("is 1.0 MiB; a credentials file is a small JSON document (at most 1 MiB)");
  });

  it("recognises a PKCS#12 (P12) key by its content, whatever its name", async () => {
    const key = join(dir, "key.pem");
    const cert = join(dir, "cert.pem");
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=test"], {
      stdio: "ignore",
    });
    const p12 = join(dir, "looks-like.json");
    execFileSync("openssl", ["pkcs12", "-export", "-inkey", key, "-in", cert, "-out", p12, "-passout", "pass:notasecret"], { stdio: "ignore" });
    expect(readFileSync(p12)[0]).toBe(0x30);
    expect(await failure(p12)).toBe(
      `Credentials file ${p12} is a PKCS#12 (P12) key, which Streamdrop does not support. For Google Cloud Storage create a JSON key for the service account instead (in the Google Cloud console: IAM, Service accounts, Keys, Add key, JSON); for S3 use the JSON printed by \`aws iam create-access-key\`.`,
    );
  });

  it("explains the bare access-key object", async () => {
    const path = file("bare.json", JSON.stringify({ AccessKeyId: "AKIAFAKE", SecretAccessKey: fakeSecret }));
    expect(await failure(path)).toContain('not the "AccessKey" object around them');
  });

  it("refuses other JSON, naming both accepted shapes", async () => {
    const path = file("other.json", JSON.stringify({ hello: "world" }));
    expect(await failure(path)).toContain('has neither an "AccessKey" object');
    const array = file("array.json", "[1, 2]");
    expect(await failure(array)).toContain("does not hold a JSON object");
  });

  it("refuses incomplete S3-compatible credentials and non-s3v4 signatures", async () => {
    const missing = file("minio-missing.json", JSON.stringify({ url: "http://127.0.0.1:9000", accessKey: "k" }));
    expect(await failure(missing)).toContain('"secretKey" is missing');
    const badUrl = file("minio-url.json", JSON.stringify({ url: "not a url", accessKey: "k", secretKey: fakeSecret }));
    expect(await failure(badUrl)).toContain('"url" is not a valid URL');
    const v2 = file("minio-v2.json", JSON.stringify({ url: "http://127.0.0.1:9000", accessKey: "k", secretKey: fakeSecret, api: "s3v2" }));
    expect(await failure(v2)).toContain('asks for signature "s3v2"; only "s3v4" is supported');
  });

  it("says when the file does not exist", async () => {
    const path = join(dir, "nope.json");
    expect(await failure(path)).toBe(`Credentials file ${path} does not exist. Check the path.`);
  });

  it("refuses binary content", async () => {
    const path = file("binary.json", Buffer.from([0xff, 0xfe, 0x00, 0x41]));
    expect(await failure(path)).toContain("is not a text file");
  });
});
