// Reads the credentials a sink writes with: the JSON `aws iam create-access-key` prints, or the
// S3-compatible form {url, accessKey, secretKey, api, path}. Messages name the file and the
// problem, and never quote the file's content (it holds a secret).
import { readFile, stat } from "node:fs/promises";
import stripJsonComments from "strip-json-comments";
import { z } from "zod";
import { StreamdropError } from "../errors.js";

export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

export type SinkCredentials =
  | ({ kind: "aws-access-key"; userName?: string } & AccessKey)
  | ({ kind: "s3-compatible"; endpoint: string; forcePathStyle: boolean } & AccessKey);

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
  if (isPkcs12(bytes)) {
    throw problem(source, "is a PKCS#12 (P12) key, which Streamdrop does not support. For S3 use the JSON printed by `aws iam create-access-key`; for Google Cloud create a JSON service-account key.");
  }
  const text = bytes.toString("utf8");
  if (text.trim() === "") throw problem(source, "is empty. It should hold the JSON printed by `aws iam create-access-key`.");
  if (text.includes("\uFFFD") || text.includes("\u0000")) throw problem(source, "is not a text file. It should hold the JSON printed by `aws iam create-access-key`.");
  return interpret(parseJson(text, source), source);
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
    throw problem(source, `is not valid JSON (error at line ${before.length}, column ${before.at(-1)!.length + 1}). It should hold the JSON printed by \`aws iam create-access-key\`.`);
  }
}

function interpret(value: unknown, source: string): SinkCredentials {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw problem(source, "does not hold a JSON object. It should hold the JSON printed by `aws iam create-access-key`.");
  }
  const record = value as Record<string, unknown>;
  if ("AccessKey" in record) return awsAccessKey(record, source);
  if ("accessKey" in record || "secretKey" in record || "url" in record) return s3Compatible(record, source);
  if (record.type === "service_account") {
    throw problem(source, "is a Google Cloud service-account key. Streamdrop supports S3 sinks only so far; use S3 credentials.");
  }
  if ("AccessKeyId" in record && "SecretAccessKey" in record) {
    throw problem(source, 'holds the fields of an access key but not the "AccessKey" object around them. Save the whole output of `aws iam create-access-key`.');
  }
  throw problem(source, 'has neither an "AccessKey" object (the output of `aws iam create-access-key`) nor the S3-compatible fields "url", "accessKey" and "secretKey".');
}

function awsAccessKey(record: Record<string, unknown>, source: string): SinkCredentials {
  const parsed = awsAccessKeyFile.safeParse(record);
  if (!parsed.success) throw problem(source, `is not a complete access key: ${describeIssues(parsed.error, record)}.`);
  const key = parsed.data.AccessKey;
  if (key.Status !== undefined && key.Status !== "Active") {
    throw problem(source, `holds an access key whose Status is ${JSON.stringify(key.Status)}, not "Active". Activate it (aws iam update-access-key --status Active) or create a new key.`);
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

/** Names fields only; never echoes values. */
function describeIssues(error: z.ZodError, record: Record<string, unknown>): string {
  const valueAt = (path: PropertyKey[]) => path.reduce<unknown>((value, key) => (value as Record<PropertyKey, unknown> | undefined)?.[key], record);
  return error.issues
    .map((issue) => {
      const field = issue.path.join(".");
      if (issue.code === "invalid_type" && valueAt(issue.path) === undefined) return `"${field}" is missing`;
      if (issue.code === "too_small") return `"${field}" is empty`;
      if (issue.code === "invalid_format") return `"${field}" is not a valid URL`;
      if (issue.code === "invalid_value") return `"${field}" must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
      return `"${field}" must be a ${issue.code === "invalid_type" ? issue.expected : "valid value"}`;
    })
    .join("; ");
}

/** PKCS#12 files are DER: a SEQUENCE holding the PKCS#7 `data` content type OID early on. */
function isPkcs12(bytes: Buffer): boolean {
  const pkcs7Data = Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01]);
  return bytes[0] === 0x30 && bytes.subarray(0, 64).includes(pkcs7Data);
}
