// The managed Kafka services Streamdrop knows, and what each hands out to log in with: the one
// place the window's provider forms and the CLI's --provider take their choices from. Facts from
// each provider's docs (docs/research/managed-logins.md §6).

/** How a stream logs in: a SASL mechanism, or a client certificate alone (mutual TLS). */
export type LoginKind = "none" | "plain" | "scram-sha-256" | "scram-sha-512" | "oauthbearer" | "aws-msk-iam" | "mtls";

export const providerIds = ["confluent", "msk", "event-hubs", "aiven", "redpanda", "other"] as const;
export type ProviderId = (typeof providerIds)[number];

export interface KafkaProvider {
  id: ProviderId;
  label: string;
  /** The logins it offers, the usual one first. */
  logins: readonly LoginKind[];
  /** Whether it always speaks TLS (every managed service does). */
  tls: boolean;
  /** What its bootstrap address looks like, for the field's hint. */
  bootstrapHint: string;
  /** Words for the user name and password fields, where the provider names them its own way. */
  words?: { username?: string; password?: string };
  /** A user name the provider fixes (Event Hubs' `$ConnectionString`): not asked for. */
  fixedUsername?: string;
  /** A line on where to find what is asked for. */
  help: string;
  /** SASL extensions its OAuth login needs, asked for by name (any other provider's take free name=value lines). */
  oauthExtensions?: ReadonlyArray<{ name: string; label: string; hint: string; optional?: boolean }>;
}

export const kafkaProviders: Record<ProviderId, KafkaProvider> = {
  confluent: {
    id: "confluent",
    label: "Confluent Cloud",
    logins: ["plain", "oauthbearer"],
    tls: true,
    bootstrapHint: "pkc-xxxxx.us-east-1.aws.confluent.cloud:9092",
    words: { username: "API key", password: "API secret" },
    help: "The bootstrap server is on the cluster's settings page; create an API key for the cluster under API keys, or use an OAuth identity pool.",
    oauthExtensions: [
      { name: "logicalCluster", label: "Logical cluster ID", hint: "The Kafka cluster's ID, such as lkc-abc123." },
      {
        name: "identityPoolId",
        label: "Identity pool ID",
        hint: "The identity pool the OAuth client is mapped to, such as pool-AbCd; leave it empty when the pools are matched by the token's claims.",
        optional: true,
      },
    ],
  },
  msk: {
    id: "msk",
    label: "Amazon MSK",
    logins: ["aws-msk-iam", "scram-sha-512", "mtls"],
    tls: true,
    bootstrapHint: "b-1.mycluster.xxxxxx.c2.kafka.us-east-1.amazonaws.com:9098",
    help: "The cluster's View client information lists its bootstrap servers per login: IAM on port 9098 (9198 public), SASL/SCRAM on 9096 (9196), TLS on 9094 (9194).",
  },
  "event-hubs": {
    id: "event-hubs",
    label: "Azure Event Hubs",
    logins: ["plain"],
    tls: true,
    bootstrapHint: "mynamespace.servicebus.windows.net:9093",
    words: { password: "Connection string" },
    fixedUsername: "$ConnectionString",
    help: "Use the namespace's host name on port 9093, and a connection string from its Shared access policies (a policy with Listen is enough).",
  },
  aiven: {
    id: "aiven",
    label: "Aiven for Apache Kafka",
    logins: ["mtls", "scram-sha-256"],
    tls: true,
    bootstrapHint: "kafka-xxxx-myproject.aivencloud.com:12345",
    help: "The service's Connection information gives the CA certificate (ca.pem), the access certificate (service.cert) and key (service.key); SASL uses another port of the same host.",
  },
  redpanda: {
    id: "redpanda",
    label: "Redpanda Cloud",
    logins: ["scram-sha-256", "scram-sha-512"],
    tls: true,
    bootstrapHint: "seed-xxxx.xxxx.fmc.prd.cloud.redpanda.com:9092",
    help: "The cluster's Overview gives the bootstrap server; create a user under Security, and give it ACLs on the topic and on consumer groups starting with streamdrop-.",
  },
  other: {
    id: "other",
    label: "Other Kafka",
    logins: ["none", "plain", "scram-sha-256", "scram-sha-512", "oauthbearer", "aws-msk-iam", "mtls"],
    tls: false,
    bootstrapHint: "broker1:9092,broker2:9092",
    help: "Any Kafka 0.11 or newer: give what the cluster's operator gave you.",
  },
};

export const loginLabels: Record<LoginKind, string> = {
  none: "No login",
  plain: "User and password (SASL PLAIN)",
  "scram-sha-256": "User and password (SCRAM-SHA-256)",
  "scram-sha-512": "User and password (SCRAM-SHA-512)",
  oauthbearer: "OAuth (OIDC client credentials)",
  "aws-msk-iam": "AWS IAM",
  mtls: "Client certificate",
};

/** Whether a provider offers a login: the CLI refuses the others with the ones it offers. */
export const offers = (provider: ProviderId, login: LoginKind) => kafkaProviders[provider].logins.includes(login);
