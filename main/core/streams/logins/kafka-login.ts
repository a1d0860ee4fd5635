// How a stream logs in to its cluster, as the core holds it in memory (secrets resolved): the
// config keeps only references (config/schema.ts), and a worker gets this over its IPC channel.
// One union, so a login can only carry what its mechanism uses.
import type { AccessKey } from "../../stores/s3/credentials.js";

export type PasswordMechanism = "plain" | "scram-sha-256" | "scram-sha-512";

/** An OIDC client allowed the client-credentials grant: what Confluent Cloud, Okta, Entra ID or Keycloak hand out. */
export interface OidcClient {
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  /** SASL extensions sent with the token, such as Confluent Cloud's `logicalCluster` and `identityPoolId`. */
  extensions?: Record<string, string>;
}

/** Where an MSK IAM login's AWS credentials come from: a key, or the default chain (or one profile of it), optionally through a role. */
export interface AwsLogin {
  /** Absent: the AWS default credential chain (environment, profile, SSO, instance role). */
  accessKey?: AccessKey;
  profile?: string;
  assumeRoleArn?: string;
}

export type KafkaLogin =
  | { mechanism: PasswordMechanism; username: string; password: string }
  | { mechanism: "oauthbearer"; oidc: OidcClient }
  | { mechanism: "aws-msk-iam"; region: string; aws: AwsLogin };

export type LoginMechanism = KafkaLogin["mechanism"];

/** A client certificate and its key, both PEM; the key unencrypted (it lives in the keychain, and in memory only). */
export interface ClientCertificate {
  cert: string;
  key: string;
}

/** Who logs in, in words for messages: never a secret. */
export function loginWho(login: KafkaLogin | undefined): string | undefined {
  if (!login) return undefined;
  if (login.mechanism === "oauthbearer") return `OIDC client ${login.oidc.clientId}`;
  if (login.mechanism === "aws-msk-iam") return login.aws.assumeRoleArn ? `role ${login.aws.assumeRoleArn}` : "the AWS credentials";
  return `user ${login.username}`;
}
