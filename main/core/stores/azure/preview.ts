// A SAS that may only create and write cannot read (by design): a preview says so, and the user
// may lend the storage account's connection string for it once.
import { StreamdropError } from "../../errors.js";
import { firstLines, previewBytesOf, type FilePreview } from "../preview.js";
import { azureFailure, containerClientFor } from "./client.js";
import type { AzureSinkRecord } from "./record.js";
import type { AzureSecret } from "./spec.js";
import { objectUri } from "../../../../common/stores.js";

export async function previewAzureFile(sink: AzureSinkRecord, secret: AzureSecret, key: string, lent: boolean): Promise<FilePreview> {
  const uri = objectUri("AZURE", sink.bucket, key);
  const previewBytes = previewBytesOf(key);
  try {
    const blob = containerClientFor(sink, secret, { failFast: true }).getBlockBlobClient(key);
    // A range past the end is refused: read at most what the blob holds.
    const { contentLength = 0 } = await blob.getProperties();
    if (contentLength === 0) return { lines: [], truncated: false };
    const bytes = await blob.downloadToBuffer(0, Math.min(contentLength, previewBytes));
    return await firstLines(bytes, contentLength <= previewBytes, key);
  } catch (error) {
    const { status, code, message } = azureFailure(error);
    if ((status === 403 || code === "AuthorizationPermissionMismatch") && !lent) {
      throw new StreamdropError(
        "credentials",
        `Sink ${sink.name}'s SAS may only create and write files (permissions cw); it cannot read them back, by design. Enter the storage account's connection string once to preview this file; it is not stored.`,
      );
    }
    if (status === 403) throw new StreamdropError("credentials", `These credentials may not read ${uri}.`);
    if (status === 404 || code === "BlobNotFound") throw new StreamdropError("not-found", `${uri} is not in the container (any more).`);
    throw new StreamdropError("storage", `Reading ${uri} failed: ${code || status || "error"}: ${message}`);
  }
}
