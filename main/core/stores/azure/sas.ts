// A SAS as credentials: a SAS URL (Azure's host style, or an emulator's path style with the
// account in the path), or a bare token whose account the sink's endpoint names. What the SAS
// itself says is checked in sas-fields.ts; here, where it points.
import { credentialsProblem as problem } from "../credentials.js";
import { accountInUrl, accountNameRule, isAccountName } from "./account.js";
import type { AzureCredentials } from "./credential-forms.js";
import { checkSas, generateSas } from "./sas-fields.js";

const copyUrlAgain = "Copy the whole Blob SAS URL again";

export function sasUrl(text: string, source: string): AzureCredentials {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw problem(source, `looks like a SAS URL but is not a valid URL. ${copyUrlAgain}.`);
  }
  // A user name or password in the URL is not how a SAS authorizes, and after a "#" the rest of
  // the SAS would never be sent.
  if (url.username || url.password) throw problem(source, `is a SAS URL with a user name or password before its host; a SAS URL has none. ${copyUrlAgain}.`);
  if (url.hash) throw problem(source, `is a SAS URL with a "#" in it, which would cut off what follows. ${copyUrlAgain}.`);
  let where: ReturnType<typeof accountInUrl>;
  try {
    where = accountInUrl(url);
  } catch {
    throw problem(source, `is a SAS URL whose path is not validly escaped. ${copyUrlAgain}.`);
  }
  const { accountName, hostStyle, rest } = where;
  if (!accountName) throw problem(source, `is a SAS URL without a storage account in it. ${copyUrlAgain}.`);
  // Off Azure's hosts the account is the path's first folder, and becomes part of every request's path.
  if (!isAccountName(accountName))
    throw problem(source, `is a SAS URL whose storage account (the first folder of its path) is not ${accountNameRule}, as Azure's are. ${copyUrlAgain}.`);
  if (rest.length > 1) throw problem(source, `is a SAS URL for a single blob; Streamdrop needs one for the container. ${generateSas}.`);
  const endpoint = hostStyle ? url.origin : `${url.origin}/${accountName}`;
  return sasToken(url.search.slice(1), source, { endpoint, accountName, ...(rest[0] ? { container: rest[0] } : {}) }, url.protocol);
}

export function sasToken(
  token: string,
  source: string,
  where: { endpoint?: string; accountName?: string; container?: string },
  protocol?: string,
): AzureCredentials {
  const { permissions, expiresOn } = checkSas(token, source, protocol);
  return { store: "AZURE", kind: "azure-sas", ...where, token, ...(permissions !== undefined ? { permissions } : {}), ...(expiresOn ? { expiresOn } : {}) };
}
