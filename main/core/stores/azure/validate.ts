// Proves an Azure sink works with exactly the permissions exporters need (create, write): an
// empty `.strm_test_<uuid>.jsonl` is written, create-only, where files will go. The file stays
// (the SAS may not delete it).
import { joinKey } from "../../sinks/path-prefix.js";
import { contentType } from "../object-store.js";
import { validationFileName, type ValidationResult } from "../validation.js";
import { containerClientFor, explainAzureError, type AzureLocation } from "./client.js";
import type { AzureSecret } from "./spec.js";

export async function validateAzureSink(target: AzureLocation & { pathPrefix?: string | undefined }, secret: AzureSecret): Promise<ValidationResult> {
  const key = joinKey(target.pathPrefix, validationFileName());
  const blob = containerClientFor(target, secret, { failFast: true }).getBlockBlobClient(key);
  try {
    await blob.upload(Buffer.alloc(0), 0, { conditions: { ifNoneMatch: "*" }, blobHTTPHeaders: { blobContentType: contentType } });
  } catch (error) {
    throw explainAzureError(error, { ...target, key, authorization: secret.kind });
  }
  return { key, uri: `az://${target.bucket}/${key}` };
}
