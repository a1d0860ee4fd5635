// What the product asks of a store, in one interface: each store answers it in its own folder
// (stores/s3, stores/gcs, …), and the rest of the code looks the provider up by the sink's type
// (registry.ts) instead of branching on it. The worker's half, the object store, is apart
// (object-store.ts) so a worker loads only its own store's SDK.
import type { FileKind } from "../../../common/record-format.js";
import type { CredentialsSummary, StoreType } from "../../../common/stores.js";
import type { CredentialsReader } from "./credentials.js";
import type { Kind } from "./kinds.js";
import type { FilePreview } from "./preview.js";
import type { ValidationResult } from "./validation.js";
import type { PlanCommon, SinkInput, SinkView } from "./sink-input.js";

/** What every record has besides its store's own settings. */
export interface RecordCommon {
  id: string;
  createdAt: string;
  updatedAt: string;
  lastValidation: { at: string; key: string };
}

/** A sink or a plan, pointed at the prefix an exporter writes under. */
export type Target<T extends StoreType> = (Kind<T, "plan"> | Kind<T, "record">) & { pathPrefix?: string; compression?: FileKind };

/** The store-specific part of a sink's secret-free view. */
export type StoreViewFields = Omit<SinkView["bucket"], "bucketName" | "endpoint" | "pathPrefix" | "credentials">;

/** Credentials lent for one read (a preview), never stored: AWS admin keys, or an Azure account's connection string. */
export type LentCredentials = { accessKeyId: string; secretAccessKey: string } | { connectionString: string };

// Methods (not function-typed properties) on purpose: StoreProvider<StoreType>, what a caller
// holding any sink gets from the registry, then takes the union of records, and the registry is
// the one place that pairs a record with its own store's provider.
export interface StoreProvider<T extends StoreType> {
  readonly type: T;
  readonly credentials: CredentialsReader<Kind<T, "credentials">>;
  /** What to give instead, when credentials of another store were given: "give …". */
  readonly credentialsWanted: string;

  /** The checked plan from the parts every store checks the same way and the store's own input. */
  plan(common: PlanCommon, input: SinkInput, credentials: Kind<T, "credentials"> | undefined): Kind<T, "plan">;
  /** The secret a plan brings; undefined when the store finds its own (AWS's default chain). */
  secretOf(plan: Kind<T, "plan">): Kind<T, "secret"> | undefined;
  /** The secret as the keychain keeps it, and back. */
  serializeSecret(secret: Kind<T, "secret">): string;
  readSecret(stored: string): Kind<T, "secret">;
  /** Writes the empty validation file under the target's prefix with the secret, naming what is wrong if it cannot. */
  validate(target: Target<T>, secret: Kind<T, "secret"> | undefined, sinkName: string): Promise<ValidationResult>;
  /** The record a validated plan becomes; `account` is the keychain entry of its secret. */
  record(plan: Kind<T, "plan">, account: string | undefined, validation: ValidationResult, common: RecordCommon): Kind<T, "record">;
  /** The settings a sink keeps when its credentials are replaced. */
  keptSettings(sink: Kind<T, "record">): Partial<SinkInput>;
  view(sink: Kind<T, "plan"> | Kind<T, "record">): StoreViewFields;
  /** What a worker writes with, under `prefix`. */
  workerStorage(sink: Kind<T, "record">, prefix: string | undefined, secret: Kind<T, "secret"> | undefined): Kind<T, "spec">;
  /** The first lines of a stored file, with the sink's secret or with credentials lent for it. */
  preview(sink: Kind<T, "record">, secret: Kind<T, "secret"> | undefined, key: string, lent: LentCredentials | undefined): Promise<FilePreview>;
  /** The cloud console's page for the bucket (at a prefix), for "Open in console"; undefined for an emulator or another provider's store. */
  consoleUrl(sink: Kind<T, "record">, prefix: string | undefined): string | undefined;
  describe(credentials: Kind<T, "credentials">): CredentialsSummary<Kind<T, "credentials">["kind"]>;
  /** What to tell the user about a plan that is accepted all the same (a key that grants too much). */
  warnings(plan: Kind<T, "plan">): string[];
  /** Who the app created to write for the sink (an IAM user), which outlives the sink's deletion. */
  ownIdentity(sink: Kind<T, "record">): string | undefined;
}
