// Cloud Storage for tests: a private fake-gcs-server, an admin client that reads it back, and
// service-account keys generated per run (nothing that looks like a real key is committed).
import { generateKeyPairSync } from "node:crypto";
import { Storage } from "@google-cloud/storage";
import { startFakeGcs, type FakeGcs } from "../../stack/fake-gcs.js";

export { startFakeGcs, type FakeGcs };

export function serviceAccountKeyJson(email = "exporter@streamdrop-test.iam.gserviceaccount.com"): string {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  return JSON.stringify(
    {
      type: "service_account",
      project_id: "streamdrop-test",
      private_key_id: "0123456789abcdef",
      private_key: privateKey,
      client_email: email,
      client_id: "100000000000000000001",
      token_uri: "https://oauth2.googleapis.com/token",
    },
    null,
    2,
  );
}

/** A client of the emulator (which checks no credentials), to create buckets and read files back. */
export function gcsAdmin(endpoint: string): Storage {
  return new Storage({ apiEndpoint: endpoint, projectId: "streamdrop-test" });
}

/** Every object in the bucket, with its content. */
export async function gcsObjects(storage: Storage, bucket: string): Promise<Array<{ key: string; body: string }>> {
  const [files] = await storage.bucket(bucket).getFiles();
  return Promise.all(files.map(async (file) => ({ key: file.name, body: (await file.download())[0].toString("utf8") })));
}
