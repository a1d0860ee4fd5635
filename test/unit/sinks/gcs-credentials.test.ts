// Google Cloud credentials files: a service-account key makes a Cloud Storage sink; every other
// kind of Google credential, and P12 keys whatever they are called, are refused by name. The
// private keys here are generated per run; messages must never quote them.
import { execFileSync } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readCredentialsFile } from "../../../main/core/sinks/credentials-file.js";
import { readAccessKeyFile } from "../../../main/core/stores/s3/aws/access-key-file.js";
import { looksLikePkcs12 } from "../../../main/core/stores/gcs/pkcs12.js";
import { planSink } from "../../../main/core/sinks/sink-options.js";

const dir = mkdtempSync(join(tmpdir(), "streamdrop-gcs-creds-"));
const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});
const secretMarker = "ZZZ-never-quoted-ZZZ";

function file(name: string, content: string | Buffer | object): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "object" && !Buffer.isBuffer(content) ? JSON.stringify(content, null, 2) : content);
  return path;
}

const serviceAccountKey = (fields: Record<string, unknown> = {}) => ({
  type: "service_account",
  project_id: "streamdrop-test",
  private_key_id: "0123456789abcdef",
  private_key: privateKey,
  client_email: "exporter@streamdrop-test.iam.gserviceaccount.com",
  client_id: "100000000000000000001",
  auth_uri: "https://accounts.google.com/o/oauth2/auth",
  token_uri: "https://oauth2.googleapis.com/token",
  ...fields,
});

async function failure(path: string): Promise<string> {
  const error = await readCredentialsFile(path).then(
    () => undefined,
    (caught: Error) => caught,
  );
  expect(error, "expected the file to be refused").toBeDefined();
  expect(error!.message).not.toContain(secretMarker);
  expect(error!.message).not.toContain("PRIVATE KEY");
  return error!.message;
}

const createKey =
  "Streamdrop writes to Google Cloud Storage with a service-account key. Create a JSON key for the service account that writes to the bucket: in the Google Cloud console: IAM, Service accounts, Keys, Add key, JSON.";

describe("Google Cloud credentials files", () => {
  it("reads a service-account key as Cloud Storage credentials", async () => {
    const parsed = await readCredentialsFile(file("sa.json", serviceAccountKey()));
    expect(parsed).toEqual({
      store: "GCLOUD",
      kind: "gcs-service-account",
      projectId: "streamdrop-test",
      clientEmail: "exporter@streamdrop-test.iam.gserviceaccount.com",
      privateKey,
      privateKeyId: "0123456789abcdef",
    });
  });

  it("names what is missing from an incomplete service-account key", async () => {
    const path = file("partial.json", serviceAccountKey({ client_email: undefined, project_id: "" }));
    expect(await failure(path)).toBe(
      `Credentials file ${path} is not a complete Google Cloud service-account key: "project_id" is empty; "client_email" is missing. Create a JSON key for the service account that writes to the bucket: in the Google Cloud console: IAM, Service accounts, Keys, Add key, JSON.`,
    );
    const notPem = file("not-pem.json", serviceAccountKey({ private_key: secretMarker }));
    expect(await failure(notPem)).toContain('"private_key" is not a PEM private key');
  });

  it("says that a key cut short or with its line breaks lost is malformed, not OpenSSL's words", async () => {
    const cut = file("cut.json", serviceAccountKey({ private_key: privateKey.slice(0, 400) + "\n-----END PRIVATE KEY-----\n" }));
    const message = await failure(cut);
    expect(message).toContain(
      'has a "private_key" that is malformed (not a readable PEM private key: cut short, edited, or with its line breaks lost). Download the key again.',
    );
    expect(message).not.toMatch(/DECODER|routines/);
  });

  it.each([
    [
      "user credentials",
      { type: "authorized_user", client_id: "x.apps.googleusercontent.com", client_secret: secretMarker, refresh_token: secretMarker },
      "holds Google user credentials (from `gcloud auth application-default login`), not a service-account key.",
    ],
    [
      "an external account",
      {
        type: "external_account",
        audience: "//iam.googleapis.com/x",
        subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
        token_url: "https://sts.googleapis.com/v1/token",
        credential_source: { file: "/tmp/token" },
      },
      "holds a Google workload identity federation configuration (external account), not a service-account key.",
    ],
    [
      "external account user credentials",
      {
        type: "external_account_authorized_user",
        audience: "//iam.googleapis.com/x",
        refresh_token: secretMarker,
        token_url: "https://sts.googleapis.com/v1/oauthtoken",
      },
      "holds Google workforce identity federation user credentials, not a service-account key.",
    ],
    [
      "impersonated credentials",
      {
        type: "impersonated_service_account",
        service_account_impersonation_url: "https://iamcredentials.googleapis.com/v1/x",
        source_credentials: { type: "authorized_user", refresh_token: secretMarker },
      },
      "holds Google impersonated service-account credentials, not a service-account key.",
    ],
  ])("refuses %s, naming them", async (_kind, content, what) => {
    const path = file(`${_kind.replace(/ /g, "-")}.json`, content);
    expect(await failure(path)).toBe(`Credentials file ${path} ${what} ${createKey}`);
  });

  it("recognises a P12 key by its content, whatever the file is called, and says how to get a JSON key", async () => {
    const key = join(dir, "p12-key.pem");
    const cert = join(dir, "p12-cert.pem");
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=test"], {
      stdio: "ignore",
    });
    for (const legacy of [[], ["-legacy"]]) {
      const p12 = join(dir, `service-account${legacy.length}.json`);
      execFileSync("openssl", ["pkcs12", "-export", ...legacy, "-name", "privatekey", "-inkey", key, "-in", cert, "-out", p12, "-passout", "pass:notasecret"], {
        stdio: "ignore",
      });
      expect(looksLikePkcs12(readFileSync(p12))).toBe(true);
      expect(await failure(p12)).toBe(
        `Credentials file ${p12} is a PKCS#12 (P12) key, which Streamdrop does not support. For Google Cloud Storage create a JSON key for the service account instead (in the Google Cloud console: IAM, Service accounts, Keys, Add key, JSON); for S3 use the JSON printed by \`aws iam create-access-key\`.`,
      );
    }
    // Other DER and binary content is not taken for P12.
    const der = execFileSync("openssl", ["x509", "-in", cert, "-outform", "DER"]);
    expect(looksLikePkcs12(der)).toBe(false);
    expect(looksLikePkcs12(readFileSync(key))).toBe(false);
    const p12 = readFileSync(join(dir, "service-account0.json"));
    expect(looksLikePkcs12(p12.subarray(0, p12.length - 10))).toBe(false);
    expect(looksLikePkcs12(Buffer.concat([p12, Buffer.from([0])]))).toBe(false);
    for (let i = 0; i < 2000; i += 1) expect(looksLikePkcs12(Buffer.concat([Buffer.from([0x30, 0x82]), randomBytes(200)]))).toBe(false);
  });

  it("refuses a Google key where AWS admin credentials are needed", async () => {
    const path = file("admin.json", serviceAccountKey());
    await expect(readAccessKeyFile(path)).rejects.toThrow(
      `Credentials file ${path} holds Google Cloud Storage credentials; AWS credentials (the JSON printed by \`aws iam create-access-key\`) are needed here.`,
    );
  });
});

describe("the sink type", () => {
  const awsKey = file("aws.json", { AccessKey: { AccessKeyId: "AKIAFAKEFAKEFAKE0001", SecretAccessKey: secretMarker } });
  const gcsKey = file("gcs.json", serviceAccountKey());

  it("follows from the credentials file", async () => {
    const gcs = await planSink({ name: "g", bucket: "my_events.bucket", credentials: { from: "file", path: gcsKey } });
    expect(gcs.type).toBe("GCLOUD");
    expect(gcs.type === "GCLOUD" && gcs.serviceAccount.clientEmail).toBe("exporter@streamdrop-test.iam.gserviceaccount.com");
    expect((await planSink({ name: "s", bucket: "my-events", credentials: { from: "file", path: awsKey } })).type).toBe("S3");
  });

  it("can be given with --sink-type, and a contradiction says which way to fix it", async () => {
    expect((await planSink({ name: "g", bucket: "events", credentials: { from: "file", path: gcsKey }, sinkType: "GCLOUD" })).type).toBe("GCLOUD");
    await expect(planSink({ name: "g", bucket: "events", credentials: { from: "file", path: awsKey }, sinkType: "GCLOUD" })).rejects.toThrow(
      `A Cloud Storage sink was asked for, but Credentials file ${awsKey} holds S3 credentials. Either give a Google Cloud service-account key (JSON), or let the type follow the credentials.`,
    );
    await expect(planSink({ name: "s", bucket: "events", credentials: { from: "file", path: gcsKey }, sinkType: "S3" })).rejects.toThrow(
      "An S3 sink was asked for, but Credentials file",
    );
    await expect(planSink({ name: "g", bucket: "events", credentials: { from: "default-chain" }, sinkType: "GCLOUD" })).rejects.toThrow(
      "The AWS default credential chain applies to S3 only",
    );
  });

  it("checks the bucket name by the rules of the sink's store, and refuses S3-only options", async () => {
    await expect(planSink({ name: "s", bucket: "my_events", credentials: { from: "file", path: awsKey } })).rejects.toThrow(
      "an S3 bucket name may contain only lowercase letters, digits, dots and hyphens",
    );
    await expect(planSink({ name: "g", bucket: "my-google-events", credentials: { from: "file", path: gcsKey } })).rejects.toThrow(
      'a Cloud Storage bucket name must not contain "google"',
    );
    await expect(planSink({ name: "g", bucket: "goog-events", credentials: { from: "file", path: gcsKey } })).rejects.toThrow('must not start with "goog"');
    await expect(planSink({ name: "g", bucket: "events", credentials: { from: "file", path: gcsKey }, region: "eu-west-1" })).rejects.toThrow(
      "The region applies to S3 sinks only",
    );
  });
});
