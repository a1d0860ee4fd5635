// The document for "someone else sets it up" on Azure: the az commands that create the storage
// account and the container, a stored access policy that may only create and write (cw) with an
// expiry, and the SAS signed with it; how to send the SAS URL back safely, rotate it and revoke
// it. Streamdrop writes create-only, so create and write are all it needs.
import { azureContainerNameProblem } from "../../../../common/bucket-names.js";
import { invalidInput } from "../../errors.js";
import { normalizePrefix } from "../../sinks/path-prefix.js";
import { filePatterns, type FileKind } from "../../../../common/record-format.js";
import { accountNameRule, isAccountName } from "./account.js";

export interface AzureSetupDocInput {
  bucket: string;
  pathPrefix?: string;
  /** How the exporters will store files; only named in the document (the permission does not depend on it). */
  compressions?: FileKind[];
  /** The storage account; the document says <storage-account> when absent. */
  accountName?: string;
  resourceGroup?: string;
  location?: string;
  sinkName?: string;
  /** When the SAS's access policy expires (YYYY-MM-DD); a year from `now` by default. */
  expiry?: string;
  now?: Date;
}

function checkAccountName(raw: string): string {
  if (!isAccountName(raw)) throw invalidInput(`Invalid storage account name ${JSON.stringify(raw)}: use ${accountNameRule}.`);
  return raw;
}

export function azureSetupDocument(input: AzureSetupDocInput): string {
  const problem = azureContainerNameProblem(input.bucket);
  if (problem) throw invalidInput(`Invalid container name ${JSON.stringify(input.bucket)}: an Azure Blob container name ${problem}.`);
  const prefix = normalizePrefix(input.pathPrefix);
  const account = input.accountName ? checkAccountName(input.accountName) : "<storage-account>";
  const group = input.resourceGroup ?? "<resource-group>";
  const location = input.location ?? "westeurope";
  const container = input.bucket;
  const sink = input.sinkName ?? container;
  const now = input.now ?? new Date();
  const expiry = input.expiry ?? new Date(now.getTime() + 365 * 86_400_000).toISOString().slice(0, 10);
  const where = prefix ? `\`${container}/${prefix}/\`` : `the container \`${container}\``;
  const fence = (body: string) => `\`\`\`sh\n${body}\n\`\`\``;

  return `# Streamdrop export: Azure setup for container \`${container}\`

Someone wants to export event streams from Kafka into ${where} of storage account \`${account}\`
with Streamdrop, as JSON Lines files. This document lists the Azure steps for an administrator of
the account. Streamdrop only creates files, and never replaces one, so it needs a SAS with two
permissions on the container, create and write (\`cw\`), and nothing that reads, lists or deletes.

| | |
| --- | --- |
| Storage account | \`${account}\` (resource group \`${group}\`, location \`${location}\`) |
| Container | \`${container}\` |
| Path prefix | ${prefix ? `\`${prefix}\`` : "none (container root)"} |
| Files | ${filePatterns(input.compressions)
    .map((pattern) => `\`${pattern}\``)
    .join(" and ")}, created once and never replaced |
| Permissions | \`cw\` (create, write), through the stored access policy \`streamdrop-writer\` |
| Expiry | ${expiry} |

## 1. Create the storage account (skip if it exists)

${fence(`az storage account create --name ${account} --resource-group ${group} \\
  --location ${location} --sku Standard_LRS --kind StorageV2 \\
  --https-only true --min-tls-version TLS1_2 --allow-blob-public-access false`)}

## 2. Create the container (skip if it exists)

${fence(`az storage container create --account-name ${account} --name ${container} --auth-mode login`)}

## 3. A policy that may only create and write, until ${expiry}

${fence(`az storage container policy create --account-name ${account} --container-name ${container} \\
  --name streamdrop-writer --permissions cw --expiry ${expiry}T00:00Z`)}

A SAS signed with a stored access policy can be revoked at once by deleting the policy, without
touching the account's keys.${prefix ? ` A container SAS cannot be limited to the prefix \`${prefix}\`: Streamdrop writes only under it, but the SAS could write anywhere in \`${container}\`. Give Streamdrop a container of its own where that matters.` : ""}

## 4. The SAS URL

${fence(`echo "https://${account}.blob.core.windows.net/${container}?$(az storage container generate-sas \\
  --account-name ${account} --name ${container} --policy-name streamdrop-writer \\
  --https-only --output tsv)" > streamdrop-sas.txt`)}

Without a stored policy, a user delegation SAS (signed with your Microsoft Entra login, for at most
seven days) also works: \`az storage container generate-sas --account-name ${account} --name ${container}
--permissions cw --expiry <date> --auth-mode login --as-user --https-only --output tsv\`.

A storage account connection string works too, but its account key grants everything in the
account: Streamdrop accepts it with a warning. Prefer the SAS.

## 5. Send the SAS URL back, safely

- Do not paste \`streamdrop-sas.txt\` into email or chat. Share it through a password manager's
  secure sharing, or encrypt it for the recipient (for example with \`age\` or \`gpg\`).
- Delete your copy once it has arrived: \`rm streamdrop-sas.txt\`.
- The recipient adds it in the Streamdrop app ("I have a bucket and credentials"), or runs:

${fence(`streamdrop create sink ${sink} ${container} --credentials-file streamdrop-sas.txt${prefix ? ` --path-prefix ${prefix}` : ""}`)}

  Streamdrop sees from the URL that the sink is on Azure Blob Storage, keeps the SAS in the OS
  keychain and checks it by writing an empty \`.strm_test_<uuid>.jsonl\` file under the prefix
  (each exporter writes one with its own suffix when it starts).
  Such empty files are expected.

## 6. Rotate and revoke

- Before ${expiry}, extend the policy (\`az storage container policy update --account-name ${account}
  --container-name ${container} --name streamdrop-writer --expiry <new date>\`): the same SAS goes on
  working. Or make a new SAS as in step 4 and replace the sink's credentials with it (in the app:
  Sinks, Replace credentials; or the \`create sink\` command above, which updates the sink).
- To revoke at once: \`az storage container policy delete --account-name ${account}
  --container-name ${container} --name streamdrop-writer\`.
`;
}
