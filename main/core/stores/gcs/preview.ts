// A Cloud Storage sink's service account reads its files if it was granted storage.objects.get.
import { StreamdropError } from "../../errors.js";
import { firstLines, previewBytesOf, type FilePreview } from "../preview.js";
import { gcsErrorMessage, gcsStatus, gcsStorageFor } from "./client.js";
import type { ServiceAccountKey } from "./credentials.js";
import type { GcsSinkRecord } from "./record.js";
import { objectUri } from "../../../../common/stores.js";

export async function previewGcsFile(sink: GcsSinkRecord, serviceAccount: ServiceAccountKey, key: string): Promise<FilePreview> {
  const uri = objectUri("GCLOUD", sink.bucket, key);
  const previewBytes = previewBytesOf(key);
  try {
    const [bytes] = await gcsStorageFor(sink, serviceAccount, { failFast: true })
      .bucket(sink.bucket)
      .file(key)
      .download({ start: 0, end: previewBytes - 1 });
    return await firstLines(bytes, bytes.length < previewBytes, key);
  } catch (error) {
    const status = gcsStatus(error);
    // Not "credentials": lending AWS admin credentials (the S3 path) would not help here.
    if (status === 403)
      throw new StreamdropError(
        "storage",
        `Sink ${sink.name}'s service account ${sink.clientEmail} may not read ${uri} (storage.objects.get). Grant it "Storage Object Viewer" on the bucket to preview files here, or open the file in the Cloud console.`,
      );
    if (status === 404) throw new StreamdropError("not-found", `${uri} is not in the bucket (any more).`);
    throw new StreamdropError("storage", `Reading ${uri} failed: ${status ?? "error"}: ${gcsErrorMessage(error)}`);
  }
}
