// An S3 sink's least-privilege key cannot read (by design), so a preview says so, and the user
// may lend admin credentials for it once.
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { awsErrorName, StreamdropError } from "../../errors.js";
import { firstLines, previewBytesOf, type FilePreview } from "../preview.js";
import { s3ClientFor } from "./client.js";
import type { S3Credentials } from "./credentials-provider.js";
import type { S3SinkRecord } from "./record.js";
import { objectUri } from "../../../../common/stores.js";

export async function previewS3File(sink: S3SinkRecord, credentials: S3Credentials, key: string, withAdmin: boolean): Promise<FilePreview> {
  const uri = objectUri("S3", sink.bucket, key);
  const client = s3ClientFor(sink, credentials, sink.region ?? "us-east-1");
  const previewBytes = previewBytesOf(key);
  try {
    const object = await client.send(new GetObjectCommand({ Bucket: sink.bucket, Key: key, Range: `bytes=0-${previewBytes - 1}` }));
    return await firstLines(Buffer.from(await object.Body!.transformToByteArray()), (object.ContentLength ?? 0) < previewBytes, key);
  } catch (error) {
    const name = awsErrorName(error);
    if (name === "AccessDenied" && !withAdmin) {
      throw new StreamdropError(
        "credentials",
        `Sink ${sink.name}'s key may only write files (s3:PutObject) and find the bucket's region; it cannot read them back, by design. Enter admin credentials once to preview this file; they are not stored.`,
      );
    }
    if (name === "AccessDenied") throw new StreamdropError("credentials", `These credentials may not read ${uri} (s3:GetObject).`);
    if (name === "NoSuchKey") throw new StreamdropError("not-found", `${uri} is not in the bucket (any more).`);
    throw new StreamdropError("storage", `Reading ${uri} failed: ${name}: ${(error as Error).message}`);
  } finally {
    client.destroy();
  }
}
