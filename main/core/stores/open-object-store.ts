// Opens a sink's object store for a worker: the store's module and client are loaded on the first
// upload, so a worker holds only its own store's SDK (Google's alone is 21 MiB resident on Node 24:
// docs/BENCHMARKS.md).
import { objectUri, type StoreType } from "../../../common/stores.js";
import type { FileBody } from "./file-body.js";
import type { Kind, StorageSpec } from "./kinds.js";
import type { ObjectStore } from "./object-store.js";
import { signsPayloadHash } from "./s3/payload-hash.js";
import type { StreamdropError } from "../errors.js";

interface ObjectStoreModule<T extends StoreType> {
  createObjectStore(spec: Kind<T, "spec">, sessionName: string): ObjectStore;
}

const modules: { [T in StoreType]: () => Promise<ObjectStoreModule<T>> } = {
  S3: () => import("./s3/object-store.js"),
  GCLOUD: () => import("./gcs/object-store.js"),
  AZURE: () => import("./azure/object-store.js"),
};

const load = <T extends StoreType>(spec: Kind<T, "spec"> & { type: T }): Promise<ObjectStoreModule<T>> => modules[spec.type]();

/** Whether puts to this store sign a spooled body's SHA-256, so the spool should compute it as it makes the body. */
export const signsBodyHash = (spec: StorageSpec): boolean => spec.type === "S3" && signsPayloadHash(spec.endpoint);

/**
 * Whether the store uploads a spooled body by its file's path (Cloud Storage's `upload`, Azure's
 * `uploadFile`): its SDK reads the file again for each attempt, and takes nothing else. S3's puts
 * read a body as spans of the spool's files, in a stream per request.
 */
export const uploadsOneFile = (spec: StorageSpec): boolean => spec.type !== "S3";

export function objectStoreFor(spec: StorageSpec, sessionName: string): ObjectStore {
  return new LazyObjectStore(spec, sessionName);
}

/** Names objects at once; loads the store's module and client on the first upload. */
class LazyObjectStore implements ObjectStore {
  private store?: ObjectStore;
  private loading?: Promise<ObjectStore>;

  constructor(
    private readonly spec: StorageSpec,
    private readonly sessionName: string,
  ) {}

  uri(key: string): string {
    return objectUri(this.spec.type, this.spec.bucket, key);
  }

  async put(key: string, body: FileBody): Promise<void> {
    this.loading ??= load(this.spec).then((module) => (this.store = module.createObjectStore(this.spec, this.sessionName)));
    // A failed load is not kept: the next attempt (storage.ts retries) loads again.
    const store = await this.loading.catch((error: unknown) => {
      this.loading = undefined;
      throw error;
    });
    await store.put(key, body);
  }

  authorizationProblem(error: unknown, key: string): StreamdropError | undefined {
    // Only put's failures come here, and put loaded the store first.
    return this.store?.authorizationProblem(error, key);
  }

  close(): void {
    this.store?.close();
  }
}
