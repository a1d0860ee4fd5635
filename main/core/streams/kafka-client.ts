// kafkajs clients for a stream's cluster connection (TLS, a client certificate, a login), able to
// read every Kafka codec, with kafkajs's own logging sent to ours instead of the console.
import { readFileSync } from "node:fs";
import { Kafka, logLevel, type LogEntry, type SASLOptions } from "kafkajs";
import { StreamdropError } from "../errors.js";
import { registerCodecs } from "./codecs.js";
import type { ClientCertificate, KafkaLogin } from "./logins/kafka-login.js";
import { tokenSourceOf } from "./logins/token-sources.js";

export interface KafkaConnection {
  brokers: string[];
  ssl: boolean;
  caFile?: string;
  /** A CA certificate (PEM) given as text, before it is stored (testing a connection in the app). */
  ca?: string;
  sasl?: KafkaLogin;
  /** Mutual TLS: the certificate this client shows the cluster (`ssl` is then on). */
  clientCertificate?: ClientCertificate;
}

export type KafkaLog = (level: "error" | "warn" | "info", message: string, fields: Record<string, unknown>) => void;

/** `retry` overrides kafkajs's own (5 retries with backoff, for connecting too): 0 for a quick look that must fail fast. */
export function kafkaClient(connection: KafkaConnection, clientId: string, log?: KafkaLog, retry?: { retries: number }): Kafka {
  registerCodecs();
  const ca = connection.ca ?? (connection.caFile ? readCa(connection.caFile) : undefined);
  const own = connection.clientCertificate;
  const tls = { ...(ca ? { ca: [ca] } : {}), ...(own ? { cert: own.cert, key: own.key } : {}) };
  const ssl = connection.ssl || own ? (Object.keys(tls).length > 0 ? tls : true) : false;
  return new Kafka({
    clientId,
    brokers: connection.brokers,
    ssl,
    ...(connection.sasl ? { sasl: saslOptions(connection.sasl) } : {}),
    connectionTimeout: 5000,
    ...(retry ? { retry } : {}),
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      if (!log) return;
      const { message, ...fields } = entry.log;
      const level = entry.level === logLevel.ERROR ? "error" : entry.level === logLevel.WARN ? "warn" : "info";
      log(level, `kafkajs ${entry.namespace}: ${message}`, fields);
    },
  });
}

function readCa(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new StreamdropError(
      "config",
      `The stream's CA certificate ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Give the stream a CA certificate that exists.`,
    );
  }
}

/**
 * kafkajs's options for a login. The OAUTHBEARER logins share one token source per login in the
 * process: kafkajs asks on every (re-)authentication of every connection, and short-lived clients
 * (a lag probe, a connection test) would otherwise fetch a token each; the source hands out the kept
 * token until it is due, and forgets one the broker refused.
 */
function saslOptions(login: KafkaLogin): SASLOptions {
  if (login.mechanism !== "oauthbearer" && login.mechanism !== "aws-msk-iam") return login;
  const source = tokenSourceOf(login);
  const extensions = login.mechanism === "oauthbearer" ? login.oidc.extensions : undefined;
  return {
    mechanism: "oauthbearer",
    oauthBearerProvider: async () => ({ value: (await source.token()).value, ...(extensions ? { extensions } : {}) }),
    onTokenRefused: () => source.forget(),
  };
}
