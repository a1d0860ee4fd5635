// The credentials an Azure Blob Storage sink writes with: a SAS URL (or a bare SAS token) that
// may create and write blobs, the least privilege; or a storage account connection string, which
// is accepted with a warning since its account key grants everything in the account. Both are
// checked offline wherever they say something (sas-fields.ts, connection-string.ts), so a malformed
// one is refused naming the wrong part instead of failing later as a network error.
import type { CredentialsReader } from "../credentials.js";
import { connectionString } from "./connection-string.js";
import { sasToken, sasUrl } from "./sas.js";

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

