// MSK IAM logins: the OAUTHBEARER token AWS's aws-msk-iam-sasl-signer-js makes, a SigV4-presigned
// `GET https://kafka.<region>.amazonaws.com/?Action=kafka-cluster:Connect`, base64url-encoded. kafkajs
// sends it with `mechanism: "oauthbearer"`; never with its own `mechanism: "aws"`, which sends the
// raw secret access key to the broker (docs/research/managed-logins.md §4).
//
// The credentials come from the login: a key, a profile or the default chain, optionally through an
// assumed role. They are kept, and fetched again once fewer than 15 minutes remain before their
// `expiration`: the signer makes X-Amz-Expires = min(900, the credentials' remaining seconds), and
// in 1.0.3 that is fractional when they expire within 15 minutes and negative once they have
// expired (no error), a known cause of MSK logins failing after 24-48 h
// (aws/aws-msk-iam-sasl-signer-js#21, #34). Credentials with 15 minutes or more left always give a
// whole 900. Each token is still checked, and refused unless X-Amz-Expires is a whole number of
// seconds above zero.
//
// Failures: a credential refused or absent (no credentials in the chain, an unknown or deactivated
// key, expired session credentials, a role that may not be assumed) needs a person; AWS unreachable
// is transient (refreshing-token.ts decides what that means while a token is still good).
//
// The signer and the SDK's credential providers are loaded by the first token signed and the first
// credentials asked of a chain or a role: every exporter's worker reaches this module through its
// Kafka client, and only an MSK IAM login needs them.
import { NeedsPersonError } from "../../exporters/needs-person.js";
import { awsErrorName, StreamdropError } from "../../errors.js";
import { nodeProviderChain, temporaryCredentials } from "../../stores/s3/credential-chain.js";
import { quietSdkLogger } from "../../stores/s3/sdk-logger.js";
import type { AwsLogin } from "./kafka-login.js";
import { RefreshingToken, type BearerToken } from "./refreshing-token.js";

/** AWS credentials as the SDK's providers give them. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** Absent for long-term keys. */
  expiration?: Date;
}

/** An AWS SDK credential identity provider; `forceRefresh` goes past a provider's own cache. */
export type AwsCredentialsProvider = (options?: { forceRefresh?: boolean }) => Promise<AwsCredentials>;

/** Signs an MSK token with the region and credentials given: the signer's own call by default. */
export type MskSigner = (region: string, credentials: AwsCredentialsProvider) => Promise<{ token: string; expiryTime: number }>;

/** Credentials are fetched again when fewer than this remain before they expire. */
export const credentialsRefreshMs = 15 * 60_000;

/** The signer's longest token: X-Amz-Expires is at most this. */
export const mskTokenMaxSeconds = 900;

/** AWS's signer (26 MiB resident loaded alone into Node 24 from node_modules, with the SDK parts it brings; the build bundles it now, smaller): loaded by the first token signed (the memory of idle workers). */
const mskSigner = () => import("aws-msk-iam-sasl-signer-js");

const defaultSigner: MskSigner = async (region, credentials) =>
  (await mskSigner()).generateAuthTokenFromCredentialsProvider({ region, awsCredentialsProvider: credentials });

/**
 * The credentials of an MSK login: its key, or the default chain (or one profile of it), through
 * its role if it names one; kept until fewer than 15 minutes remain before they expire.
 */
export function awsCredentialsFor(
  aws: AwsLogin,
  sessionName: string,
  options: { region?: string; now?: () => number } = {},
): AwsCredentialsProvider & { renew(): void } {
  return cachedCredentials(baseCredentials(aws, sessionName, options.region), options);
}

function baseCredentials(aws: AwsLogin, sessionName: string, region = "us-east-1"): AwsCredentialsProvider {
  const key = aws.accessKey;
  // A copy each time: the SDK annotates the credentials objects it is given.
  const master: AwsCredentialsProvider = key
    ? async () => ({ accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey })
    : sdkProvider(nodeProviderChain({ ...(aws.profile ? { profile: aws.profile } : {}), logger: quietSdkLogger }));
  if (!aws.assumeRoleArn) return master;
  // Each call assumes the role again (fromTemporaryCredentials keeps nothing): cachedCredentials
  // calls it only when the kept credentials are due.
  return sdkProvider(
    temporaryCredentials({
      masterCredentials: master,
      params: { RoleArn: aws.assumeRoleArn, RoleSessionName: sessionName.replace(/[^\w+=,.@-]/g, "-").slice(0, 64), DurationSeconds: 3600 },
      clientConfig: { region, logger: quietSdkLogger },
    }),
  );
}

/**
 * An SDK provider, typed as ours: the SDK passes `forceRefresh` among a provider's identity
 * properties (the default chain honours it: credential-provider-node's memoizeChain) without
 * declaring it there.
 */
const sdkProvider = (provider: (properties?: object) => Promise<AwsCredentials>): AwsCredentialsProvider => provider;

/**
 * Keeps the credentials `source` gives, and asks it again (with `forceRefresh`, past the SDK
 * default chain's own cache, which keeps them until 5 minutes before they expire) once fewer than
 * `refreshBeforeMs` remain. One fetch at a time. `renew()` makes the next call fetch again.
 * Credentials without an expiration (a long-term key) are kept for good.
 */
export function cachedCredentials(
  source: AwsCredentialsProvider,
  options: { now?: () => number; refreshBeforeMs?: number } = {},
): AwsCredentialsProvider & { renew(): void } {
  const now = options.now ?? Date.now;
  const refreshBeforeMs = options.refreshBeforeMs ?? credentialsRefreshMs;
  let kept: AwsCredentials | undefined;
  let stale = false;
  let inFlight: Promise<AwsCredentials> | undefined;
  const fresh = (credentials: AwsCredentials) => !credentials.expiration || credentials.expiration.getTime() - now() >= refreshBeforeMs;
  const provider = async (request?: { forceRefresh?: boolean }): Promise<AwsCredentials> => {
    if (request?.forceRefresh) stale = true;
    if (kept && !stale && fresh(kept)) return kept;
    inFlight ??= (async () => {
      try {
        const got = await source({ forceRefresh: true });
        kept = got;
        stale = false;
        return got;
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  };
  return Object.assign(provider, {
    renew() {
      stale = true;
    },
  });
}

/** An MSK IAM token taken apart. */
export interface MskToken {
  url: URL;
  region: string;
  accessKeyId: string;
  /** X-Amz-Date: when it was signed (whole seconds). */
  date: Date;
  /** X-Amz-Expires as it is written: whole and positive in a good token. */
  expiresSeconds: number;
  params: URLSearchParams;
}

const badToken = (why: string) => new StreamdropError("credentials", `The MSK login token is not one Streamdrop can read: ${why}.`);

/** Decodes a token (the base64url of the presigned URL); throws if it is not an MSK IAM token. */
export function decodeMskToken(token: string): MskToken {
  let url: URL;
  try {
    url = new URL(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw badToken("it does not decode to a URL");
  }
  const params = url.searchParams;
  const host = /^kafka\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(url.hostname);
  if (url.protocol !== "https:" || !host) throw badToken(`it is for ${url.host}, not kafka.<region>.amazonaws.com`);
  if (params.get("Action") !== "kafka-cluster:Connect") throw badToken("its Action is not kafka-cluster:Connect");
  const scope = (params.get("X-Amz-Credential") ?? "").split("/");
  if (scope.length !== 5 || scope[3] !== "kafka-cluster" || scope[4] !== "aws4_request") throw badToken("its X-Amz-Credential is not a kafka-cluster scope");
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(params.get("X-Amz-Date") ?? "");
  if (!date) throw badToken("its X-Amz-Date is missing or malformed");
  const [, y, mo, d, h, mi, s] = date.map(Number) as [number, number, number, number, number, number, number];
  const expires = params.get("X-Amz-Expires");
  return {
    url,
    region: host[1]!,
    accessKeyId: scope[0]!,
    date: new Date(Date.UTC(y, mo - 1, d, h, mi, s)),
    expiresSeconds: expires === null || expires.trim() === "" ? NaN : Number(expires),
    params,
  };
}

export interface MskIamTokenOptions {
  now?: () => number;
  /** kafkajs's reauthenticationThreshold. */
  thresholdMs?: number;
  sign?: MskSigner;
  /** Where the credentials come from, in place of the login's (tests); kept the same way. */
  credentials?: AwsCredentialsProvider;
  /** The assumed role's session name. */
  sessionName?: string;
}

/** The stream's MSK token source: one per Kafka client, shared by its connections. */
export function mskIamTokenSource(login: { region: string; aws: AwsLogin }, options: MskIamTokenOptions = {}): RefreshingToken {
  const now = options.now ?? Date.now;
  const where = credentialsSource(login.aws);
  const credentials = options.credentials
    ? cachedCredentials(options.credentials, { now })
    : awsCredentialsFor(login.aws, options.sessionName ?? "streamdrop-msk", { region: login.region, now });
  const sign = options.sign ?? defaultSigner;
  const thresholdMs = options.thresholdMs;
  // A token must outlive three re-authentication thresholds (refreshing-token.ts): one that would
  // not is taken for nearly expired credentials, as a fractional X-Amz-Expires is.
  const shortestLifeMs = 3 * (thresholdMs ?? 10_000);
  // What the signer is given: the kept credentials, their failures told in words.
  let used: AwsCredentials | undefined;
  const told: AwsCredentialsProvider = async () => {
    try {
      used = await credentials();
      return used;
    } catch (error) {
      throw credentialsProblem(error, login.aws, where);
    }
  };
  const signOnce = async (): Promise<{ token: BearerToken; expiresSeconds: number }> => {
    const signed = await sign(login.region, told);
    const decoded = decodeMskToken(signed.token);
    return { token: { value: signed.token, expiresAt: decoded.date.getTime() + decoded.expiresSeconds * 1000 }, expiresSeconds: decoded.expiresSeconds };
  };
  const good = ({ token, expiresSeconds }: { token: BearerToken; expiresSeconds: number }) =>
    Number.isInteger(expiresSeconds) && expiresSeconds > 0 && token.expiresAt - now() >= shortestLifeMs;
  return new RefreshingToken({
    fetch: async () => {
      const first = await signOnce();
      if (good(first)) return first.token;
      // Nearly expired credentials: fetch fresh ones once.
      credentials.renew();
      const second = await signOnce();
      if (good(second)) return second.token;
      const expiration = used?.expiration;
      const left = expiration ? Math.round((expiration.getTime() - now()) / 1000) : undefined;
      // Transient: a chain near its rotation (an instance or container role) gives fresh ones soon; if none come
      // before the kept token runs out, the token source says it needs a person.
      throw new Error(
        `The AWS credentials from ${where} ${left === undefined ? "gave an MSK token that is not valid" : left > 0 ? `expire in ${left} s` : "have expired"}, and no fresher ones came yet (the token's X-Amz-Expires is ${second.expiresSeconds}; it must be a whole number of seconds, and the token live at least ${shortestLifeMs / 1000} s). ${renewAdvice(login.aws)}`,
      );
    },
    expired: (error) =>
      new NeedsPersonError(
        "sasl",
        `The MSK login's token has expired and no new one could be signed with the credentials from ${where} (${(error as Error).message}). ${renewAdvice(login.aws)}`,
        { cause: error, fixes: [{ id: "set", setting: "aws-credentials" }] },
      ),
    ...(thresholdMs !== undefined ? { thresholdMs } : {}),
    now,
  });
}

/** Where an MSK login's credentials come from, in words for messages: never a secret. */
export function credentialsSource(aws: AwsLogin): string {
  return aws.assumeRoleArn ? `role ${aws.assumeRoleArn} (assumed with ${baseSource(aws)})` : baseSource(aws);
}

const baseSource = (aws: AwsLogin) =>
  aws.accessKey
    ? `access key ${aws.accessKey.accessKeyId}`
    : aws.profile
      ? `AWS profile ${aws.profile}`
      : "the AWS default credential chain (environment variables, shared config and credentials files, SSO, instance role)";

function renewAdvice(aws: AwsLogin): string {
  if (aws.accessKey) return "Give the stream a current access key.";
  // In words only: the window shows these, and no program's options belong there.
  if (aws.profile) return `Renew the credentials of AWS profile ${aws.profile} (an SSO profile: sign in to it again with the AWS CLI's SSO login).`;
  return "Renew the AWS credentials Streamdrop runs with (SSO: sign in again with the AWS CLI's SSO login), or give the stream an access key.";
}

/** Refusals of a credential by STS or IAM, and credentials the chain could not find. */
const refusedKey = new Set(["InvalidClientTokenId", "UnrecognizedClient", "SignatureDoesNotMatch", "InvalidAccessKeyId", "IncompleteSignature"]);
const expiredSession = new Set(["ExpiredToken", "TokenRefreshRequired", "RequestExpired"]);
const absent = new Set(["CredentialsProviderError", "TokenProviderError"]);
const notAllowed = new Set(["AccessDenied", "AuthorizationError", "RegionDisabled", "ValidationError", "MalformedPolicyDocument"]);

/** A credentials failure: NeedsPersonError when AWS refused or nothing was found, else transient. */
export function credentialsProblem(error: unknown, aws: AwsLogin, where = credentialsSource(aws)): Error {
  if (error instanceof NeedsPersonError) return error;
  const name = awsErrorName(error);
  const said = `${name || "error"}: ${String((error as Error | undefined)?.message ?? error).slice(0, 300)}`;
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  const person = (message: string) => new NeedsPersonError("sasl", message, { cause: error, fixes: [{ id: "set", setting: "aws-credentials" }] });
  if (absent.has(name)) {
    if (aws.profile) return person(`No AWS credentials came from AWS profile ${aws.profile} (${said}). ${renewAdvice(aws)}`);
    return person(`No AWS credentials were found for the MSK login in ${where} (${said}). Configure one of them, or give the stream an access key.`);
  }
  if (refusedKey.has(name))
    return person(
      `AWS does not accept the credentials from ${where} (${said}): the key may have been deactivated or deleted, or its secret changed. ${renewAdvice(aws)}`,
    );
  if (expiredSession.has(name)) return person(`The session credentials from ${where} have expired (${said}). ${renewAdvice(aws)}`);
  if (notAllowed.has(name) || status === 401 || status === 403) {
    if (aws.assumeRoleArn)
      return person(
        `AWS refused to let ${baseSource(aws)} assume role ${aws.assumeRoleArn} (${said}). Allow it sts:AssumeRole on the role, and let the role's trust policy admit it.`,
      );
    return person(`AWS refused the credentials from ${where} (${said}). ${renewAdvice(aws)}`);
  }
  const code = (error as { code?: string } | undefined)?.code;
  if (code && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH)$/.test(code))
    return new Error(`AWS could not be reached for the credentials from ${where} (${code}). The next login tries again.`, { cause: error });
  return new Error(`Getting the credentials from ${where} failed (${said}). The next login tries again.`, { cause: error });
}
