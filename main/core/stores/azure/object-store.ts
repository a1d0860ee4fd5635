// An Azure worker's uploads: create-only (If-None-Match: *), and above 8 MiB as staged blocks
// committed at once, so a crash mid-upload leaves no blob, only uncommitted blocks that Azure
// discards within a week.
import { objectUri } from "../../../../common/stores.js";
import type { ContainerClient } from "@azure/storage-blob";
import { contentTypeOfKey, type ObjectStore } from "../object-store.js";
import { isSpooled, wholeFileOf, type FileBody } from "../file-body.js";
import { azureFailure, containerClientFor, explainAzureError, isAzureAuthorizationError } from "./client.js";
import type { AzureStorageSpec } from "./spec.js";
import type { StreamdropError } from "../../errors.js";

/** Above this a body goes as blocks of this size, four in flight; below, one Put Blob. */
export const blockSize = 8 * 1024 * 1024;
const blocksInFlight = 4;

export const createObjectStore = (spec: AzureStorageSpec): ObjectStore => new AzureObjectStore(spec);

export class AzureObjectStore implements ObjectStore {
  private readonly container: ContainerClient;

  constructor(private readonly spec: AzureStorageSpec) {
    this.container = containerClientFor(spec, spec.secret);
  }

  uri(key: string): string {
    return objectUri("AZURE", this.spec.bucket, key);
  }

  async put(key: string, body: FileBody): Promise<void> {
    const options = {
      blockSize,
      maxSingleShotSize: blockSize,
      concurrency: blocksInFlight,
      // Put Blob and Put Block List both take it: the name is created, never replaced.
      conditions: { ifNoneMatch: "*" },
      blobHTTPHeaders: { blobContentType: contentTypeOfKey(key) },
    };
    const blob = this.container.getBlockBlobClient(key);
    try {
      // A spooled file goes up from the disk, each block read from it when it is sent.
      if (isSpooled(body)) await blob.uploadFile(wholeFileOf(body), options);
      else await blob.uploadData(body, options);
    } catch (error) {
      // The name exists: recovery storing a file that did reach the container before a crash.
      // Its bytes are the ones the intent fixed, so it is stored.
      if (alreadyExists(error)) return;
      throw error;
    }
  }

  authorizationProblem(error: unknown, key: string): StreamdropError | undefined {
    if (!isAzureAuthorizationError(error)) return undefined;
    return explainAzureError(error, { ...this.spec, key, authorization: this.spec.secret.kind });
  }

  close(): void {
    // The client holds no sockets of its own beyond the shared agent.
  }
}

/** Azure answers a create-only write to an existing name with 409 BlobAlreadyExists (412 on some paths). */
export function alreadyExists(error: unknown): boolean {
  const { status, code } = azureFailure(error);
  return code === "BlobAlreadyExists" || status === 412 || code === "ConditionNotMet";
}
