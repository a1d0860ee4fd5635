// The credentials an Azure Blob Storage sink writes with: a SAS URL (or a bare SAS token) that
// may create and write blobs, the least privilege; or a storage account connection string, which
// is accepted with a warning since its account key grants everything in the account. A SAS is
// checked offline where it says what it grants: its permissions, and its expiry.
import { credentialsProblem as problem, type CredentialsReader } from "../credentials.js";

export type AzureCredentials =
  | {
      store: "AZURE";
      kind: "azure-sas";
      /** The blob service URL (`https://<account>.blob.core.windows.net`, or an emulator's `…/<account>`); absent for a bare token. */
      endpoint?: string;
      accountName?: string;
      /** Absent for an account SAS, or a bare token: the sink's container is used. */
      container?: string;
      /** The query string without its `?`: the secret. */
      token: string;
      /** `sp`, absent when a stored access policy holds the permissions. */
      permissions?: string;
      /** `se`, as an ISO time. */
      expiresOn?: string;
    }
  | { store: "AZURE"; kind: "azure-connection-string"; endpoint: string; accountName: string; accountKey: string };

/** Azurite's well-known development account, for `UseDevelopmentStorage=true`. */
const devStorage = { accountName: "devstoreaccount1", accountKey: "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==", endpoint: "http://127.0.0.1:10000/devstoreaccount1" };

const generateSas = "Generate a SAS for the container with permissions create and write (cw) and an expiry: in the Azure portal (the container, Shared access tokens) or with `az storage container generate-sas --permissions cw`";

export const azureCredentialsReader: CredentialsReader<AzureCredentials> = {
  expected: "a container SAS URL or a storage account connection string (Azure Blob Storage)",
  shapes: [],
  fromText(text, source) {
    const line = text.trim();
    if (/^https?:\/\/\S+\?\S*\bsig=/i.test(line)) return sasUrl(line, source);
    if (/^\??([^\s;]+&)?sig=[^\s;]+$/i.test(line) && /\bsv=/.test(line)) return sasToken(line.replace(/^\?/, ""), source, {});
    if (/(^|;)\s*(AccountName|UseDevelopmentStorage|SharedAccessSignature|BlobEndpoint)\s*=/i.test(line) && !line.startsWith("{")) return connectionString(line, source);
    return undefined;
  },
};

/** Azure's own hosts name the account: `<account>.blob.<suffix>`, or `<account>.privatelink.blob.<suffix>`. */
export const namesAccount = (hostname: string) => /^[a-z0-9]{3,24}\.(privatelink\.)?blob\./i.test(hostname);

function sasUrl(text: string, source: string): AzureCredentials {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw problem(source, "looks like a SAS URL but is not a valid URL. Copy the whole Blob SAS URL again.");
  }
  let segments: string[];
  try {
    segments = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  } catch {
    throw problem(source, "is a SAS URL whose path is not validly escaped. Copy the whole Blob SAS URL again.");
  }
  // Azure names the account in the host (<account>.blob.<suffix>, private links included);
  // emulators and other endpoints name it in the path.
  const pathStyle = !namesAccount(url.hostname);
  const [accountName, container] = pathStyle ? [segments[0], segments[1]] : [url.hostname.split(".")[0], segments[0]];
  if (!accountName) throw problem(source, "is a SAS URL without a storage account in it. Copy the whole Blob SAS URL again.");
  if (segments.length > (pathStyle ? 2 : 1)) throw problem(source, "is a SAS URL for a single blob; Streamdrop needs one for the container. " + generateSas + ".");
  const endpoint = pathStyle ? `${url.origin}/${accountName}` : url.origin;
  return sasToken(url.search.slice(1), source, { endpoint, accountName, ...(container ? { container } : {}) });
}

function sasToken(token: string, source: string, where: { endpoint?: string; accountName?: string; container?: string }): AzureCredentials {
  const query = new URLSearchParams(token);
  if (!query.get("sig") || !query.get("sv")) throw problem(source, 'is not a complete SAS: it needs at least "sv" and "sig". Copy the whole SAS again.');
  const resource = query.get("sr");
  if (resource && resource !== "c") throw problem(source, `is a SAS for ${resource === "b" ? "a single blob" : `resource "${resource}"`}; Streamdrop needs one for the container (sr=c) or the account. ${generateSas}.`);
  const permissions = query.get("sp") ?? undefined;
  if (permissions !== undefined) {
    const missing = [["c", "create"], ["w", "write"]].filter(([letter]) => !permissions.includes(letter!)).map(([letter, name]) => `${name} (${letter})`);
    if (missing.length > 0) throw problem(source, `holds a SAS without the ${missing.join(" and ")} permission${missing.length > 1 ? "s" : ""} (it grants "${permissions}"): Streamdrop stores every file as a new blob. ${generateSas}.`);
  }
  const expiry = query.get("se");
  let expiresOn: string | undefined;
  if (expiry) {
    const at = new Date(expiry);
    if (Number.isNaN(at.getTime())) throw problem(source, `holds a SAS whose expiry "se" is not a time. Copy the whole SAS again.`);
    if (at.getTime() <= Date.now()) throw problem(source, `holds a SAS that expired on ${at.toISOString()}. ${generateSas}.`);
    expiresOn = at.toISOString();
  }
  return { store: "AZURE", kind: "azure-sas", ...where, token, ...(permissions !== undefined ? { permissions } : {}), ...(expiresOn ? { expiresOn } : {}) };
}

/** A connection string's BlobEndpoint: an http(s) URL without a query, quotes around it allowed. */
function blobEndpoint(raw: string | undefined, source: string): string | undefined {
  if (raw === undefined) return undefined;
  const value = raw.trim().replace(/^"(.*)"$/, "$1");
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash || url.username || url.password) {
    throw problem(source, 'is a connection string whose "BlobEndpoint" is not a plain http(s) URL of the blob service. Copy it again from the storage account\'s Access keys.');
  }
  return value.replace(/\/+$/, "");
}

function connectionString(text: string, source: string): AzureCredentials {
  const fields = new Map<string, string>();
  for (const part of text.split(";").map((piece) => piece.trim()).filter(Boolean)) {
    const at = part.indexOf("=");
    if (at <= 0) throw problem(source, "looks like an Azure connection string but has a part that is not Name=value. Copy it again from the storage account's Access keys.");
    fields.set(part.slice(0, at).toLowerCase(), part.slice(at + 1));
  }
  if (fields.get("usedevelopmentstorage")?.toLowerCase() === "true") return { store: "AZURE", kind: "azure-connection-string", ...devStorage };
  const accountName = fields.get("accountname");
  const sas = fields.get("sharedaccesssignature");
  const endpoint = blobEndpoint(fields.get("blobendpoint"), source) ?? (accountName ? `${fields.get("defaultendpointsprotocol") ?? "https"}://${accountName}.blob.${fields.get("endpointsuffix") ?? "core.windows.net"}` : undefined);
  if (sas) {
    if (!endpoint) throw problem(source, 'is a connection string with a SAS but no "BlobEndpoint". Copy it again.');
    return sasUrl(`${endpoint}?${sas.replace(/^\?/, "")}`, source);
  }
  const accountKey = fields.get("accountkey");
  const missing = [["AccountName", accountName], ["AccountKey", accountKey]].filter(([, value]) => !value).map(([name]) => `"${name}"`);
  if (missing.length > 0 || !endpoint) throw problem(source, `is a connection string without ${missing.join(" or ")}. Copy it again from the storage account's Access keys, or use a container SAS URL.`);
  return { store: "AZURE", kind: "azure-connection-string", endpoint, accountName: accountName!, accountKey: accountKey! };
}
