// What each kind of store is called, how its objects are named and which bucket names it takes:
// the facts the wizard, the app's views, the CLI and the core all say, decided here once per store.
// A store added here is named everywhere; what talks to the store lives with its provider.
import { azureContainerNameProblem, bucketNameProblem, gcsBucketNameProblem } from "./bucket-names.js";

/** A sink's type, as the strm CLI's `--sink-type` spells it. */
export const storeTypes = ["S3", "GCLOUD", "AZURE"] as const;
export type StoreType = (typeof storeTypes)[number];

export interface StoreFacts {
  /** The store in a sentence: "S3", "Cloud Storage". */
  name: string;
  /** Its full name, where the user chooses one: "Amazon S3", "Google Cloud Storage". */
  fullName: string;
  /** "an S3 bucket name …": the article that goes with `name`. */
  article: "a" | "an";
  /** What the store calls a bucket: Azure's are containers. */
  bucketWord: "bucket" | "container";
  /** The scheme of its object URIs (`s3://bucket/key`). */
  uriScheme: string;
  /** Whose web console shows its buckets, and who administers it. */
  cloud: string;
  /** What the credentials a sink writes with are, for hints beside the field. */
  credentialsHint: string;
  /** What still exists after a sink is deleted (its stored key was made elsewhere), and what to do. */
  keyOutlivesSink: string;
  /** The first naming rule `name` breaks, or undefined. */
  bucketNameProblem(name: string): string | undefined;
}

export const stores: Record<StoreType, StoreFacts> = {
  S3: {
    name: "S3",
    fullName: "Amazon S3",
    article: "an",
    bucketWord: "bucket",
    uriScheme: "s3",
    cloud: "AWS",
    credentialsHint: "The accessKeys.csv the AWS console downloads, the output of aws iam create-access-key, or S3-compatible credentials.",
    keyOutlivesSink: "The access key itself still exists where it was made; deactivate or delete it there if nothing else uses it.",
    bucketNameProblem,
  },
  GCLOUD: {
    name: "Cloud Storage",
    fullName: "Google Cloud Storage",
    article: "a",
    bucketWord: "bucket",
    uriScheme: "gs",
    cloud: "Google Cloud",
    credentialsHint: "A JSON service-account key.",
    keyOutlivesSink: "The service-account key itself still exists in Google Cloud; delete it there (IAM, Service accounts, Keys) if nothing else uses it.",
    bucketNameProblem: gcsBucketNameProblem,
  },
  AZURE: {
    name: "Azure Blob",
    fullName: "Azure Blob Storage",
    article: "an",
    bucketWord: "container",
    // DuckDB's and fsspec's scheme for a blob in a container of the configured account.
    uriScheme: "az",
    cloud: "Azure",
    credentialsHint: "A container SAS URL that may create and write (permissions cw), or a storage account connection string.",
    keyOutlivesSink:
      "The SAS itself stays valid until it expires; to revoke it sooner, delete its stored access policy, or rotate the account key that signed it.",
    bucketNameProblem: azureContainerNameProblem,
  },
};

/**
 * What `sinks:inspectCredentials` says of pasted credentials (never the secret). `Kind` is the
 * form of credentials, named by the store that reads them (main/core/stores/<store>/credentials.ts):
 * the core narrows it to its stores' forms, the window takes any.
 */
export interface CredentialsSummary<Kind extends string = string> {
  kind: Kind;
  sinkType: StoreType;
  description: string;
  endpoint?: string;
  serviceAccount?: string;
  /** The bucket the credentials are for, when they say (an Azure container SAS). */
  bucket?: string;
  /** What the user should know before using them (they grant too much, they expire soon). */
  warnings?: string[];
}

/** "an S3", "a Cloud Storage" ("An S3" to begin a sentence): the store with its article, before "bucket" or "sink". */
/** Where a sink writes and how it signs in, as the front ends show it: never a secret. */
export interface SinkPlacement {
  endpoint?: string;
  region?: string;
  pathPrefix?: string;
  assumeRoleArn?: string;
  /** Cloud Storage: the project and the service account that writes. */
  projectId?: string;
  serviceAccount?: string;
  /** Azure: the storage account, and when the SAS expires. */
  accountName?: string;
  sasExpiresOn?: string;
  credentials: "keychain" | "default-chain" | "environment";
}

export function aStore(type: StoreType, { sentence = false } = {}): string {
  const { article, name } = stores[type];
  return `${sentence ? article.charAt(0).toUpperCase() + article.slice(1) : article} ${name}`;
}

/** "Bucket", "Container": the word at the start of a label. */
export const bucketLabel = (type: StoreType) => stores[type].bucketWord.charAt(0).toUpperCase() + stores[type].bucketWord.slice(1);

export const objectUri = (type: StoreType, bucket: string, key: string) => `${stores[type].uriScheme}://${bucket}/${key}`;

/** "An S3 bucket name must …", or undefined when the name is valid for this store. */
export function bucketNameMessage(type: StoreType, name: string): string | undefined {
  const problem = stores[type].bucketNameProblem(name);
  return problem ? `${aStore(type, { sentence: true })} ${stores[type].bucketWord} name ${problem}.` : undefined;
}
