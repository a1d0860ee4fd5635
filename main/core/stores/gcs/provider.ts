// Google Cloud Storage, as the rest of the product asks of a store (provider.ts). Google's SDK is
// loaded only when a Cloud Storage sink is validated or previewed, never for an S3 user.
import { invalidInput } from "../../errors.js";
import { refuseAwsOnlySettings } from "../plan-checks.js";
import type { StoreProvider } from "../provider.js";
import { gcsCredentialsReader, type ServiceAccountKey } from "./credentials.js";
import type { GcsSinkRecord } from "./record.js";

export const gcsProvider: StoreProvider<"GCLOUD"> = {
  type: "GCLOUD",
  credentials: gcsCredentialsReader,
  credentialsWanted: "give a Google Cloud service-account key (JSON)",

  plan(common, input, credentials) {
    refuseAwsOnlySettings(input, "GCLOUD");
    if (!credentials)
      throw invalidInput("A Google Cloud Storage sink writes with a service-account key: give its JSON file.", { id: "set", setting: "credentials" });
    const { store: _store, kind: _kind, ...serviceAccount } = credentials;
    return { type: "GCLOUD", ...common, serviceAccount };
  },
  secretOf: (plan) => plan.serviceAccount,
  serializeSecret: ({ projectId, clientEmail, privateKey, privateKeyId }) => JSON.stringify({ projectId, clientEmail, privateKey, privateKeyId }),
  readSecret(stored) {
    const { projectId, clientEmail, privateKey, privateKeyId } = JSON.parse(stored) as ServiceAccountKey;
    return { projectId, clientEmail, privateKey, ...(privateKeyId ? { privateKeyId } : {}) };
  },
  async validate(target, secret) {
    const { validateGcsSink } = await import("./validate.js");
    return validateGcsSink(target, secret ?? missingKey());
  },
  record(plan, account, _validation, common): GcsSinkRecord {
    const { serviceAccount, ...settings } = plan;
    return {
      ...settings,
      ...common,
      projectId: serviceAccount.projectId,
      clientEmail: serviceAccount.clientEmail,
      credentials: { source: "keychain", account: account ?? missingKey() },
    };
  },
  keptSettings: () => ({}),
  view: (sink) => {
    const account = "clientEmail" in sink ? sink : sink.serviceAccount;
    return { projectId: account.projectId, serviceAccount: account.clientEmail };
  },
  workerStorage: (sink, prefix, serviceAccount) => ({
    type: "GCLOUD",
    bucket: sink.bucket,
    ...(prefix ? { prefix } : {}),
    ...(sink.endpoint ? { endpoint: sink.endpoint } : {}),
    serviceAccount: serviceAccount ?? missingKey(),
  }),
  async preview(sink, secret, key) {
    const { previewGcsFile } = await import("./preview.js");
    return previewGcsFile(sink, secret ?? missingKey(), key);
  },
  consoleUrl: (sink, prefix) =>
    sink.endpoint
      ? undefined
      : `https://console.cloud.google.com/storage/browser/${encodeURIComponent(sink.bucket)}${prefix ? `/${prefix.split("/").map(encodeURIComponent).join("/")}` : ""}`,
  describe: (credentials) => ({
    kind: credentials.kind,
    sinkType: "GCLOUD",
    description: `A Google Cloud service-account key of ${credentials.clientEmail} (project ${credentials.projectId})`,
    serviceAccount: credentials.clientEmail,
  }),
  warnings: () => [],
  ownIdentity: () => undefined,
};

/** A Cloud Storage sink always has its key (the record's schema says so): this is a broken invariant. */
function missingKey(): never {
  throw new Error("A Cloud Storage sink without its service-account key: its keychain entry is required.");
}
