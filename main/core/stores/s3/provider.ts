// Amazon S3 and S3-compatible stores, as the rest of the product asks of a store (provider.ts). What
// talks to S3 (validate.ts, preview.ts) loads with its first use, and the S3 SDK with it, as the
// other stores do theirs: the engine as it starts needs none (credentials-provider.ts says why).
import { invalidInput } from "../../errors.js";
import { checkEndpoint } from "../../sinks/endpoint.js";
import type { StoreProvider } from "../provider.js";
import { credentialsProvider } from "./credentials-provider.js";
import { s3CredentialsReader, type AccessKey } from "./credentials.js";
import type { SinkInput } from "../sink-input.js";
import type { ValidationResult } from "../validation.js";
import { askKeyUser, type KeyUserAnswer } from "./key-user.js";
import type { KeyUser, S3SinkRecord } from "./record.js";

const sessionName = (sinkName: string) => `streamdrop-${sinkName}`;

export const s3Provider: StoreProvider<"S3"> = {
  type: "S3",
  credentials: s3CredentialsReader,
  credentialsWanted: "give S3 credentials (the JSON printed by `aws iam create-access-key`, or the console's accessKeys.csv)",

  plan(common, input, credentials) {
    const region = input.region === undefined ? undefined : checkRegion(input.region);
    const assumeRoleArn = input.assumeRoleArn === undefined ? undefined : checkRoleArn(input.assumeRoleArn);
    let { endpoint } = common;
    let forcePathStyle: boolean | undefined = endpoint ? true : undefined;
    let accessKey: AccessKey | undefined = input.credentials.from === "access-key" ? input.credentials.accessKey : undefined;
    if (credentials) {
      accessKey = { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey };
      if (credentials.kind === "s3-compatible") {
        // An explicit endpoint wins over the file's url.
        endpoint ??= checkEndpoint(credentials.endpoint);
        forcePathStyle = credentials.forcePathStyle;
      }
    }
    return omitUndefined({ type: "S3" as const, ...common, endpoint, forcePathStyle, region, assumeRoleArn, keyUser: keyUserOf(input, accessKey), accessKey });
  },
  secretOf: (plan) => plan.accessKey,
  serializeSecret: ({ accessKeyId, secretAccessKey }) => JSON.stringify({ accessKeyId, secretAccessKey }),
  readSecret(stored) {
    const { accessKeyId, secretAccessKey } = JSON.parse(stored) as AccessKey;
    return { accessKeyId, secretAccessKey };
  },
  async validate(target, secret, sinkName): Promise<S3Validation> {
    const ownUser = "iamUser" in target && target.iamUser ? { sink: sinkName, userName: target.iamUser } : undefined;
    const { validateSink } = await import("./validate.js");
    const validation = await validateSink(target, credentialsProvider(target, secret, sessionName(sinkName)), ownUser);
    const claim = "keyUser" in target ? target.keyUser : undefined;
    if (!claim || claim.known || !secret) return validation;
    return { ...validation, keyUser: await askKeyUser(target.endpoint, secret, claim.iamUser) };
  },
  // `validation` is what validate above answered for this plan (the sink service hands it on as it is).
  record(plan, account, validation: S3Validation, common): S3SinkRecord {
    const { accessKey: _secret, keyUser, ...settings } = plan;
    const iamUser = keyUser && (keyUser.known || validation.keyUser?.confirmed) ? keyUser.iamUser : undefined;
    return {
      ...settings,
      ...common,
      ...(validation.region ? { region: validation.region } : {}),
      ...(iamUser ? { iamUser } : {}),
      credentials: account ? { source: "keychain", account } : { source: "default-chain" },
    };
  },
  // The app-made user goes along as a claim: new credentials keep it only if they are its key.
  keptSettings: (sink) => ({
    ...(sink.region ? { region: sink.region } : {}),
    ...(sink.assumeRoleArn ? { assumeRoleArn: sink.assumeRoleArn } : {}),
    ...(sink.iamUser ? { iamUser: sink.iamUser } : {}),
  }),
  view: (sink) => ({ ...(sink.region ? { region: sink.region } : {}), ...(sink.assumeRoleArn ? { assumeRoleArn: sink.assumeRoleArn } : {}) }),
  workerStorage: (sink, prefix, accessKey) => ({
    type: "S3",
    bucket: sink.bucket,
    ...(prefix ? { prefix } : {}),
    ...(sink.endpoint ? { endpoint: sink.endpoint } : {}),
    region: sink.region ?? "us-east-1",
    ...(sink.forcePathStyle !== undefined ? { forcePathStyle: sink.forcePathStyle } : {}),
    ...(sink.assumeRoleArn ? { assumeRoleArn: sink.assumeRoleArn } : {}),
    ...(accessKey ? { accessKey } : {}),
    ...(sink.iamUser ? { ownUser: { sink: sink.name, userName: sink.iamUser } } : {}),
  }),
  async preview(sink, secret, key, lent) {
    if (lent && !("accessKeyId" in lent)) throw invalidInput("To preview a file on S3, lend AWS admin credentials (an access key that may read the bucket).");
    const credentials = lent
      ? { accessKeyId: lent.accessKeyId, secretAccessKey: lent.secretAccessKey }
      : credentialsProvider(sink, secret, sessionName(sink.name));
    const { previewS3File } = await import("./preview.js");
    return previewS3File(sink, credentials, key, lent !== undefined);
  },
  consoleUrl(sink, prefix) {
    if (sink.endpoint) return undefined;
    const query = new URLSearchParams({ region: sink.region ?? "us-east-1", ...(prefix ? { prefix: `${prefix}/` } : {}) });
    return `https://s3.console.aws.amazon.com/s3/buckets/${encodeURIComponent(sink.bucket)}?${query}`;
  },
  describe: (credentials) =>
    credentials.kind === "s3-compatible"
      ? { kind: credentials.kind, sinkType: "S3", description: `S3-compatible credentials for ${credentials.endpoint}`, endpoint: credentials.endpoint }
      : { kind: credentials.kind, sinkType: "S3", description: `An AWS access key${credentials.userName ? ` of IAM user ${credentials.userName}` : ""}` },
  warnings: () => [],
  ownIdentity: (sink) => sink.iamUser,
};

/** A validation of a plan that claims the key is an IAM user's: with what STS said of it. */
interface S3Validation extends ValidationResult {
  keyUser?: KeyUserAnswer;
}

/**
 * The user the setup made the key for is known; any other key given with a user (the sink's, as
 * its credentials are replaced) is that user's only once STS says so. Without a key of its own
 * (the default chain) a sink is no app-made user's.
 */
function keyUserOf(input: SinkInput, accessKey: AccessKey | undefined): KeyUser | undefined {
  if (input.iamUser === undefined || !accessKey) return undefined;
  return { iamUser: input.iamUser, known: input.credentials.from === "access-key" };
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
