// Proves a Cloud Storage sink works with exactly the permission exporters need
// (storage.objects.create): an empty `.strm_test_<uuid>.jsonl` is written where files will go.
// The file stays (the writer may not delete it).
import { objectUri } from "../../../../common/stores.js";
import { explainGcsError, gcsStorageFor, type GcsLocation } from "./client.js";
import type { ServiceAccountKey } from "./credentials.js";
import { joinKey } from "../../sinks/path-prefix.js";
import { contentTypeOfKey, type FileKind } from "../../../../common/record-format.js";
import { validationFile, type ValidationResult } from "../validation.js";

export async function validateGcsSink(
  target: GcsLocation & { pathPrefix?: string | undefined; compression?: FileKind },
  key: ServiceAccountKey,
): Promise<ValidationResult> {
  const validation = await validationFile(target.compression);
  const name = joinKey(target.pathPrefix, validation.name);
  const file = gcsStorageFor(target, key, { failFast: true }).bucket(target.bucket).file(name);
  try {
    await file.save(validation.body, { resumable: false, contentType: contentTypeOfKey(name), preconditionOpts: { ifGenerationMatch: 0 } });
  } catch (error) {
    throw explainGcsError(error, { bucket: target.bucket, key: name, clientEmail: key.clientEmail, ...(target.endpoint ? { endpoint: target.endpoint } : {}) });
  }
  return { key: name, uri: objectUri("GCLOUD", target.bucket, name) };
}
