// The document for "someone else sets it up": everything an AWS administrator needs to create the
// bucket, the policy, the user and the key with the aws CLI, and how to send the key back safely.
import { abortMultipartAfterDays, lifecycleConfiguration } from "./bucket-rules.js";
import { leastPrivilegePolicy } from "./policy.js";
import { checkUserName, defaultPolicyName, defaultUserName } from "./writer-user.js";
import { normalizePrefix } from "../../../sinks/path-prefix.js";
import { kindsOrPlain, filePatterns, type FileKind } from "../../../../../common/record-format.js";
import { objectUri } from "../../../../../common/stores.js";

export interface SetupDocInput {
  bucket: string;
  pathPrefix?: string;
  region?: string;
  userName?: string;
  sinkName?: string;
  /** How the sink's exporters will store files (both while one switches); plain .jsonl by default. */
  compressions?: FileKind[];
}

export function setupDocument(input: SetupDocInput): string {
  const policy = leastPrivilegePolicy(input.bucket, input.pathPrefix, input.compressions);
  const files = filePatterns(input.compressions)
    .map((pattern) => `\`${pattern}\``)
    .join(" and ");
  const plain = kindsOrPlain(input.compressions).includes("none");
  const prefix = normalizePrefix(input.pathPrefix);
  const region = input.region ?? "us-east-1";
  const user = checkUserName(input.userName ?? defaultUserName(input.bucket));
  const sink = input.sinkName ?? input.bucket;
  const where = prefix ? `\`${objectUri("S3", input.bucket, `${prefix}/`)}\`` : `the root of \`${objectUri("S3", input.bucket, "")}\``;
  const locationFlag = region === "us-east-1" ? "" : ` \\\n  --create-bucket-configuration LocationConstraint=${region}`;
  const fence = (lang: string, body: string) => `\`\`\`${lang}\n${body}\n\`\`\``;

  return `# Streamdrop export: AWS setup for bucket \`${input.bucket}\`

Someone wants to export event streams from Kafka into ${where} with Streamdrop, as JSON Lines
files. This document lists the AWS steps for an administrator of the AWS account. The credentials
you create can do exactly two things: find the bucket's region (\`s3:GetBucketLocation\`) and
write ${files} files${plain ? "" : " (and the empty `.strm_test_*.jsonl` files that check the sink)"} under ${prefix ? `the prefix \`${prefix}/\`` : "the bucket"} (\`s3:PutObject\`). They cannot list,
read or delete anything.

| | |
| --- | --- |
| Bucket | \`${input.bucket}\` (region \`${region}\`) |
| Path prefix | ${prefix ? `\`${prefix}\`` : "none (bucket root)"} |
| Files | ${files} |
| IAM user | \`${user}\` |
| Inline policy | \`${defaultPolicyName}\` |

## 1. Create the bucket (skip if it exists)

${fence("sh", `aws s3api create-bucket --bucket ${input.bucket} --region ${region}${locationFlag}`)}

Keep it private, and let S3 clean up multipart uploads that a crash left unfinished (the export
key cannot abort them itself) after ${abortMultipartAfterDays} days:

${fence(
  "sh",
  `aws s3api put-public-access-block --bucket ${input.bucket} \\
  --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`,
)}

Save this as \`streamdrop-lifecycle.json\`:

${fence("json", JSON.stringify(lifecycleConfiguration(), null, 2))}

${fence(
  "sh",
  `aws s3api put-bucket-lifecycle-configuration --bucket ${input.bucket} \\
  --lifecycle-configuration file://streamdrop-lifecycle.json`,
)}

If the bucket already has lifecycle rules, add this rule to them instead: the command replaces
the whole configuration.

## 2. The policy

Save this as \`streamdrop-policy.json\`:

${fence("json", JSON.stringify(policy, null, 2))}

## 3. Create the user, attach the policy, create the access key

${fence(
  "sh",
  `aws iam create-user --user-name ${user}
aws iam put-user-policy --user-name ${user} \\
  --policy-name ${defaultPolicyName} \\
  --policy-document file://streamdrop-policy.json
aws iam create-access-key --user-name ${user} > s3.json`,
)}

\`s3.json\` now holds the secret access key. AWS shows it only this once.

## 4. Send the key back, safely

- Do not paste \`s3.json\` into email or chat. Share it through a password manager's secure
  sharing, or encrypt it for the recipient (for example with \`age\` or \`gpg\`).
- Delete your copy once it has arrived: \`rm s3.json\`.
- The recipient adds it in the Streamdrop app ("I have a bucket and credentials"), or runs:

${fence("sh", `streamdrop create sink ${sink} ${input.bucket} --credentials-file s3.json${prefix ? ` --path-prefix ${prefix}` : ""}`)}

  Streamdrop keeps the key in the OS keychain and checks it by writing an empty
  \`.strm_test_<uuid>.jsonl\` file under the prefix. Such empty files are expected.

To revoke access later: \`aws iam delete-access-key --user-name ${user} --access-key-id <AccessKeyId from s3.json>\`.
`;
}
