// Every store's own types, by store type: the one table a new store is added to (with its
// provider in registry.ts, and its facts in common/stores.ts). The rest of the code asks for
// `Kind<T, "record">` and never names a store's types itself.
import type { StoreType } from "../../../common/stores.js";
import type { AzureCredentials } from "./azure/credentials.js";
import type { AzureSinkPlan, AzureSinkRecord } from "./azure/record.js";
import type { AzureSecret, AzureStorageSpec } from "./azure/spec.js";
import type { GcsCredentials, ServiceAccountKey } from "./gcs/credentials.js";
import type { GcsSinkPlan, GcsSinkRecord } from "./gcs/record.js";
import type { GcsStorageSpec } from "./gcs/spec.js";
import type { AccessKey, S3Credentials } from "./s3/credentials.js";
import type { S3SinkPlan, S3SinkRecord } from "./s3/record.js";
import type { S3StorageSpec } from "./s3/spec.js";

export interface StoreKinds {
  S3: { credentials: S3Credentials; secret: AccessKey; plan: S3SinkPlan; record: S3SinkRecord; spec: S3StorageSpec };
  GCLOUD: { credentials: GcsCredentials; secret: ServiceAccountKey; plan: GcsSinkPlan; record: GcsSinkRecord; spec: GcsStorageSpec };
  AZURE: { credentials: AzureCredentials; secret: AzureSecret; plan: AzureSinkPlan; record: AzureSinkRecord; spec: AzureStorageSpec };
}

export type Kind<T extends StoreType, K extends keyof StoreKinds[StoreType]> = StoreKinds[T][K];

/** Credentials as read from a file or pasted text, whatever the store; `store` says whose. */
export type SinkCredentials = Kind<StoreType, "credentials">;
/** A checked sink, ready to validate; its secret exists only in memory. */
export type SinkPlan = Kind<StoreType, "plan">;
/** What the worker is given to write with (secrets included: it travels over IPC to the worker only). */
export type StorageSpec = Kind<StoreType, "spec">;
