// Every setting that shapes a file, changed while a file is pending on S3 (moto) and its worker
// killed: nothing lost or doubled, and the export log equals the bucket (test/support/pending-change.ts).
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { beforeAll, describe, inject, it } from "vitest";
import { s3Client, uniqueName } from "../../support/clients.js";
import { changeWhilePending, shapingChanges, type StoreUnderTest } from "../../support/pending-change.js";

const s3 = s3Client(inject("s3Endpoint"));
const bucket = uniqueName("pending");

const moto: StoreUnderTest = {
  port: Number(new URL(inject("s3Endpoint")).port),
  async createSink(core, proxyUrl, prefix) {
    const key = JSON.stringify({ AccessKey: { AccessKeyId: "AKIAPENDINGCHANGE000", SecretAccessKey: uniqueName("not-a-real-secret") } });
    await core.sinks.create({ name: "sink", bucket, credentials: { from: "text", text: key, label: "(test key)" }, endpoint: proxyUrl, pathPrefix: prefix });
  },
  async objects(prefix) {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/` }));
    return Promise.all(
      (listed.Contents ?? []).map(async ({ Key }) => ({
        key: Key!,
        bytes: Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body!.transformToByteArray()),
      })),
    );
  },
};

beforeAll(() => s3.send(new CreateBucketCommand({ Bucket: bucket })));

describe.concurrent.each(shapingChanges)("on S3, changing the $setting while a file is pending", (shaping) => {
  it("re-creates the pending file as planned: nothing lost or doubled, the export log equal to the bucket", { timeout: 120_000 }, () =>
    changeWhilePending(moto, shaping),
  );
});
