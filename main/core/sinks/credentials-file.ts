// Reads the credentials a sink writes with, and from their structure the sink's type: the JSON
// `aws iam create-access-key` prints, or the S3-compatible form {url, accessKey, secretKey, api,
// path}, for S3; a JSON service-account key for Google Cloud Storage. Other Google credentials and
// P12 keys are recognised by their content and refused by name. Messages name the file and the
// problem, and never quote the file's content (it holds a secret).
import { createPrivateKey } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import stripJsonComments from "strip-json-comments";
import { z } from "zod";
import { StreamdropError } from "../errors.js";
import { looksLikePkcs12 } from "./pkcs12.js";
import type { StoreType } from "../../../common/stores.js";

export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The parts of a Google service-account key the storage client needs. */
export interface ServiceAccountKey {
  projectId: string;
  clientEmail: string;
  privateKey: string;
  privateKeyId?: string;
}

export type SinkCredentials =
  | ({ kind: "aws-access-key"; userName?: string } & AccessKey)
  | ({ kind: "s3-compatible"; endpoint: string; forcePathStyle: boolean } & AccessKey)
  | ({ kind: "gcs-service-account" } & ServiceAccountKey);

/** The sink type a credentials file implies (`--sink-type` names them as the strm CLI does). */
export type SinkType = StoreType;
export const sinkTypeOf = (credentials: SinkCredentials): SinkType => (credentials.kind === "gcs-service-account" ? "GCLOUD" : "S3");

export const maxCredentialsFileBytes = 1024 * 1024;

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

const serviceAccountFile = z.object({
  type: z.literal("service_account"),
  project_id: z.string().trim().min(1),
  client_email: z.string().trim().min(1),
  private_key: z.string().includes("PRIVATE KEY-----"),
  private_key_id: z.string().optional(),
});

const expected = "the JSON printed by `aws iam create-access-key` or the AWS console's accessKeys.csv (S3), or a JSON service-account key (Google Cloud Storage)";

/** Google credential types that are not a service-account key, and what to do instead. */
const otherGoogleCredentials: Record<string, string> = {
  authorized_user: "holds Google user credentials (from `gcloud auth application-default login`), not a service-account key",
  external_account: "holds a Google workload identity federation configuration (external account), not a service-account key",
  external_account_authorized_user: "holds Google workforce identity federation user credentials, not a service-account key",
  impersonated_service_account: "holds Google impersonated service-account credentials, not a service-account key",
  gdch_service_account: "holds a Google Distributed Cloud Hosted service-account key, which Cloud Storage does not accept",
};
const keysCreate = "in the Google Cloud console: IAM, Service accounts, Keys, Add key, JSON";
const createServiceAccountKey = `Create a JSON key for the service account that writes to the bucket: ${keysCreate}.`;

const problem = (source: string, message: string) => new StreamdropError("credentials", `Credentials file ${source} ${message}`);

/** Reads and parses a credentials file; `source` in messages is the path as the user gave it. */
export async function readCredentialsFile(path: string): Promise<SinkCredentials> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw problem(path, code === "ENOENT" ? "does not exist. Check the path." : `cannot be read (${code}).`);
  }
  if (size > maxCredentialsFileBytes) {
    throw problem(path, `is ${(size / 1024 / 1024).toFixed(1)} MiB; a credentials file is a small JSON document (at most 1 MiB). Is it the right file?`);
  }
  return parseCredentials(await readFile(path), path);
}

export function parseCredentials(content: Buffer | string, source: string): SinkCredentials {
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  if (bytes.length > maxCredentialsFileBytes) throw problem(source, "is larger than 1 MiB; a credentials file is a small JSON document.");
  if (looksLikePkcs12(bytes)) {
    throw problem(source, `is a PKCS#12 (P12) key, which Streamdrop does not support. For Google Cloud Storage create a JSON key for the service account instead (${keysCreate}); for S3 use the JSON printed by \`aws iam create-access-key\`.`);
  }
  const text = bytes.toString("utf8");
  if (text.trim() === "") throw problem(source, `is empty. It should hold ${expected}.`);
  if (text.includes("\uFFFD") || text.includes("\u0000")) throw problem(source, `is not a text file. It should hold ${expected}.`);
  const csv = consoleCsv(text, source);
  if (csv) return awsAccessKey(csv, source);
  return interpret(parseJson(text, source), source);
}

/**
 * The AWS console's download when it creates an access key: `accessKeys.csv` ("Access key
 * ID,Secret access key") or the older `credentials.csv` with the user name first. Read into the
 * shape `aws iam create-access-key` prints, so both go through the same checks. Undefined when
 * the text is not such a CSV.
 */
function consoleCsv(text: string, source: string): Record<string, unknown> | undefined {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  const cells = (line: string) => line.split(",").map((cell) => cell.trim().replace(/^"(.*)"$/, "$1"));
  const header = cells(lines[0] ?? "").map((name) => name.toLowerCase());
  const keyColumn = header.indexOf("access key id");
  const secretColumn = header.indexOf("secret access key");
  if (keyColumn < 0 && secretColumn < 0) return undefined;
  if (keyColumn < 0 || secretColumn < 0) throw problem(source, 'is a CSV file without both columns "Access key ID" and "Secret access key". Download the access key\'s .csv file from the AWS console again.');
  const rows = lines.slice(1).map(cells);
  if (rows.length === 0) throw problem(source, "is the header of an access key CSV file with no key in it. Download the access key's .csv file from the AWS console again.");
  if (rows.length > 1) throw problem(source, `holds ${rows.length} access keys; give a file with just the one the sink should use.`);
  const [row] = rows as [string[]];
  const userColumn = header.indexOf("user name");
  return { AccessKey: { AccessKeyId: row[keyColumn] ?? "", SecretAccessKey: row[secretColumn] ?? "", ...(userColumn >= 0 && row[userColumn] ? { UserName: row[userColumn] } : {}) } };
}

function parseJson(text: string, source: string): unknown {
  const json = stripJsonComments(text, { trailingCommas: true });
  try {
    return JSON.parse(json);
  } catch (error) {
    if (/^\s*\[[^\]]+\]\s*$/m.test(text) && /aws_access_key_id/i.test(text)) {
      throw problem(source, "is an AWS CLI credentials (INI) file. Streamdrop needs the JSON printed by `aws iam create-access-key`.");
    }
    // V8's message quotes the text around the error, which may be the secret: give a position only.
    const position = Number(/position (\d+)/.exec((error as Error).message)?.[1] ?? json.length);
    const before = json.slice(0, position).split("\n");
    throw problem(source, `is not valid JSON (error at line ${before.length}, column ${before.at(-1)!.length + 1}). It should hold ${expected}.`);
  }
}

function interpret(value: unknown, source: string): SinkCredentials {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw problem(source, `does not hold a JSON object. It should hold ${expected}.`);
  }
  const record = value as Record<string, unknown>;
  if ("AccessKey" in record) return awsAccessKey(record, source);
  if ("accessKey" in record || "secretKey" in record || "url" in record) return s3Compatible(record, source);
  if (record.type === "service_account") return serviceAccount(record, source);
  if (typeof record.type === "string" && record.type in otherGoogleCredentials) {
    throw problem(source, `${otherGoogleCredentials[record.type]}. Streamdrop writes to Google Cloud Storage with a service-account key. ${createServiceAccountKey}`);
  }
  if ("AccessKeyId" in record && "SecretAccessKey" in record) {
    throw problem(source, 'holds the fields of an access key but not the "AccessKey" object around them. Save the whole output of `aws iam create-access-key`.');
  }
  throw problem(source, 'has neither an "AccessKey" object (the output of `aws iam create-access-key`), nor the S3-compatible fields "url", "accessKey" and "secretKey", nor "type": "service_account" (a Google Cloud service-account key).');
}

function awsAccessKey(record: Record<string, unknown>, source: string): SinkCredentials {
  const parsed = awsAccessKeyFile.safeParse(record);
  if (!parsed.success) throw problem(source, `is not a complete access key: ${describeIssues(parsed.error, record)}.`);
  const key = parsed.data.AccessKey;
  if (key.Status !== undefined && key.Status !== "Active") {
    throw problem(source, `holds an access key whose Status is ${JSON.stringify(key.Status)}, not "Active". Activate it (in the AWS console: IAM, Users, Security credentials) or create a new key.`);
  }
  return { kind: "aws-access-key", accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey, ...(key.UserName ? { userName: key.UserName } : {}) };
}

function s3Compatible(record: Record<string, unknown>, source: string): SinkCredentials {
  const parsed = s3CompatibleFile.safeParse(record);
  if (!parsed.success) throw problem(source, `is not complete S3-compatible credentials: ${describeIssues(parsed.error, record)}.`);
  const { url, accessKey, secretKey, api, path } = parsed.data;
  if (api !== undefined && api.toLowerCase() !== "s3v4") throw problem(source, `asks for signature ${JSON.stringify(api)}; only "s3v4" is supported.`);
  if (!/^https?:$/.test(new URL(url).protocol)) throw problem(source, `has a "url" that is not http(s).`);
  return { kind: "s3-compatible", endpoint: url.replace(/\/+$/, ""), forcePathStyle: path !== "off", accessKeyId: accessKey, secretAccessKey: secretKey };
}

function serviceAccount(record: Record<string, unknown>, source: string): SinkCredentials {
  const parsed = serviceAccountFile.safeParse(record);
  if (!parsed.success) throw problem(source, `is not a complete Google Cloud service-account key: ${describeIssues(parsed.error, record)}. ${createServiceAccountKey}`);
  const key = parsed.data;
  // A key that does not parse would only fail later, inside the first upload, in OpenSSL's words.
  try {
    createPrivateKey(key.private_key);
  } catch {
    throw problem(source, `has a "private_key" that is malformed (not a readable PEM private key: cut short, edited, or with its line breaks lost). Download the key again. ${createServiceAccountKey}`);
  }
  return { kind: "gcs-service-account", projectId: key.project_id, clientEmail: key.client_email, privateKey: key.private_key, ...(key.private_key_id ? { privateKeyId: key.private_key_id } : {}) };
}

/** Names fields only; never echoes values. */
function describeIssues(error: z.ZodError, record: Record<string, unknown>): string {
  const valueAt = (path: PropertyKey[]) => path.reduce<unknown>((value, key) => (value as Record<PropertyKey, unknown> | undefined)?.[key], record);
  return error.issues
    .map((issue) => {
      const field = issue.path.join(".");
      if (issue.code === "invalid_type" && valueAt(issue.path) === undefined) return `"${field}" is missing`;
      if (issue.code === "too_small") return `"${field}" is empty`;
      if (issue.code === "invalid_format") return issue.format === "url" ? `"${field}" is not a valid URL` : `"${field}" is not a PEM private key`;
      if (issue.code === "invalid_value") return `"${field}" must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
      return `"${field}" must be a ${issue.code === "invalid_type" ? issue.expected : "valid value"}`;
    })
    .join("; ");
}

/** AWS credentials only (admin credentials for the S3 setup): a Google key is named and refused. */
export async function readAccessKeyFile(path: string): Promise<AccessKey> {
  const parsed = await readCredentialsFile(path);
  if (parsed.kind === "gcs-service-account") throw problem(path, "is a Google Cloud service-account key; AWS credentials (the JSON printed by `aws iam create-access-key`) are needed here.");
  return { accessKeyId: parsed.accessKeyId, secretAccessKey: parsed.secretAccessKey };
}
