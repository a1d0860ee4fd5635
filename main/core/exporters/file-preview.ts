// The first lines of a stored file, for the output files view. The sink's least-privilege key
// cannot read (by design), so this says so and the user may lend admin credentials for it.
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { awsErrorName, StreamdropError } from "../errors.js";
import type { SinkRecord } from "../config/schema.js";
import { s3ClientFor, type S3Credentials } from "../sinks/s3-client.js";

const previewBytes = 64 * 1024;
const previewLines = 20;

export async function previewFile(sink: SinkRecord, credentials: S3Credentials, key: string, withAdmin: boolean): Promise<{ lines: string[]; truncated: boolean }> {
  const client = s3ClientFor(sink, credentials, sink.region ?? "us-east-1");
  try {
    const object = await client.send(new GetObjectCommand({ Bucket: sink.bucket, Key: key, Range: `bytes=0-${previewBytes - 1}` }));
    const text = await object.Body!.transformToString();
    const lines = text.split("\n").filter((line, index, all) => line !== "" || index < all.length - 1);
    const complete = (object.ContentLength ?? 0) < previewBytes;
    return { lines: lines.slice(0, previewLines), truncated: lines.length > previewLines || !complete };
  } catch (error) {
    const name = awsErrorName(error);
    if (name === "AccessDenied" && !withAdmin) {
      throw new StreamdropError("credentials", `Sink ${sink.name}'s key may only write files (s3:PutObject) and find the bucket's region; it cannot read them back, by design. Enter admin credentials once to preview this file; they are not stored.`);
    }
    if (name === "AccessDenied") throw new StreamdropError("credentials", `These credentials may not read s3://${sink.bucket}/${key} (s3:GetObject).`);
    if (name === "NoSuchKey") throw new StreamdropError("not-found", `s3://${sink.bucket}/${key} is not in the bucket (any more).`);
    throw new StreamdropError("storage", `Reading s3://${sink.bucket}/${key} failed: ${name}: ${(error as Error).message}`);
  } finally {
    client.destroy();
  }
}
