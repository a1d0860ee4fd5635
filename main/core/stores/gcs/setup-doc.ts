// The document for "someone else sets it up" on Google Cloud: the gcloud commands that create the
// bucket, the service account, its role on the bucket and its JSON key, and how to send the key
// back safely. Streamdrop writes create-only (a file is never replaced), so the one permission it
// needs is storage.objects.create.
import { gcsBucketNameProblem } from "../../sinks/bucket-name.js";
import { normalizePrefix } from "../../sinks/path-prefix.js";
import { invalidInput } from "../../errors.js";
import { filePatterns, type FileKind } from "../../../../common/record-format.js";
import { objectUri } from "../../../../common/stores.js";

export interface GcloudSetupDocInput {
  bucket: string;
  pathPrefix?: string;
  /** How the exporters will store files; only named in the document (the permission does not depend on it). */
  compressions?: FileKind[];
  projectId?: string;
  /** The service account's name (the part before @); default streamdrop-<bucket>, shortened. */
  serviceAccountName?: string;
  sinkName?: string;
  location?: string;
}

/** Service-account ids: 6 to 30 characters, lowercase letters, digits and hyphens, starting with a letter. */
export function serviceAccountId(raw: string): string {
  if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(raw)) {
    throw invalidInput(
      `Invalid service account name ${JSON.stringify(raw)}: use 6 to 30 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen.`,
    );
  }
  return raw;
}

const defaultServiceAccount = (bucket: string) => `streamdrop-${bucket.replace(/[^a-z0-9-]/g, "-")}`.slice(0, 30).replace(/-+$/, "");

export function gcloudSetupDocument(input: GcloudSetupDocInput): string {
  const problem = gcsBucketNameProblem(input.bucket);
  if (problem) throw invalidInput(`Invalid bucket name ${JSON.stringify(input.bucket)}: a Cloud Storage bucket name ${problem}.`);
  const prefix = normalizePrefix(input.pathPrefix);
  const project = input.projectId ?? "<project-id>";
  const account = serviceAccountId(input.serviceAccountName ?? defaultServiceAccount(input.bucket));
  const email = `${account}@${project}.iam.gserviceaccount.com`;
  const sink = input.sinkName ?? input.bucket;
  const location = input.location ?? "EU";
  const where = prefix ? `\`${objectUri("GCLOUD", input.bucket, `${prefix}/`)}\`` : `the root of \`${objectUri("GCLOUD", input.bucket, "")}\``;
  const fence = (body: string) => `\`\`\`sh\n${body}\n\`\`\``;
  const condition = prefix
    ? ` \\\n  --condition='expression=resource.name.startsWith("projects/_/buckets/${input.bucket}/objects/${prefix}/"),title=streamdrop-${prefix.replace(/[^\w-]/g, "-").slice(0, 40)}'`
    : "";

  return `# Streamdrop export: Google Cloud setup for bucket \`${input.bucket}\`

Someone wants to export event streams from Kafka into ${where} with Streamdrop, as JSON Lines
files. This document lists the Google Cloud steps for an administrator of project \`${project}\`.
Streamdrop only creates files, and never replaces one, so the service account needs a single
permission on the bucket: \`storage.objects.create\`.

| | |
| --- | --- |
| Bucket | \`${input.bucket}\` (location \`${location}\`) |
| Path prefix | ${prefix ? `\`${prefix}\`` : "none (bucket root)"} |
| Files | ${filePatterns(input.compressions)
    .map((pattern) => `\`${pattern}\``)
    .join(" and ")}, created once and never replaced |
| Service account | \`${email}\` |
| Role on the bucket | \`roles/storage.objectCreator\` (Storage Object Creator)${prefix ? ", limited to the prefix by an IAM condition" : ""} |

## 1. Create the bucket (skip if it exists)

${fence(`gcloud storage buckets create gs://${input.bucket} --project=${project} \\
  --location=${location} --uniform-bucket-level-access --public-access-prevention`)}

## 2. Create the service account

${fence(`gcloud iam service-accounts create ${account} --project=${project} \\
  --display-name="Streamdrop exporter for ${input.bucket}"`)}

## 3. Let it create files in the bucket

${fence(`gcloud storage buckets add-iam-policy-binding gs://${input.bucket} \\
  --member=serviceAccount:${email} \\
  --role=roles/storage.objectCreator${condition}`)}

Storage Object Creator holds \`storage.objects.create\` and nothing that reads, lists or deletes.
The role "Storage Legacy Bucket Writer" (\`roles/storage.legacyBucketWriter\`) works too, but it
also lets the account list and delete files${prefix ? ", and IAM conditions cannot limit a legacy role to a prefix" : ""}. To let the Streamdrop app preview the files it
wrote, also grant \`roles/storage.objectViewer\`; it is not needed for exporting.

## 4. Create the key

${fence(`gcloud iam service-accounts keys create streamdrop-key.json \\
  --iam-account=${email}`)}

\`streamdrop-key.json\` holds the account's private key; Google does not keep a copy.

## 5. Send the key back, safely

- Do not paste \`streamdrop-key.json\` into email or chat. Share it through a password manager's
  secure sharing, or encrypt it for the recipient (for example with \`age\` or \`gpg\`).
- Delete your copy once it has arrived: \`rm streamdrop-key.json\`.
- The recipient adds it in the Streamdrop app ("I have a bucket and credentials"), or runs:

${fence(`streamdrop create sink ${sink} ${input.bucket} --credentials-file streamdrop-key.json${prefix ? ` --path-prefix ${prefix}` : ""}`)}

  Streamdrop sees from the file that the sink is on Google Cloud Storage, keeps the key in the OS
  keychain and checks it by writing an empty \`.strm_test_<uuid>.jsonl\` file under the prefix
  (each exporter writes one with its own suffix when it starts).
  Such empty files are expected.

To revoke access later: \`gcloud iam service-accounts keys list --iam-account=${email}\`, then
\`gcloud iam service-accounts keys delete <KEY_ID> --iam-account=${email}\`.
`;
}
