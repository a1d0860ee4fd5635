// The first lines of a stored file, for the output files view. An S3 sink's least-privilege key
// cannot read (by design), so this says so and the user may lend admin credentials for it; a
// Cloud Storage sink's service account reads if it was granted storage.objects.get.
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { awsErrorName, StreamdropError } from "../errors.js";
import type { GcsSinkRecord, S3SinkRecord } from "../config/schema.js";
import type { ServiceAccountKey } from "../sinks/credentials-file.js";
import { gcsErrorMessage, gcsStatus, gcsStorageFor } from "../sinks/gcs-client.js";
import { s3ClientFor, type S3Credentials } from "../sinks/s3-client.js";

const previewBytes = 64 * 1024;
const previewLines = 20;

export interface FilePreview {
  lines: string[];
  truncated: boolean;
}

function firstLines(text: string, complete: boolean): FilePreview {
  const lines = text.split("\n").filter((line, index, all) => line !== "" || index < all.length - 1);
  return { lines: lines.slice(0, previewLines), truncated: lines.length > previewLines || !complete };
}

export async function previewS3File(sink: S3SinkRecord, credentials: S3Credentials, key: string, withAdmin: boolean): Promise<FilePreview> {
  const client = s3ClientFor(sink, credentials, sink.region ?? "us-east-1");
  try {
    const object = await client.send(new GetObjectCommand({ Bucket: sink.bucket, Key: key, Range: `bytes=0-${previewBytes - 1}` }));
    return firstLines(await object.Body!.transformToString(), (object.ContentLength ?? 0) < previewBytes);
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

export async function previewGcsFile(sink: GcsSinkRecord, serviceAccount: ServiceAccountKey, key: string): Promise<FilePreview> {
  const uri = `gs://${sink.bucket}/${key}`;
  try {
    const [bytes] = await gcsStorageFor(sink, serviceAccount, { failFast: true }).bucket(sink.bucket).file(key).download({ start: 0, end: previewBytes - 1 });
    return firstLines(bytes.toString("utf8"), bytes.length < previewBytes);
  } catch (error) {
    const status = gcsStatus(error);
    // Not "credentials": lending AWS admin credentials (the S3 path) would not help here.
    if (status === 403) throw new StreamdropError("storage", `Sink ${sink.name}'s service account ${sink.clientEmail} may not read ${uri} (storage.objects.get). Grant it "Storage Object Viewer" on the bucket to preview files here, or open the file in the Cloud console.`);
    if (status === 404) throw new StreamdropError("not-found", `${uri} is not in the bucket (any more).`);
    throw new StreamdropError("storage", `Reading ${uri} failed: ${status ?? "error"}: ${gcsErrorMessage(error)}`);
  }
}
