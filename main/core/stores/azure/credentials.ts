// The credentials an Azure Blob Storage sink writes with: a SAS URL (or a bare SAS token) that
// may create and write blobs, the least privilege; or a storage account connection string, which
// is accepted with a warning since its account key grants everything in the account. Both are
// checked offline wherever they say something (sas-fields.ts, connection-string.ts), so a malformed
// one is refused naming the wrong part instead of failing later as a network error.
import type { CredentialsReader } from "../credentials.js";
import type { AzureCredentials } from "./credential-forms.js";
import { connectionString } from "./connection-string.js";
import { sasToken, sasUrl } from "./sas.js";

export type { AzureCredentials };

export const azureCredentialsReader: CredentialsReader<AzureCredentials> = {
  expected: "a container SAS URL or a storage account connection string (Azure Blob Storage)",
  shapes: [],
  fromText(text, source) {
    const line = text.trim();
    if (/^https?:\/\/\S+\?\S*\bsig=/i.test(line)) return sasUrl(line, source);
    if (/^\??([^\s;]+&)?sig=[^\s;]+$/i.test(line) && /\bsv=/.test(line)) return sasToken(line.replace(/^\?/, ""), source, {});
    if (/(^|;)\s*(AccountName|UseDevelopmentStorage|SharedAccessSignature|BlobEndpoint)\s*=/i.test(line) && !line.startsWith("{"))
      return connectionString(line, source);
    return undefined;
  },
};
