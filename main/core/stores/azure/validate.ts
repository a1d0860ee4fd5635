// Proves an Azure sink works with exactly the permissions exporters need (create, write): an
// empty `.strm_test_<uuid>.jsonl` is written, create-only, where files will go. The file stays
// (the SAS may not delete it).
import { objectUri } from "../../../../common/stores.js";
import { joinKey } from "../../sinks/path-prefix.js";
import { contentTypeOfKey } from "../object-store.js";
import type { FileKind } from "../../../../common/record-format.js";
import { validationFile, type ValidationResult } from "../validation.js";
import { containerClientFor, explainAzureError, type AzureLocation } from "./client.js";
import type { AzureSecret } from "./spec.js";

export async function validateAzureSink(
  target: AzureLocation & { pathPrefix?: string | undefined; compression?: FileKind },
  secret: AzureSecret,
): Promise<ValidationResult> {
  const file = await validationFile(target.compression);
  const key = joinKey(target.pathPrefix, file.name);
  const blob = containerClientFor(target, secret, { failFast: true }).getBlockBlobClient(key);
  try {
    await blob.upload(file.body, file.body.length, { conditions: { ifNoneMatch: "*" }, blobHTTPHeaders: { blobContentType: contentTypeOfKey(key) } });
  } catch (error) {
    throw explainAzureError(error, { ...target, key, authorization: secret.kind });
  }
  return { key, uri: objectUri("AZURE", target.bucket, key) };
}
