// A storage account connection string: `Name=value` parts separated by ";". The portal's Access
// keys give one with the account key; a SAS connection string has BlobEndpoint and
// SharedAccessSignature; Azurite's is UseDevelopmentStorage=true. Every part the blob endpoint is
// built from is checked, since each decides where requests go (and where the account key's
// signatures are sent): a protocol, suffix or account name outside Azure's forms is refused here,
// naming the part, rather than surfacing later as a network error. Values are never quoted, except
// account names once they are known to be names.
import { credentialsProblem as problem } from "../credentials.js";
import { accountInUrl, accountNameRule, isAccountName, isHostSuffix, namesAccount } from "./account.js";
import type { AzureCredentials } from "./credential-forms.js";
import { sasUrl } from "./sas.js";

/** Azurite's well-known development account, for `UseDevelopmentStorage=true`. */
const devStorage = {
  accountName: "devstoreaccount1",
  accountKey: "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
  endpoint: "http://127.0.0.1:10000/devstoreaccount1",
};

const copyAgain = "Copy the connection string again from the storage account's Access keys";

export function connectionString(text: string, source: string): AzureCredentials {
  const fields = connectionFields(text, source);
  if (fields.get("usedevelopmentstorage")?.toLowerCase() === "true") return { store: "AZURE", kind: "azure-connection-string", ...devStorage };
  const accountName = accountNameOf(fields, source);
  checkEndpointParts(fields, source);
  const endpoint = blobEndpoint(fields, accountName, source) ?? (accountName ? defaultEndpoint(fields, accountName) : undefined);
  const sas = fields.get("sharedaccesssignature");
  if (sas) {
    if (!endpoint) throw problem(source, 'is a connection string with a SAS but no "BlobEndpoint". Copy it again.');
    return sasUrl(`${endpoint}?${sas.replace(/^\?/, "")}`, source);
  }
  const accountKey = fields.get("accountkey");
  const missing = [
    ["AccountName", accountName],
    ["AccountKey", accountKey],
  ]
    .filter(([, value]) => !value)
    .map(([name]) => `"${name}"`);
  if (missing.length > 0 || !endpoint)
    throw problem(source, `is a connection string without ${missing.join(" or ")}. ${copyAgain}, or use a container SAS URL.`);
  checkAccountKey(accountKey!, endpoint, source);
  return { store: "AZURE", kind: "azure-connection-string", endpoint, accountName: accountName!, accountKey: accountKey! };
}

/** The parts by lowercase name. A part given twice is ambiguous (which one would a client read?), so refused. */
function connectionFields(text: string, source: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of text
    .split(";")
    .map((piece) => piece.trim())
    .filter(Boolean)) {
    const at = part.indexOf("=");
    if (at <= 0) throw problem(source, `looks like an Azure connection string but has a part that is not Name=value. ${copyAgain}.`);
    const name = part.slice(0, at).trim();
    if (fields.has(name.toLowerCase()))
      throw problem(source, `is a connection string that gives ${/^[A-Za-z]{1,40}$/.test(name) ? `"${name}"` : "a part"} twice. ${copyAgain}.`);
    fields.set(name.toLowerCase(), part.slice(at + 1).trim());
  }
  return fields;
}

function accountNameOf(fields: Map<string, string>, source: string): string | undefined {
  const accountName = fields.get("accountname");
  if (accountName && !isAccountName(accountName))
    throw problem(source, `is a connection string whose "AccountName" is not a storage account name: Azure's are ${accountNameRule}. ${copyAgain}.`);
  return accountName || undefined;
}

/** The parts Azure's own endpoint is built from, checked even when a BlobEndpoint overrides them: a malformed part is a mis-copied string. */
function checkEndpointParts(fields: Map<string, string>, source: string): void {
  const protocol = fields.get("defaultendpointsprotocol");
  if (protocol !== undefined && !/^https?$/i.test(protocol)) {
    throw problem(
      source,
      `is a connection string whose "DefaultEndpointsProtocol" is neither https nor http. Set DefaultEndpointsProtocol=https, or ${copyAgain.replace("Copy", "copy")}.`,
    );
  }
  const suffix = fields.get("endpointsuffix");
  if (suffix === undefined) return;
  if (!isHostSuffix(suffix)) {
    throw problem(
      source,
      `is a connection string whose "EndpointSuffix" is not a host name suffix such as core.windows.net (letters, digits, hyphens and dots only: no port, path, query or "@"). Set it to your cloud's, such as core.windows.net, core.chinacloudapi.cn or core.usgovcloudapi.net, or give the whole "BlobEndpoint".`,
    );
  }
  if (/^blob\./i.test(suffix))
    throw problem(
      source,
      `is a connection string whose "EndpointSuffix" starts with "blob.": the suffix is what follows it, such as core.windows.net. ${copyAgain}.`,
    );
}

const defaultEndpoint = (fields: Map<string, string>, accountName: string) =>
  `${(fields.get("defaultendpointsprotocol") ?? "https").toLowerCase()}://${accountName}.blob.${(fields.get("endpointsuffix") ?? "core.windows.net").toLowerCase()}`;

/** The BlobEndpoint, quotes around it allowed: the blob service's own URL, naming the account it is for. */
function blobEndpoint(fields: Map<string, string>, accountName: string | undefined, source: string): string | undefined {
  const raw = fields.get("blobendpoint");
  if (raw === undefined) return undefined;
  const url = plainUrl(raw.replace(/^"(.*)"$/, "$1"));
  if (!url) throw problem(source, `is a connection string whose "BlobEndpoint" is not a plain http(s) URL of the blob service. ${copyAgain}.`);
  let where: ReturnType<typeof accountInUrl>;
  try {
    where = accountInUrl(url);
  } catch {
    throw problem(source, `is a connection string whose "BlobEndpoint" has a path that is not validly escaped. ${copyAgain}.`);
  }
  // Containers and blobs are added after the endpoint: a path beyond the account would be in every request.
  if (where.rest.length > 0)
    throw problem(
      source,
      `is a connection string whose "BlobEndpoint" goes beyond the storage account: give the blob service's URL alone, such as https://<account>.blob.core.windows.net. ${copyAgain}.`,
    );
  if (where.accountName !== undefined && !isAccountName(where.accountName)) {
    throw problem(
      source,
      `is a connection string whose "BlobEndpoint" names a storage account (the first folder of its path) that is not ${accountNameRule}, as Azure's are. ${copyAgain}.`,
    );
  }
  // The account key signs for the account it names: another account's endpoint would refuse every request.
  if (accountName && where.accountName && accountName !== where.accountName) {
    throw problem(
      source,
      `is a connection string whose "AccountName" (${accountName}) is not the account its "BlobEndpoint" is for (${where.accountName}). ${copyAgain}.`,
    );
  }
  return where.hostStyle || !where.accountName ? url.origin : `${url.origin}/${where.accountName}`;
}

/** An http(s) URL with nothing but a host, a port and a path: no user name, query or fragment. */
function plainUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) && !url.search && !url.hash && !url.username && !url.password ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Shared-key signing decodes the key as base64 and silently skips what is not: a key that does not
 * read back was cut short or changed on the way, and Azure would refuse every request it signs.
 * Azure's keys are 64 bytes; only on Azure's hosts, since an emulator's own accounts take any length.
 */
function checkAccountKey(accountKey: string, endpoint: string, source: string): void {
  const bytes = Buffer.from(accountKey, "base64");
  if (bytes.toString("base64") !== accountKey || (namesAccount(new URL(endpoint).hostname) && bytes.length !== 64)) {
    throw problem(
      source,
      `is a connection string whose "AccountKey" is not the base64 of an account key (Azure's are 88 characters): it was cut short or changed on the way. ${copyAgain}.`,
    );
  }
}
