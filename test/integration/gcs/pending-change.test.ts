// Every setting that shapes a file, changed while a file is pending on Cloud Storage
// (fake-gcs-server, create-only writes) and its worker killed: nothing lost or doubled, and the
// export log equals the bucket (test/support/pending-change.ts).
import type { Storage } from "@google-cloud/storage";
import { afterAll, beforeAll, describe, it } from "vitest";
import { uniqueName } from "../../support/clients.js";
import { gcsAdmin, serviceAccountKeyJson, startFakeGcs, type FakeGcs } from "../../support/gcs.js";
import { changeWhilePending, shapingChanges, type StoreUnderTest } from "../../support/pending-change.js";

let gcs: FakeGcs;
let admin: Storage;
const bucket = uniqueName("pending");
const keyJson = serviceAccountKeyJson();

const cloudStorage: StoreUnderTest = {
  get port() {
    return Number(new URL(gcs.endpoint).port);
  },
  async createSink(core, proxyUrl, prefix) {
    await core.sinks.create({
      name: "sink",
      bucket,
      credentials: { from: "text", text: keyJson, label: "(test key)" },
      endpoint: proxyUrl,
      pathPrefix: prefix,
    });
  },
  async objects(prefix) {
    const [files] = await admin.bucket(bucket).getFiles({ prefix: `${prefix}/` });
    return Promise.all(files.map(async (file) => ({ key: file.name, bytes: (await file.download())[0] })));
  },
};

beforeAll(async () => {
  gcs = await startFakeGcs();
  admin = gcsAdmin(gcs.endpoint);
  await admin.createBucket(bucket);
});
afterAll(() => gcs?.stop());

describe.concurrent.each(shapingChanges)("on Cloud Storage, changing the $setting while a file is pending", (shaping) => {
  it("re-creates the pending file as planned: nothing lost or doubled, the export log equal to the bucket", { timeout: 120_000 }, () =>
    changeWhilePending(cloudStorage, shaping),
  );
});
