// Global setup of the integration project: brings the local stack up through its own CLI
// (which proves `stack:up` detaches: the pipe closes while the servers run on), and stops
// afterwards exactly what it started, so a developer's running stack is left alone.
import type { TestProject } from "vitest/node";
import { repoRoot } from "../../stack/paths.js";
import { kafkaCaFile, kafkaClientCerts, stackKafka, type KafkaClientCerts } from "../../stack/kafka.js";
import { oidcIssuer, oidcTokenEndpoint } from "../../stack/oidc.js";
import { ports } from "../../stack/ports.js";
import { down, status } from "../../stack/stack.js";
import { stackComponents } from "../../stack/state.js";
import { runCaptured, type Run } from "./run.js";

declare module "vitest" {
  export interface ProvidedContext {
    kafkaBrokers: string;
    /** The same broker's SASL_PLAINTEXT listener (SCRAM-SHA-256/512, user `stackScramUser`). */
    kafkaSaslBrokers: string;
    /** The same broker's TLS listener, and the CA that signs its certificate. */
    kafkaTlsBrokers: string;
    kafkaCaFile: string;
    /** The same broker's mutual-TLS listener: it requires a client certificate the same CA signs. */
    kafkaMtlsBrokers: string;
    /** Client certificates (and keys) for it, good and bad; passphrases `stackClientKeyPassphrase`, `stackClientP12Passphrase`. */
    kafkaClientCerts: KafkaClientCerts;
    /** The same broker's SASL_SSL OAUTHBEARER listener (same CA), which validates tokens of the OpenID provider below. */
    kafkaOauthBrokers: string;
    /** The stack's OpenID provider (`stackOidcClient`; admin helpers in stack/oidc.ts). */
    oidcIssuer: string;
    oidcTokenEndpoint: string;
    s3Endpoint: string;
    /** Confluent's Schema Registry API (Apicurio's /apis/ccompat/v7). */
    schemaRegistryUrl: string;
  }
}

/** `npm run stack:<command>`, with pipes: resolving proves the servers let go of them. */
export function runStackCli(command: string, env: NodeJS.ProcessEnv = process.env, args: string[] = []): Promise<Run> {
  return runCaptured(process.execPath, ["--import", "tsx", "stack/cli.ts", command, ...args], { cwd: repoRoot, env });
}

export function parseEndpoints(stdout: string): { kafkaBrokers: string; s3Endpoint: string; schemaRegistryUrl: string } {
  const value = (name: string) => {
    const match = new RegExp(`^${name}=(.+)$`, "m").exec(stdout);
    if (!match?.[1]) throw new Error(`stack:up printed no ${name} line:\n${stdout}`);
    return match[1];
  };
  return { kafkaBrokers: value("KAFKA_BROKERS"), s3Endpoint: value("S3_ENDPOINT"), schemaRegistryUrl: value("SCHEMA_REGISTRY_URL") };
}

export default async function setup(project: TestProject) {
  const runningBefore = new Set((await status()).filter((entry) => entry.serving).map((entry) => entry.component));
  const result = await runStackCli("up");
  if (result.code !== 0) throw new Error(`stack:up failed (exit ${result.code}):\n${result.stderr}`);
  const endpoints = parseEndpoints(result.stdout);
  project.provide("kafkaBrokers", endpoints.kafkaBrokers);
  project.provide("s3Endpoint", endpoints.s3Endpoint);
  project.provide("schemaRegistryUrl", endpoints.schemaRegistryUrl);
  project.provide("kafkaSaslBrokers", `127.0.0.1:${ports.kafkaSasl}`);
  project.provide("kafkaTlsBrokers", `127.0.0.1:${ports.kafkaSsl}`);
  project.provide("kafkaCaFile", kafkaCaFile(stackKafka()));
  project.provide("kafkaMtlsBrokers", `127.0.0.1:${ports.kafkaMtls}`);
  project.provide("kafkaClientCerts", kafkaClientCerts(stackKafka()));
  project.provide("kafkaOauthBrokers", `127.0.0.1:${ports.kafkaOauth}`);
  project.provide("oidcIssuer", oidcIssuer());
  project.provide("oidcTokenEndpoint", oidcTokenEndpoint());
  return async () => {
    const ours = stackComponents.filter((component) => !runningBefore.has(component));
    await down(ours);
  };
}
