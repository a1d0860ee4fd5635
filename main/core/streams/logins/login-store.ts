// A stream's login between what a person gives, what the config keeps, and what a client uses:
// given (secrets as values or environment variables) → checked and resolved (kafka-login.ts, in
// memory) → kept (secrets in the keychain, references in the config) → read back for a connection.
// Every login kind passes through these same few functions, so none can keep a secret elsewhere.
import type { StreamRecord } from "../../config/schema.js";
import { invalidInput, StreamdropError } from "../../errors.js";
import type { SecretStore } from "../../keychain/secret-store.js";
import type { SecretInput } from "../../schemas/registry-settings.js";
import type { AccessKey } from "../../stores/s3/credentials.js";
import type { ClientCertificate, KafkaLogin, PasswordMechanism } from "./kafka-login.js";

export type SaslInput =
  | { mechanism: PasswordMechanism; username: string; password: SecretInput }
  | {
      mechanism: "oauthbearer";
      tokenEndpoint: string;
      clientId: string;
      clientSecret: SecretInput;
      scope?: string;
      extensions?: Record<string, string>;
    }
  /** No access key: the AWS default chain (or its `profile`). */
  | { mechanism: "aws-msk-iam"; region: string; accessKey?: AccessKey; profile?: string; assumeRoleArn?: string };

export type SaslRecord = NonNullable<StreamRecord["sasl"]>;
export type ClientCertificateRecord = NonNullable<StreamRecord["clientCertificate"]>;

const oidcFix = { id: "set", setting: "oidc-client" } as const;
const awsFix = { id: "set", setting: "aws-credentials" } as const;

/** The login as given, checked, with its secrets resolved (in memory only). */
export function resolveLogin(input: SaslInput): KafkaLogin {
  switch (input.mechanism) {
    case "oauthbearer":
      return {
        mechanism: "oauthbearer",
        oidc: {
          tokenEndpoint: checkTokenEndpoint(input.tokenEndpoint),
          clientId: required(input.clientId, "The OIDC client id is empty: give the client id the identity provider gave you.", oidcFix),
          clientSecret: resolveSecret(input.clientSecret, "oidc-client"),
          ...(input.scope?.trim() ? { scope: input.scope.trim() } : {}),
          ...(input.extensions && Object.keys(input.extensions).length > 0 ? { extensions: checkExtensions(input.extensions) } : {}),
        },
      };
    case "aws-msk-iam":
      return {
        mechanism: "aws-msk-iam",
        region: checkRegion(input.region),
        aws: {
          ...(input.accessKey ? { accessKey: input.accessKey } : {}),
          ...(input.profile?.trim() ? { profile: input.profile.trim() } : {}),
          ...(input.assumeRoleArn?.trim() ? { assumeRoleArn: checkRoleArn(input.assumeRoleArn.trim()) } : {}),
        },
      };
    default:
      return {
        mechanism: input.mechanism,
        username: required(input.username, "The SASL user name is empty: give the user the cluster knows you by.", { id: "set", setting: "password-env" }),
        password: resolveSecret(input.password, "password-env"),
      };
  }
}

/**
 * Keeps a resolved login: its secret into the keychain under a new account (`account()`), unless it
 * comes from the environment at run time. Returns the record and the accounts written (for undoing).
 */
export async function keepLogin(
  input: SaslInput,
  login: KafkaLogin,
  account: () => string,
  secrets: SecretStore,
): Promise<{ record: SaslRecord; accounts: string[] }> {
  const accounts: string[] = [];
  const kept = async (secret: SecretInput, value: string) => {
    if (secret.from === "env") return { source: "env" as const, variable: secret.variable };
    const name = account();
    await secrets.setSecret(name, value);
    accounts.push(name);
    return { source: "keychain" as const, account: name };
  };
  if (login.mechanism === "oauthbearer" && input.mechanism === "oauthbearer") {
    const { clientSecret, ...oidc } = login.oidc;
    return { record: { mechanism: "oauthbearer", ...oidc, clientSecret: await kept(input.clientSecret, clientSecret) }, accounts };
  }
  if (login.mechanism === "aws-msk-iam") {
    let credentials: Extract<SaslRecord, { mechanism: "aws-msk-iam" }>["credentials"] = { source: "default-chain" };
    if (login.aws.accessKey) credentials = await kept({ from: "value", value: "" }, JSON.stringify(login.aws.accessKey));
    const { accessKey: _secret, ...where } = login.aws;
    return { record: { mechanism: "aws-msk-iam", region: login.region, credentials, ...where }, accounts };
  }
  if (login.mechanism === "oauthbearer" || input.mechanism === "oauthbearer" || input.mechanism === "aws-msk-iam")
    throw new Error("keepLogin: the login is not the input's");
  return { record: { mechanism: login.mechanism, username: login.username, password: await kept(input.password, login.password) }, accounts };
}

/** The kept login with its secret, from the keychain or the environment, in memory only. */
export async function loginOf(record: SaslRecord, secrets: SecretStore, streamName: string): Promise<KafkaLogin> {
  switch (record.mechanism) {
    case "oauthbearer": {
      const { clientSecret, mechanism, ...oidc } = record;
      return { mechanism, oidc: { ...oidc, clientSecret: await secretOf(clientSecret, secrets, `The OIDC client secret of stream ${streamName}`) } };
    }
    case "aws-msk-iam": {
      const { credentials, mechanism, region, ...where } = record;
      if (credentials.source === "default-chain") return { mechanism, region, aws: where };
      const text = await secretOf(credentials, secrets, `The AWS access key of stream ${streamName}`);
      return { mechanism, region, aws: { ...where, accessKey: JSON.parse(text) as AccessKey } };
    }
    default:
      return {
        mechanism: record.mechanism,
        username: record.username,
        password: await secretOf(record.password, secrets, `The SASL password of stream ${streamName}`),
      };
  }
}

/** The keychain accounts a kept login owns (deleted with it). */
export function loginAccounts(record: SaslRecord | undefined): string[] {
  if (!record) return [];
  const ref = record.mechanism === "oauthbearer" ? record.clientSecret : record.mechanism === "aws-msk-iam" ? record.credentials : record.password;
  return ref.source === "keychain" ? [ref.account] : [];
}

/** A client certificate kept: the certificate written by `writeCert` (beside the CA), its key in the keychain. */
export async function keepClientCertificate(
  certificate: ClientCertificate,
  writeCert: (pem: string) => Promise<string>,
  account: string,
  secrets: SecretStore,
): Promise<ClientCertificateRecord> {
  await secrets.setSecret(account, certificate.key);
  try {
    return { certFile: await writeCert(certificate.cert), key: { source: "keychain", account } };
  } catch (error) {
    await secrets.deleteSecret(account).catch(() => undefined);
    throw error;
  }
}

export async function clientCertificateOf(
  record: ClientCertificateRecord,
  secrets: SecretStore,
  streamName: string,
  readCert: (file: string) => Promise<string>,
): Promise<ClientCertificate> {
  return { cert: await readCert(record.certFile), key: await secretOf(record.key, secrets, `The client key of stream ${streamName}`) };
}

/** The login in words for `update --dry-run` and the logs: where its secret lives, never the secret. */
export function loginText(login: SaslInput | SaslRecord | undefined): string {
  if (!login) return "none";
  const where = (secret: SecretInput | { source: string; variable?: string }) =>
    "from" in secret
      ? secret.from === "env"
        ? `from $${secret.variable}`
        : "new (kept in the keychain)"
      : secret.source === "env"
        ? `from $${secret.variable}`
        : secret.source === "default-chain"
          ? "from the AWS default chain"
          : "in the keychain";
  switch (login.mechanism) {
    case "oauthbearer":
      return [
        `OAUTHBEARER, OIDC client ${login.clientId} at ${login.tokenEndpoint}`,
        `secret ${where(login.clientSecret)}`,
        ...(login.scope ? [`scope ${login.scope}`] : []),
        ...(login.extensions ? [`extensions ${Object.keys(login.extensions).sort().join(", ")}`] : []),
      ].join(", ");
    case "aws-msk-iam": {
      const credentials =
        "credentials" in login ? where(login.credentials) : login.accessKey ? "a new access key (kept in the keychain)" : "from the AWS default chain";
      return [
        `AWS MSK IAM in ${login.region}`,
        `credentials ${credentials}`,
        ...(login.profile ? [`profile ${login.profile}`] : []),
        ...(login.assumeRoleArn ? [`role ${login.assumeRoleArn}`] : []),
      ].join(", ");
    }
    default: {
      const given = "from" in login.password && login.password.from === "value";
      return `${login.mechanism}, user ${login.username}, ${given ? "a new password (kept in the keychain)" : `password ${where(login.password)}`}`;
    }
  }
}

async function secretOf(ref: { source: string; account?: string; variable?: string }, secrets: SecretStore, what: string): Promise<string> {
  const value = ref.source === "keychain" ? await secrets.getSecret(ref.account!) : ref.source === "env" ? process.env[ref.variable!] : undefined;
  if (value) return value;
  const where =
    ref.source === "env" ? `the environment variable ${ref.variable}, which is not set` : "the OS keychain, which has no entry for it (locked, or removed)";
  throw new StreamdropError("credentials", `${what} comes from ${where}. Set it, or give the stream its login again.`);
}

function resolveSecret(secret: SecretInput, setting: "password-env" | "oidc-client"): string {
  if (secret.from === "value") {
    if (secret.value === "")
      throw invalidInput(setting === "oidc-client" ? "The OIDC client secret is empty." : "The SASL password is empty.", { id: "set", setting });
    return secret.value;
  }
  const value = process.env[secret.variable];
  if (!value) throw invalidInput(`The environment variable ${secret.variable} is not set.`, { id: "set", setting });
  return value;
}

function required(value: string, message: string, fix: { id: "set"; setting: "oidc-client" | "password-env" }): string {
  if (!value.trim()) throw invalidInput(message, fix);
  return value.trim();
}

/** https, or http to this computer only (a local identity provider): a client secret never crosses a network in the clear. */
function checkTokenEndpoint(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    // Said without echoing the text: what it holds may be a secret.
    throw invalidInput("The token endpoint is not a URL: give the identity provider's token address, such as https://idp.example.com/oauth2/token.", oidcFix);
  }
  if (url.username || url.password)
    throw invalidInput(
      "The token endpoint's address holds credentials. Give the address without them; the client id and secret are asked for on their own.",
      oidcFix,
    );
  const local = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && local))
    throw invalidInput(
      `The token endpoint ${url.origin} is not an https address. The client secret is sent to it: use the provider's https token endpoint.`,
      oidcFix,
    );
  return url.toString();
}

/** RFC 7628 §3.1: a key is letters only (and not "auth"); a value printable characters and spaces. */
function checkExtensions(extensions: Record<string, string>): Record<string, string> {
  for (const [key, value] of Object.entries(extensions)) {
    if (!/^[A-Za-z]+$/.test(key) || key === "auth")
      throw invalidInput(
        `SASL extension name ${JSON.stringify(key)} is not allowed: names are letters only (such as logicalCluster), and not "auth".`,
        oidcFix,
      );
    if (!/^[\x21-\x7E \t]+$/.test(value))
      throw invalidInput(`SASL extension ${key} has a value with characters a Kafka login cannot carry: use printable ASCII.`, oidcFix);
  }
  return extensions;
}

function checkRegion(region: string): string {
  if (!/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region.trim()))
    throw invalidInput(`${JSON.stringify(region)} is not an AWS region: give the cluster's, such as us-east-1 (it is in the cluster's ARN).`, awsFix);
  return region.trim();
}

function checkRoleArn(arn: string): string {
  if (!/^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(arn))
    throw invalidInput(`${JSON.stringify(arn)} is not an IAM role ARN: it looks like arn:aws:iam::123456789012:role/name.`, awsFix);
  return arn;
}
