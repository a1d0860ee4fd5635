// An AWS access key read from a file a person names (admin credentials for the S3 setup, an MSK
// login's key): apart from admin.ts, so that reading one does not load the SDKs that use it.
import { stores } from "../../../../../common/stores.js";
import { readCredentialsFile } from "../../../sinks/credentials-file.js";
import { credentialsProblem } from "../../credentials.js";
import type { AccessKey } from "../credentials.js";

/** AWS credentials only (admin credentials for the S3 setup): another store's key is named and refused. */
export async function readAccessKeyFile(path: string): Promise<AccessKey> {
  const parsed = await readCredentialsFile(path);
  if (parsed.store !== "S3")
    throw credentialsProblem(
      path,
      `holds ${stores[parsed.store].fullName} credentials; AWS credentials (the JSON printed by \`aws iam create-access-key\`) are needed here.`,
    );
  return { accessKeyId: parsed.accessKeyId, secretAccessKey: parsed.secretAccessKey };
}
