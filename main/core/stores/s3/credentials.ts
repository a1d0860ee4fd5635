// The credentials an S3 sink writes with: the JSON `aws iam create-access-key` prints, the AWS
// console's accessKeys.csv (or the older credentials.csv), or the S3-compatible form {url,
// accessKey, secretKey, api, path}. Without a file, the AWS default credential chain.
import { z } from "zod";
import { credentialsProblem as problem, describeIssues, type CredentialsReader } from "../credentials.js";

export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

export type S3Credentials =
  | ({ store: "S3"; kind: "aws-access-key"; userName?: string } & AccessKey)
  | ({ store: "S3"; kind: "s3-compatible"; endpoint: string; forcePathStyle: boolean } & AccessKey);

const awsAccessKeyFile = z.object({
  AccessKey: z.object({
    UserName: z.string().optional(),
    AccessKeyId: z.string().trim().min(1),
    SecretAccessKey: z.string().min(1),
    Status: z.string().optional(),
    CreateDate: z.string().optional(),
  }),
});

const s3CompatibleFile = z.object({
  url: z.string().url(),
  accessKey: z.string().trim().min(1),
  secretKey: z.string().min(1),
  api: z.string().optional(),
  path: z.enum(["auto", "on", "off"]).optional(),
});

export const s3CredentialsReader: CredentialsReader<S3Credentials> = {
  expected: "the JSON printed by `aws iam create-access-key` or the AWS console's accessKeys.csv (S3)",
  shapes: ['an "AccessKey" object (the output of `aws iam create-access-key`)', 'the S3-compatible fields "url", "accessKey" and "secretKey"'],
  fromText(text, source) {
    if (/^\s*\[[^\]]+\]\s*$/m.test(text) && /aws_access_key_id/i.test(text)) {
      throw problem(source, "is an AWS CLI credentials (INI) file. Streamdrop needs the JSON printed by `aws iam create-access-key`.");
    }
    const csv = consoleCsv(text, source);
    return csv ? awsAccessKey(csv, source) : undefined;
  },
  fromJson(record, source) {
    if ("AccessKey" in record) return awsAccessKey(record, source);
    if ("accessKey" in record || "secretKey" in record || "url" in record) return s3Compatible(record, source);
    if ("AccessKeyId" in record && "SecretAccessKey" in record) {
      throw problem(
        source,
        'holds the fields of an access key but not the "AccessKey" object around them. Save the whole output of `aws iam create-access-key`.',
      );
    }
    return undefined;
  },
};

/**
 * The AWS console's download when it creates an access key: `accessKeys.csv` ("Access key
 * ID,Secret access key") or the older `credentials.csv` with the user name first. Read into the
 * shape `aws iam create-access-key` prints, so both go through the same checks. Undefined when
 * the text is not such a CSV.
 */
function consoleCsv(text: string, source: string): Record<string, unknown> | undefined {
  const lines = text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  const cells = (line: string) => line.split(",").map((cell) => cell.trim().replace(/^"(.*)"$/, "$1"));
  const header = cells(lines[0] ?? "").map((name) => name.toLowerCase());
  const keyColumn = header.indexOf("access key id");
  const secretColumn = header.indexOf("secret access key");
  if (keyColumn < 0 && secretColumn < 0) return undefined;
  if (keyColumn < 0 || secretColumn < 0)
    throw problem(
      source,
      'is a CSV file without both columns "Access key ID" and "Secret access key". Download the access key\'s .csv file from the AWS console again.',
    );
  const rows = lines.slice(1).map(cells);
  if (rows.length === 0)
    throw problem(source, "is the header of an access key CSV file with no key in it. Download the access key's .csv file from the AWS console again.");
  if (rows.length > 1) throw problem(source, `holds ${rows.length} access keys; give a file with just the one the sink should use.`);
  const [row] = rows as [string[]];
  const userColumn = header.indexOf("user name");
  return {
    AccessKey: {
      AccessKeyId: row[keyColumn] ?? "",
      SecretAccessKey: row[secretColumn] ?? "",
      ...(userColumn >= 0 && row[userColumn] ? { UserName: row[userColumn] } : {}),
    },
  };
}

function awsAccessKey(record: Record<string, unknown>, source: string): S3Credentials {
  const parsed = awsAccessKeyFile.safeParse(record);
  if (!parsed.success) throw problem(source, `is not a complete access key: ${describeIssues(parsed.error, record)}.`);
  const key = parsed.data.AccessKey;
  if (key.Status !== undefined && key.Status !== "Active") {
    throw problem(
      source,
      `holds an access key whose Status is ${JSON.stringify(key.Status)}, not "Active". Activate it (in the AWS console: IAM, Users, Security credentials) or create a new key.`,
    );
  }
  return {
    store: "S3",
    kind: "aws-access-key",
    accessKeyId: key.AccessKeyId,
    secretAccessKey: key.SecretAccessKey,
    ...(key.UserName ? { userName: key.UserName } : {}),
  };
}

function s3Compatible(record: Record<string, unknown>, source: string): S3Credentials {
  const parsed = s3CompatibleFile.safeParse(record);
  if (!parsed.success) throw problem(source, `is not complete S3-compatible credentials: ${describeIssues(parsed.error, record)}.`);
  const { url, accessKey, secretKey, api, path } = parsed.data;
  if (api !== undefined && api.toLowerCase() !== "s3v4") throw problem(source, `asks for signature ${JSON.stringify(api)}; only "s3v4" is supported.`);
  if (!/^https?:$/.test(new URL(url).protocol)) throw problem(source, `has a "url" that is not http(s).`);
  return {
    store: "S3",
    kind: "s3-compatible",
    endpoint: url.replace(/\/+$/, ""),
    forcePathStyle: path !== "off",
    accessKeyId: accessKey,
    secretAccessKey: secretKey,
  };
}
