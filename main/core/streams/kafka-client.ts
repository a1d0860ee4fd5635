// kafkajs clients for a stream's cluster connection (TLS, SASL), able to read every Kafka codec,
// with kafkajs's own logging sent to ours instead of the console.
import { readFileSync } from "node:fs";
import { Kafka, logLevel, type LogEntry, type SASLOptions } from "kafkajs";
import { StreamdropError } from "../errors.js";
import { registerCodecs } from "./codecs.js";

export interface KafkaConnection {
  brokers: string[];
  ssl: boolean;
  caFile?: string;
  /** A CA certificate (PEM) given as text, before it is stored (testing a connection in the app). */
  ca?: string;
  sasl?: { mechanism: "plain" | "scram-sha-256" | "scram-sha-512"; username: string; password: string };
}

export type KafkaLog = (level: "error" | "warn" | "info", message: string, fields: Record<string, unknown>) => void;

/** `retry` overrides kafkajs's own (5 retries with backoff, for connecting too): 0 for a quick look that must fail fast. */
export function kafkaClient(connection: KafkaConnection, clientId: string, log?: KafkaLog, retry?: { retries: number }): Kafka {
  registerCodecs();
  const ca = connection.ca ?? (connection.caFile ? readCa(connection.caFile) : undefined);
  const ssl = connection.ssl ? (ca ? { ca: [ca] } : true) : false;
  return new Kafka({
    clientId,
    brokers: connection.brokers,
    ssl,
    ...(connection.sasl ? { sasl: connection.sasl as SASLOptions } : {}),
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
