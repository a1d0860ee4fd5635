// A Cloud Storage worker's uploads: create-only, resumable above 8 MiB.
import { objectUri } from "../../../../common/stores.js";
import { contentTypeOfKey, type ObjectStore } from "../object-store.js";
import { isSpooled, wholeFileOf, type FileBody } from "../file-body.js";
import { explainGcsError, gcsStatus, gcsStorageFor, isGcsAuthorizationError } from "./client.js";
import type { GcsStorageSpec } from "./spec.js";
import type { StreamdropError } from "../../errors.js";

/** Bodies above this go up as resumable uploads (in 8 MiB chunks, each retriable). */
const resumableThreshold = 8 * 1024 * 1024;

export const createObjectStore = (spec: GcsStorageSpec): ObjectStore => new GcsObjectStore(spec);

export class GcsObjectStore implements ObjectStore {
  private readonly bucket;

  constructor(private readonly spec: GcsStorageSpec) {
    this.bucket = gcsStorageFor(spec, spec.serviceAccount).bucket(spec.bucket);
  }

  uri(key: string): string {
    return objectUri("GCLOUD", this.spec.bucket, key);
  }

  async put(key: string, body: FileBody): Promise<void> {
    // Create-only: overwriting needs storage.objects.delete, which a least-privilege writer lacks.
    const options = { resumable: body.length > resumableThreshold, contentType: contentTypeOfKey(key), preconditionOpts: { ifGenerationMatch: 0 } };
    try {
      // A spooled file goes up from the disk; the SDK reads it afresh for each attempt.
      if (isSpooled(body)) await this.bucket.upload(wholeFileOf(body), { ...options, destination: key });
      else await this.bucket.file(key).save(body, options);
    } catch (error) {
      // The name exists: recovery storing a file that did reach the bucket before a crash.
      // Its bytes are the ones the intent fixed, so it is stored.
      if (gcsStatus(error) === 412) return;
      throw error;
    }
  }

  authorizationProblem(error: unknown, key: string): StreamdropError | undefined {
    if (!isGcsAuthorizationError(error)) return undefined;
    return explainGcsError(error, {
      bucket: this.spec.bucket,
      key,
      clientEmail: this.spec.serviceAccount.clientEmail,
      ...(this.spec.endpoint ? { endpoint: this.spec.endpoint } : {}),
    });
  }

  close(): void {
    // The Storage client holds no sockets of its own beyond the shared agent.
  }
}
