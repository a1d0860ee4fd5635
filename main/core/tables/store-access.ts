// How each query engine reaches each store's files: one table, so the engines never branch on
// the store (test/checks/store-branches.test.ts).
import type { StoreType } from "../../../common/stores.js";
import { objectUri } from "../../../common/stores.js";

export interface StoreAccess {
  /** Athena reads Amazon S3 only. */
  athena: boolean;
  /** BigQuery's URI for a key under the bucket (`accountName`: Azure's storage account). */
  bigqueryUri(bucket: string, key: string, accountName: string | undefined): string;
  /** BigQuery Omni's connection, for stores BigQuery reads through it (a placeholder to replace). */
  bigqueryConnection?: string;
  /** How DuckDB reaches the store (secrets as placeholders only). */
  duckdb: string;
}

export const storeAccess: Record<StoreType, StoreAccess> = {
  S3: {
    athena: true,
    bigqueryUri: (bucket, key) => objectUri("S3", bucket, key),
    bigqueryConnection: "your_project.aws-us-east-1.your_connection",
    duckdb:
      "Reading s3:// needs DuckDB's httpfs extension and a secret, for example: INSTALL httpfs; LOAD httpfs; CREATE SECRET (TYPE s3, PROVIDER credential_chain);",
  },
  GCLOUD: {
    athena: false,
    bigqueryUri: (bucket, key) => objectUri("GCLOUD", bucket, key),
    duckdb:
      "Reading gs:// needs DuckDB's httpfs extension and an HMAC key of the bucket's project, for example: INSTALL httpfs; LOAD httpfs; CREATE SECRET (TYPE gcs, KEY_ID 'your-hmac-key-id', SECRET 'your-hmac-secret');",
  },
  AZURE: {
    athena: false,
    bigqueryUri: (container, key, accountName) => `azure://${accountName ?? "your_account"}.blob.core.windows.net/${container}/${key}`,
    bigqueryConnection: "your_project.azure-eastus2.your_connection",
    duckdb:
      "Reading az:// needs DuckDB's azure extension and a connection string that can read the container, for example: INSTALL azure; LOAD azure; CREATE SECRET (TYPE azure, CONNECTION_STRING 'your-connection-string');",
  },
};
