// @aws-sdk/client-s3 against moto server of the local stack.
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { expect, inject, it } from "vitest";
import { s3Client, uniqueName } from "../support/clients.js";

it("puts and gets an object through moto", async () => {
  const s3 = s3Client(inject("s3Endpoint"));
  const bucket = uniqueName("roundtrip");
  const body = '{"n":1}\n{"n":2}\n';
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "events/batch.jsonl", Body: body, ContentType: "application/x-ndjson" }));
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "events/batch.jsonl" }));
  expect(await object.Body!.transformToString()).toBe(body);
  expect(object.ContentLength).toBe(Buffer.byteLength(body));
});
