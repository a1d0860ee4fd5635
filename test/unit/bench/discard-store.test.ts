// The bench's discard store answers the AWS SDK as S3 does for what a drain and its read-back ask:
// a bucket, puts (create-only ones refused when the name exists), multipart uploads, a listing in
// pages, and every body back byte for byte.
import { CreateBucketCommand, GetObjectCommand, HeadBucketCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { afterAll, beforeAll, expect, it } from "vitest";
import { request } from "node:https";
import { benchTls, startDiscardStore, trustBenchTls, type S3Server } from "../../../bench/s3-servers.js";

let store: S3Server;
beforeAll(async () => {
  store = await startDiscardStore();
}, 30_000);
afterAll(() => store?.stop());

it("keeps what it is sent, refuses a create-only put over an existing name, and lists in pages", async () => {
  const { client } = store;
  await client.send(new CreateBucketCommand({ Bucket: "b" }));
  await client.send(new HeadBucketCommand({ Bucket: "b" }));
  for (let n = 0; n < 3; n += 1) await client.send(new PutObjectCommand({ Bucket: "b", Key: `p/${n}.jsonl`, Body: `{"id":${n}}\n` }));
  await expect(client.send(new PutObjectCommand({ Bucket: "b", Key: "p/0.jsonl", Body: "again", IfNoneMatch: "*" }))).rejects.toMatchObject({
    $metadata: { httpStatusCode: 412 },
  });
  const big = Buffer.alloc(11 * 1024 * 1024, 7);
  big.write("first", 0);
  big.write("last", big.length - 4);
  await new Upload({ client, params: { Bucket: "b", Key: "p/big.parquet", Body: big }, partSize: 5 * 1024 * 1024 }).done();

  const first = await client.send(new ListObjectsV2Command({ Bucket: "b", Prefix: "p/", MaxKeys: 2 }));
  expect(first.Contents?.map((object) => object.Key)).toEqual(["p/0.jsonl", "p/1.jsonl"]);
  expect(first.IsTruncated).toBe(true);
  const rest = await client.send(new ListObjectsV2Command({ Bucket: "b", Prefix: "p/", ContinuationToken: first.NextContinuationToken! }));
  expect(rest.Contents?.map((object) => [object.Key, object.Size])).toEqual([
    ["p/2.jsonl", 9],
    ["p/big.parquet", big.length],
  ]);
  const read = async (key: string) => Buffer.from(await (await client.send(new GetObjectCommand({ Bucket: "b", Key: key }))).Body!.transformToByteArray());
  expect((await read("p/0.jsonl")).toString()).toBe('{"id":0}\n');
  expect((await read("p/big.parquet")).equals(big)).toBe(true);
});

it("serves HTTPS with the bench's own certificate, which its client trusts", async () => {
  const tls = benchTls();
  const secure = await startDiscardStore(tls);
  try {
    expect(secure.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    await secure.client.send(new CreateBucketCommand({ Bucket: "s" }));
    await secure.client.send(new PutObjectCommand({ Bucket: "s", Key: "x.jsonl", Body: '{"id":1}\n' }));
    const got = await secure.client.send(new GetObjectCommand({ Bucket: "s", Key: "x.jsonl" }));
    expect(await got.Body!.transformToString()).toBe('{"id":1}\n');
    // Plain HTTP to it is no answer: it speaks TLS only.
    await expect(fetch(secure.endpoint.replace("https:", "http:"))).rejects.toThrow();
  } finally {
    secure.stop();
  }
}, 30_000);

it("is trusted by this process's HTTPS requests and by the workers it forks, once the bench trusts its CA", async () => {
  const tls = benchTls();
  const secure = await startDiscardStore(tls);
  const status = () =>
    new Promise<number>((resolve, reject) =>
      request(`${secure.endpoint}/no-bucket/no-such-key.jsonl`, (response) => resolve(response.statusCode ?? 0))
        .on("error", reject)
        .end(),
    );
  try {
    await expect(status()).rejects.toThrow(/certificate/);
    trustBenchTls(tls);
    expect(await status()).toBe(404);
    expect(process.env.NODE_EXTRA_CA_CERTS).toBe(tls.ca);
  } finally {
    secure.stop();
  }
}, 30_000);
