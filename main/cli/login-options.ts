// How `create stream` and `update stream` take a login: the SASL mechanisms, OAuth (OIDC client
// credentials), AWS MSK IAM and a client certificate, with --provider naming the service so its
// usual choices apply (common/kafka-providers.ts, as the window's provider forms do). A secret is
// read from an environment variable at run time, or once from stdin or a hidden prompt into the keychain.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { Option, type Command } from "commander";
import { kafkaProviders, offers, providerIds, type LoginKind, type ProviderId } from "../../common/kafka-providers.js";
import { StreamdropError } from "../core/errors.js";
import { readAccessKeyFile } from "../core/stores/s3/aws/access-key-file.js";
import type { ClientCertificateInput, SaslInput } from "../core/streams/stream-service.js";
import { readSecret } from "./secret-input.js";

const mechanisms = ["plain", "scram-sha-256", "scram-sha-512", "oauthbearer", "aws-msk-iam"] as const;
type Mechanism = (typeof mechanisms)[number];

export interface LoginOptions {
  provider?: ProviderId;
  saslMechanism?: Mechanism;
  username?: string;
  passwordEnv?: string;
  oauthTokenEndpoint?: string;
  oauthClientId?: string;
  oauthClientSecretEnv?: string;
  oauthScope?: string;
  oauthExtension?: string[];
  awsRegion?: string;
  awsProfile?: string;
  awsRoleArn?: string;
  awsCredentialsFile?: string;
  clientCert?: string;
  clientKey?: string;
  clientP12?: string;
  clientKeyPasswordEnv?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export const withLoginOptions = (command: Command): Command =>
  command
    .addOption(new Option("--provider <service>", "the Kafka service, for its usual settings (TLS on, its logins)").choices(providerIds))
    .addOption(new Option("--sasl-mechanism <mechanism>", "how the stream logs in").choices(mechanisms))
    .option("--username <user>", "SASL user name (Confluent Cloud: the API key); the password is read from stdin or prompted, and kept in the keychain")
    .option("--password-env <variable>", "read the SASL password from this environment variable at run time instead (nothing stored)")
    .option("--oauth-token-endpoint <url>", "OAUTHBEARER: the identity provider's token endpoint (client-credentials grant)")
    .option("--oauth-client-id <id>", "OAUTHBEARER: the OIDC client id; its secret is read from stdin or prompted, and kept in the keychain")
    .option("--oauth-client-secret-env <variable>", "OAUTHBEARER: read the client secret from this environment variable at run time instead")
    .option("--oauth-scope <scope>", "OAUTHBEARER: the scope to ask for")
    .option("--oauth-extension <key=value>", "OAUTHBEARER: a SASL extension, such as logicalCluster=lkc-abc12 (repeat for each)", collect)
    .option("--aws-region <region>", "AWS MSK IAM: the cluster's region")
    .option("--aws-profile <name>", "AWS MSK IAM: credentials from this AWS profile (default: the AWS default credential chain)")
    .option("--aws-role-arn <arn>", "AWS MSK IAM: assume this role with those credentials")
    .option("--aws-credentials-file <file>", "AWS MSK IAM: an access key from a create-access-key JSON file, kept in the keychain")
    .option("--client-cert <pem>", "mutual TLS: the client certificate (PEM), with --client-key")
    .option("--client-key <pem>", "mutual TLS: the certificate's private key (PEM; kept in the keychain)")
    .option("--client-p12 <file>", "mutual TLS: the certificate and key as one PKCS#12 file; its password is read from stdin or prompted")
    .option("--client-key-password-env <variable>", "mutual TLS: the password of an encrypted key or PKCS#12 file, from this environment variable");

/** The SASL login's options given, as their flags (an update given none leaves the login as it is). */
export function saslOptionsGiven(options: LoginOptions): string[] {
  const flags: Array<[keyof LoginOptions, string]> = [
    ["saslMechanism", "--sasl-mechanism"],
    ["username", "--username"],
    ["passwordEnv", "--password-env"],
    ["oauthTokenEndpoint", "--oauth-token-endpoint"],
    ["oauthClientId", "--oauth-client-id"],
    ["oauthClientSecretEnv", "--oauth-client-secret-env"],
    ["oauthScope", "--oauth-scope"],
    ["oauthExtension", "--oauth-extension"],
    ["awsRegion", "--aws-region"],
    ["awsProfile", "--aws-profile"],
    ["awsRoleArn", "--aws-role-arn"],
    ["awsCredentialsFile", "--aws-credentials-file"],
  ];
  return flags.filter(([key]) => options[key] !== undefined).map(([, flag]) => flag);
}

export const givesCertificate = (options: LoginOptions) => Boolean(options.clientCert || options.clientKey || options.clientP12);

/** The SASL login the options give (a mechanism follows from the options when not named). */
export async function saslOf(options: LoginOptions): Promise<SaslInput | undefined> {
  const mechanism = mechanismOf(options);
  if (!mechanism) {
    const given = saslOptionsGiven(options);
    if (given.length > 0)
      throw invalid(
        `${given.join(", ")} ${given.length === 1 ? "is" : "are"} part of a login: give the whole login, with --sasl-mechanism (or a --provider that offers it).`,
      );
    return undefined;
  }
  if (options.provider && !offers(options.provider, mechanism))
    throw invalid(`${kafkaProviders[options.provider].label} does not offer ${mechanism}: use ${kafkaProviders[options.provider].logins.join(", ")}.`);
  switch (mechanism) {
    case "oauthbearer": {
      if (!options.oauthTokenEndpoint || !options.oauthClientId)
        throw invalid("--sasl-mechanism oauthbearer needs --oauth-token-endpoint and --oauth-client-id.");
      return {
        mechanism,
        tokenEndpoint: options.oauthTokenEndpoint,
        clientId: options.oauthClientId,
        clientSecret: options.oauthClientSecretEnv
          ? { from: "env", variable: options.oauthClientSecretEnv }
          : { from: "value", value: await readSecret(`Client secret of OIDC client ${options.oauthClientId}: `) },
        ...(options.oauthScope ? { scope: options.oauthScope } : {}),
        ...(options.oauthExtension?.length ? { extensions: extensionsOf(options.oauthExtension) } : {}),
      };
    }
    case "aws-msk-iam": {
      if (!options.awsRegion) throw invalid("--sasl-mechanism aws-msk-iam needs --aws-region (the cluster's region, in its ARN).");
      if (options.awsProfile && options.awsCredentialsFile) throw invalid("Give --aws-profile or --aws-credentials-file, not both.");
      return {
        mechanism,
        region: options.awsRegion,
        ...(options.awsCredentialsFile ? { accessKey: await readAccessKeyFile(options.awsCredentialsFile) } : {}),
        ...(options.awsProfile ? { profile: options.awsProfile } : {}),
        ...(options.awsRoleArn ? { assumeRoleArn: options.awsRoleArn } : {}),
      };
    }
    default: {
      const fixed = options.provider ? kafkaProviders[options.provider].fixedUsername : undefined;
      const username = options.username ?? fixed;
      if (!username) throw invalid(`--sasl-mechanism ${mechanism} needs --username.`);
      if (fixed && username !== fixed) throw invalid(`${kafkaProviders[options.provider!].label} takes the user name ${fixed}: leave out --username.`);
      const what = fixed ? `${kafkaProviders[options.provider!].words?.password ?? "Password"}: ` : `SASL password for ${username}: `;
      return {
        mechanism,
        username,
        password: options.passwordEnv ? { from: "env", variable: options.passwordEnv } : { from: "value", value: await readSecret(what) },
      };
    }
  }
}

/** The client certificate the options give: PEM files, or one PKCS#12 file. */
export async function certificateOf(options: LoginOptions): Promise<ClientCertificateInput | undefined> {
  if (!givesCertificate(options)) return undefined;
  if (options.provider && !offers(options.provider, "mtls"))
    throw invalid(`${kafkaProviders[options.provider].label} does not take a client certificate: use ${kafkaProviders[options.provider].logins.join(", ")}.`);
  if (options.clientP12) {
    if (options.clientCert || options.clientKey) throw invalid("Give --client-p12, or --client-cert with --client-key, not both.");
    const p12 = await readInput(options.clientP12, "the PKCS#12 file");
    const passphrase = options.clientKeyPasswordEnv ? envValue(options.clientKeyPasswordEnv) : await readSecret(`Password of ${options.clientP12}: `);
    return { format: "pkcs12", p12, passphrase };
  }
  if (!options.clientCert || !options.clientKey) throw invalid("A client certificate needs both --client-cert and --client-key (or --client-p12).");
  const cert = (await readInput(options.clientCert, "the client certificate")).toString("utf8");
  const key = (await readInput(options.clientKey, "the client key")).toString("utf8");
  const encrypted = /ENCRYPTED/.test(key);
  const passphrase = !encrypted
    ? undefined
    : options.clientKeyPasswordEnv
      ? envValue(options.clientKeyPasswordEnv)
      : await readSecret(`Password of the key ${options.clientKey}: `);
  return { format: "pem", cert, key, ...(passphrase !== undefined ? { passphrase } : {}) };
}

/** The login kind the options ask for, or the provider's usual one when they only name a provider. */
function mechanismOf(options: LoginOptions): Mechanism | undefined {
  if (options.saslMechanism) return options.saslMechanism;
  if (options.oauthTokenEndpoint || options.oauthClientId || options.oauthClientSecretEnv) return "oauthbearer";
  if (options.awsRegion || options.awsProfile || options.awsRoleArn || options.awsCredentialsFile) return "aws-msk-iam";
  if (!options.provider) return undefined;
  const offered = kafkaProviders[options.provider].logins.filter((login): login is Mechanism => (mechanisms as readonly string[]).includes(login));
  // A user or password given: the provider's user-and-password login, whatever its usual one is.
  if (options.username || options.passwordEnv) return offered.find((login) => login !== "oauthbearer" && login !== "aws-msk-iam");
  if (givesCertificate(options)) return undefined;
  const usual: LoginKind | undefined = kafkaProviders[options.provider].logins[0];
  return offered.find((login) => login === usual);
}

/** The secrets the options would read from stdin (or a prompt), in words: a login's, a certificate's password. */
export function secretsToRead(options: LoginOptions): string[] {
  const mechanism = mechanismOf(options);
  const login =
    mechanism === "oauthbearer"
      ? options.oauthClientSecretEnv
        ? []
        : ["the OIDC client secret"]
      : mechanism && mechanism !== "aws-msk-iam" && !options.passwordEnv
        ? ["the SASL password"]
        : [];
  const encryptedKey = options.clientKey !== undefined && /ENCRYPTED/.test(readQuietly(options.clientKey));
  const certificate = !options.clientKeyPasswordEnv && (options.clientP12 !== undefined || encryptedKey) ? ["the certificate's password"] : [];
  return [...login, ...certificate];
}

/** Piped stdin holds one secret: refused when more would be read from it, naming them and the way out. */
export function checkOneFromStdin(secrets: string[]): void {
  if (process.stdin.isTTY || secrets.length < 2) return;
  const said = secrets.join(" and ");
  throw invalid(
    `${said[0]!.toUpperCase()}${said.slice(1)} would all be read from stdin, which holds one. Give all but one from environment variables (--password-env, --oauth-client-secret-env, --client-key-password-env, --registry-password-env).`,
  );
}

const readQuietly = (path: string) => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
};

function extensionsOf(pairs: string[]): Record<string, string> {
  const extensions: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at <= 0) throw invalid(`--oauth-extension ${JSON.stringify(pair)} is not key=value, such as logicalCluster=lkc-abc12.`);
    extensions[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return extensions;
}

function envValue(variable: string): string {
  const value = process.env[variable];
  if (!value) throw invalid(`The environment variable ${variable} is not set.`);
  return value;
}

async function readInput(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw invalid(`Cannot read ${what} ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
}

const invalid = (message: string) => new StreamdropError("invalid-input", message);
