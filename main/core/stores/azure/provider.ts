// Azure Blob Storage, as the rest of the product asks of a store (provider.ts). Azure's SDK is
// loaded only when an Azure sink is validated or previewed.
import { invalidInput } from "../../errors.js";
import { credentialsProblem } from "../credentials.js";
import { refuseAwsOnlySettings } from "../plan-checks.js";
import type { StoreProvider } from "../provider.js";
import { accountNameRule, isAccountName, namesAccount } from "./account.js";
import { azureCredentialsReader, type AzureCredentials } from "./credentials.js";
import type { AzureSinkRecord } from "./record.js";
import { httpsOnly, httpsOnlyProblem } from "./sas-fields.js";
import type { AzureSecret } from "./spec.js";

/** A SAS expiring sooner than this is taken, with a warning to replace it in time. */
const expiryWarningMs = 30 * 86_400_000;

export const azureProvider: StoreProvider<"AZURE"> = {
  type: "AZURE",
  credentials: azureCredentialsReader,
  credentialsWanted: "give a container SAS URL with permissions cw (or a storage account connection string)",

  plan(common, input, credentials) {
    refuseAwsOnlySettings(input, "AZURE");
    if (!credentials) throw invalidInput("An Azure Blob Storage sink writes with a SAS: give the container's SAS URL.", { id: "set", setting: "credentials" });
    if (credentials.kind === "azure-sas" && credentials.container && credentials.container !== common.bucket) {
      throw invalidInput(
        `The SAS is for container ${credentials.container}, not ${common.bucket}. Give the container the SAS was made for, or a SAS for ${common.bucket}.`,
        { id: "set", setting: "bucket" },
      );
    }
    const given = common.endpoint?.replace(/\/+$/, "");
    if (given && credentials.endpoint && given !== credentials.endpoint) {
      throw invalidInput(
        `The credentials are for ${credentials.endpoint}, not the endpoint ${given}. Leave the endpoint out (the credentials say it), or give credentials for ${given}.`,
        { id: "set", setting: "endpoint" },
        { id: "set", setting: "credentials" },
      );
    }
    const endpoint = credentials.endpoint ?? given;
    if (!endpoint)
      throw invalidInput(
        "A SAS token alone does not say which storage account it is for: paste the whole SAS URL, or give the account's blob endpoint (https://<account>.blob.core.windows.net).",
        { id: "set", setting: "endpoint" },
      );
    if (!credentials.endpoint) checkTokenEndpoint(endpoint, credentials);
    const accountName = credentials.accountName ?? accountOf(endpoint);
    const secret: AzureSecret =
      credentials.kind === "azure-sas" ? { kind: "sas", token: credentials.token } : { kind: "account-key", accountKey: credentials.accountKey };
    const sas = credentials.kind === "azure-sas" ? credentials : undefined;
    return {
      type: "AZURE",
      ...common,
      endpoint,
      accountName,
      secret,
      ...(sas?.expiresOn ? { sasExpiresOn: sas.expiresOn } : {}),
      ...(sas?.permissions ? { sasPermissions: sas.permissions } : {}),
    };
  },
  secretOf: (plan) => plan.secret,
  serializeSecret: (secret) => JSON.stringify(secret),
  readSecret(stored) {
    const secret = JSON.parse(stored) as AzureSecret;
    return secret.kind === "sas" ? { kind: "sas", token: secret.token } : { kind: "account-key", accountKey: secret.accountKey };
  },
  async validate(target, secret) {
    const { validateAzureSink } = await import("./validate.js");
    return validateAzureSink(target, secret ?? missingSecret());
  },
  record(plan, account, _validation, common): AzureSinkRecord {
    const { secret, sasPermissions: _shownOnce, ...settings } = plan;
    return { ...settings, ...common, authorization: secret.kind, credentials: { source: "keychain", account: account ?? missingSecret() } };
  },
  keptSettings: () => ({}),
  view: (sink) => ({ accountName: sink.accountName, ...(sink.sasExpiresOn ? { sasExpiresOn: sink.sasExpiresOn } : {}) }),
  workerStorage: (sink, prefix, secret) => ({
    type: "AZURE",
    bucket: sink.bucket,
    ...(prefix ? { prefix } : {}),
    endpoint: sink.endpoint,
    accountName: sink.accountName,
    secret: secret ?? missingSecret(),
  }),
  async preview(sink, secret, key, lent) {
    const { previewAzureFile } = await import("./preview.js");
    if (!lent) return previewAzureFile(sink, secret ?? missingSecret(), key, false);
    if (!("connectionString" in lent))
      throw invalidInput("To preview a file on Azure, lend the storage account's connection string (Access keys, Connection string).");
    const parsed = azureCredentialsReader.fromText!(lent.connectionString, "The connection string");
    if (parsed?.kind !== "azure-connection-string")
      throw credentialsProblem("The connection string", "is not a storage account connection string with an AccountKey.");
    // Another account's key would read another account's blob under the same name.
    if (parsed.accountName !== sink.accountName)
      throw invalidInput(
        `That connection string is for storage account ${parsed.accountName}; sink ${sink.name} writes to ${sink.accountName}. Give ${sink.accountName}'s connection string.`,
      );
    return previewAzureFile(
      { ...sink, endpoint: parsed.endpoint, accountName: parsed.accountName },
      { kind: "account-key", accountKey: parsed.accountKey },
      key,
      true,
    );
  },
  // The portal needs the subscription and resource group for a container's own page: the storage
  // accounts list is the nearest page these settings can name.
  consoleUrl: (sink) =>
    /\.blob\.core\.windows\.net$/.test(new URL(sink.endpoint).hostname) ? "https://portal.azure.com/#browse/Microsoft.Storage%2FStorageAccounts" : undefined,
  describe: (credentials) => ({
    kind: credentials.kind,
    sinkType: "AZURE",
    description: describe(credentials),
    ...(credentials.endpoint ? { endpoint: credentials.endpoint } : {}),
    ...(credentials.kind === "azure-sas" && credentials.container ? { bucket: credentials.container } : {}),
    warnings: warningsOf(credentials),
  }),
  warnings: (plan) => (plan.secret.kind === "account-key" ? [accountKeyWarning] : sasWarnings(plan.sasPermissions, plan.sasExpiresOn)),
  ownIdentity: () => undefined,
};

const accountKeyWarning =
  "This connection string holds the storage account's key, which grants everything in the account (read, delete, every container). Prefer a container SAS with permissions cw.";

function describe(credentials: AzureCredentials): string {
  if (credentials.kind === "azure-connection-string") return `A connection string of storage account ${credentials.accountName}`;
  const what = credentials.container ? `container ${credentials.container}` : "a storage account";
  return `A SAS for ${what}${credentials.accountName ? ` of storage account ${credentials.accountName}` : ""}${credentials.permissions ? ` with permissions ${credentials.permissions}` : ""}${credentials.expiresOn ? `, until ${credentials.expiresOn.slice(0, 10)}` : ""}`;
}

function warningsOf(credentials: AzureCredentials): string[] {
  return credentials.kind === "azure-connection-string" ? [accountKeyWarning] : sasWarnings(credentials.permissions, credentials.expiresOn);
}

function sasWarnings(permissions: string | undefined, expiresOn: string | undefined): string[] {
  const extra = [...(permissions ?? "")].filter((letter) => !"cw".includes(letter));
  return [
    ...(extra.length > 0 ? [`This SAS grants more than Streamdrop needs (${extra.join("")} besides cw). A SAS with permissions cw only is safer.`] : []),
    ...(expiresOn ? expiryWarnings(expiresOn) : []),
  ];
}

function expiryWarnings(expiresOn: string): string[] {
  const left = new Date(expiresOn).getTime() - Date.now();
  return left < expiryWarningMs
    ? [
        `This SAS expires on ${expiresOn.slice(0, 10)}, in ${Math.max(0, Math.ceil(left / 86_400_000))} days: exports stop then. Replace the sink's credentials before that.`,
      ]
    : [];
}

/**
 * A bare token's endpoint, given as the sink's endpoint: what the credentials' own URL would have
 * been checked for (credentials.ts), so the token is sent to a storage account and can be used there.
 */
function checkTokenEndpoint(endpoint: string, credentials: AzureCredentials): void {
  const url = new URL(endpoint);
  if (url.pathname.split("/").filter(Boolean).length > (namesAccount(url.hostname) ? 0 : 1)) {
    throw invalidInput(
      `The endpoint ${endpoint} goes beyond the storage account: give the account's blob endpoint alone (https://<account>.blob.core.windows.net), and the container as the bucket.`,
      { id: "set", setting: "endpoint" },
    );
  }
  if (!isAccountName(accountOf(endpoint))) {
    throw invalidInput(
      `The endpoint ${endpoint} does not name a storage account (${accountNameRule}): give the account's blob endpoint, https://<account>.blob.core.windows.net.`,
      { id: "set", setting: "endpoint" },
    );
  }
  if (credentials.kind === "azure-sas" && url.protocol === "http:" && httpsOnly(credentials.token)) {
    throw invalidInput(`The SAS ${httpsOnlyProblem.replace("its URL", "the endpoint")}: give the account's https:// endpoint, or a SAS that allows http.`, {
      id: "set",
      setting: "endpoint",
    });
  }
}

/** The account in a blob endpoint: the host's first label, or the path's first segment on an emulator. */
function accountOf(endpoint: string): string {
  const url = new URL(endpoint);
  return namesAccount(url.hostname) ? url.hostname.split(".")[0]! : (url.pathname.split("/").find(Boolean) ?? url.hostname);
}

/** An Azure sink always has its secret (the record's schema says so): this is a broken invariant. */
function missingSecret(): never {
  throw new Error("An Azure Blob Storage sink without its SAS or key: its keychain entry is required.");
}
