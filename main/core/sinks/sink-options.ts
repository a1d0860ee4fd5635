// Offline checks of everything a sink is made of: no network, no keychain. `create sink --dry-run`
// stops here; `create sink` goes on to validate against the bucket and store the secret.
import { invalidInput } from "../errors.js";
import { checkName } from "../names.js";
import { checkBucketName } from "./bucket-name.js";
import { parseCredentials, readCredentialsFile, type AccessKey } from "./credentials-file.js";
import { normalizePrefix } from "./path-prefix.js";

export type CredentialsInput =
  | { from: "file"; path: string }
  /** Pasted or dropped JSON (the app's wizard); `label` names it in messages. */
  | { from: "text"; text: string; label: string }
  /** A key made moments ago (the AWS setup), held in memory only. */
  | { from: "access-key"; accessKey: AccessKey }
  | { from: "default-chain" };

export interface SinkInput {
  name: string;
  bucket: string;
  credentials: CredentialsInput;
  endpoint?: string;
  region?: string;
  assumeRoleArn?: string;
  pathPrefix?: string;
}

/** A checked sink, ready to validate; `accessKey` exists only in memory. */
export interface SinkPlan {
  name: string;
  bucket: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  region?: string;
  assumeRoleArn?: string;
  pathPrefix?: string;
  accessKey?: AccessKey;
}

export async function planSink(input: SinkInput): Promise<SinkPlan> {
  const name = checkName("sink", input.name);
  const bucket = checkBucketName(input.bucket);
  const pathPrefix = normalizePrefix(input.pathPrefix);
  const region = input.region === undefined ? undefined : checkRegion(input.region);
  const assumeRoleArn = input.assumeRoleArn === undefined ? undefined : checkRoleArn(input.assumeRoleArn);
  let endpoint = input.endpoint === undefined ? undefined : checkEndpoint(input.endpoint);
  let forcePathStyle: boolean | undefined = endpoint ? true : undefined;
  let accessKey: AccessKey | undefined;

  if (input.credentials.from === "access-key") {
    accessKey = input.credentials.accessKey;
  } else if (input.credentials.from !== "default-chain") {
    const parsed =
      input.credentials.from === "file"
        ? await readCredentialsFile(input.credentials.path)
        : parseCredentials(input.credentials.text, input.credentials.label);
    accessKey = { accessKeyId: parsed.accessKeyId, secretAccessKey: parsed.secretAccessKey };
    if (parsed.kind === "s3-compatible") {
      // An explicit --endpoint wins over the file's url.
      endpoint ??= checkEndpoint(parsed.endpoint);
      forcePathStyle = parsed.forcePathStyle;
    }
  }
  return omitUndefined({ name, bucket, endpoint, forcePathStyle, region, assumeRoleArn, pathPrefix, accessKey });
}

function checkEndpoint(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidInput(`Invalid endpoint ${JSON.stringify(raw)}: give a full URL such as https://s3.example.com or http://127.0.0.1:9000.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw invalidInput(`Invalid endpoint ${JSON.stringify(raw)}: it must start with http:// or https://.`);
  if (url.username || url.password) throw invalidInput("Invalid endpoint: do not put credentials in the endpoint URL; use a credentials file.");
  return raw.replace(/\/+$/, "");
}

function checkRegion(raw: string): string {
  if (!/^[a-z0-9][a-z0-9-]{1,31}$/.test(raw)) throw invalidInput(`Invalid region ${JSON.stringify(raw)}: use an AWS region code such as eu-west-1.`);
  return raw;
}

function checkRoleArn(raw: string): string {
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/.test(raw)) {
    throw invalidInput(`Invalid role ARN ${JSON.stringify(raw)}: expected arn:aws:iam::<12-digit account>:role/<role name>.`);
  }
  return raw;
}

function omitUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
