// Offline checks of everything a sink is made of: no network, no keychain. `create sink --dry-run`
// stops here; `create sink` goes on to validate against the bucket and store the secret.
import { invalidInput } from "../errors.js";
import { checkName } from "../names.js";
import { checkBucketName } from "./bucket-name.js";
import { parseCredentials, readCredentialsFile, sinkTypeOf, type AccessKey, type ServiceAccountKey, type SinkCredentials, type SinkType } from "./credentials-file.js";
import { normalizePrefix } from "./path-prefix.js";
import { aStore, stores } from "../../../common/stores.js";

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
  /** Overrides the type the credentials imply (`--sink-type`, as in the strm CLI). */
  sinkType?: SinkType;
  endpoint?: string;
  region?: string;
  assumeRoleArn?: string;
  pathPrefix?: string;
  /** Set by the AWS setup: the IAM user it made for this sink. */
  iamUser?: string;
}

interface PlanCommon {
  name: string;
  bucket: string;
  endpoint?: string;
  pathPrefix?: string;
}

/** A checked S3 sink, ready to validate; `accessKey` exists only in memory. */
export interface S3SinkPlan extends PlanCommon {
  type: "S3";
  forcePathStyle?: boolean;
  region?: string;
  assumeRoleArn?: string;
  iamUser?: string;
  accessKey?: AccessKey;
}

/** A checked Cloud Storage sink; the key exists only in memory until it goes to the keychain. */
export interface GcsSinkPlan extends PlanCommon {
  type: "GCLOUD";
  serviceAccount: ServiceAccountKey;
}

export type SinkPlan = S3SinkPlan | GcsSinkPlan;

export async function planSink(input: SinkInput): Promise<SinkPlan> {
  const name = checkName("sink", input.name);
  const pathPrefix = normalizePrefix(input.pathPrefix);
  let endpoint = input.endpoint === undefined ? undefined : checkEndpoint(input.endpoint);
  const parsed = await readCredentials(input.credentials);
  const type = sinkTypeFor(input, parsed);
  const bucket = checkBucketName(input.bucket, type);

  if (parsed?.kind === "gcs-service-account") {
    for (const [option, value] of [["region", input.region], ["role to assume", input.assumeRoleArn]] as const) {
      if (value !== undefined) throw invalidInput(`The ${option} applies to S3 sinks only; a Google Cloud Storage sink has none. Leave it out.`);
    }
    const { kind: _kind, ...serviceAccount } = parsed;
    return omitUndefined({ type, name, bucket, endpoint, pathPrefix, serviceAccount });
  }
  const region = input.region === undefined ? undefined : checkRegion(input.region);
  const assumeRoleArn = input.assumeRoleArn === undefined ? undefined : checkRoleArn(input.assumeRoleArn);
  let forcePathStyle: boolean | undefined = endpoint ? true : undefined;
  let accessKey: AccessKey | undefined = input.credentials.from === "access-key" ? input.credentials.accessKey : undefined;
  if (parsed) {
    accessKey = { accessKeyId: parsed.accessKeyId, secretAccessKey: parsed.secretAccessKey };
    if (parsed.kind === "s3-compatible") {
      // An explicit --endpoint wins over the file's url.
      endpoint ??= checkEndpoint(parsed.endpoint);
      forcePathStyle = parsed.forcePathStyle;
    }
  }
  const iamUser = input.credentials.from === "access-key" ? input.iamUser : undefined;
  return omitUndefined({ type: "S3" as const, name, bucket, endpoint, forcePathStyle, region, assumeRoleArn, pathPrefix, iamUser, accessKey });
}

async function readCredentials(credentials: CredentialsInput): Promise<SinkCredentials | undefined> {
  if (credentials.from === "file") return readCredentialsFile(credentials.path);
  if (credentials.from === "text") return parseCredentials(credentials.text, credentials.label);
  return undefined;
}

/** The type the credentials imply, unless `--sink-type` says otherwise; a contradiction is an error. */
function sinkTypeFor(input: SinkInput, parsed: SinkCredentials | undefined): SinkType {
  const implied: SinkType = parsed ? sinkTypeOf(parsed) : "S3";
  const wanted = input.sinkType ?? implied;
  if (wanted === implied) return wanted;
  const source = input.credentials.from === "file" ? `Credentials file ${input.credentials.path}` : input.credentials.from === "text" ? input.credentials.label : "The AWS default credential chain";
  const holds = parsed ? `holds ${stores[implied].name} credentials` : "applies to S3 only";
  const fix = wanted === "GCLOUD" ? "give a Google Cloud service-account key (JSON)" : "give S3 credentials (the JSON printed by `aws iam create-access-key`, or the console's accessKeys.csv)";
  throw invalidInput(`${aStore(wanted, { sentence: true })} sink was asked for, but ${source} ${holds}. Either ${fix}, or let the type follow the credentials.`, { id: "set", setting: "credentials" }, { id: "set", setting: "sink-type" });
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
