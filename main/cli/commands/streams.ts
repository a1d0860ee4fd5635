// `create stream`, `list streams`, `get stream`, `delete stream`, `list topics`, `simulate random-events`.
import { Option, type Command } from "commander";
import type { StreamRecord } from "../../core/config/schema.js";
import { StreamdropError } from "../../core/errors.js";
import type { Core } from "../../core/index.js";
import { simulateRandomEvents } from "../../core/simulate/simulator.js";
import { listTopics, parseBootstrapServers, type RegistryInput, type SaslMechanism, type StreamInput } from "../../core/streams/stream-service.js";
import { wholeNumber } from "../numbers.js";
import { outputOption, printJson, printTable, type OutputFormat } from "../output.js";
import { readSecret } from "../secret-input.js";
import type { Verbs } from "./sinks.js";

interface CreateStreamOptions {
  bootstrapServers: string;
  topic?: string;
  ssl?: boolean;
  caFile?: string;
  saslMechanism?: SaslMechanism;
  username?: string;
  passwordEnv?: string;
  createTopic?: boolean;
  partitions: string;
  schemaRegistry?: string;
  registryUsername?: string;
  registryPasswordEnv?: string;
  registryCaFile?: string;
}

const streamView = (stream: StreamRecord) => ({
  ref: { name: stream.name },
  topic: stream.topic,
  bootstrapServers: stream.bootstrapServers.join(","),
  ssl: stream.ssl,
  ...(stream.sasl
    ? {
        sasl: {
          mechanism: stream.sasl.mechanism,
          username: stream.sasl.username,
          password: stream.sasl.password.source === "env" ? `env:${stream.sasl.password.variable}` : "keychain",
        },
      }
    : {}),
  ...(stream.schemaRegistry
    ? {
        schemaRegistry: {
          url: stream.schemaRegistry.url,
          ...(stream.schemaRegistry.username ? { username: stream.schemaRegistry.username } : {}),
          ...(stream.schemaRegistry.password
            ? { password: stream.schemaRegistry.password.source === "env" ? `env:${stream.schemaRegistry.password.variable}` : "keychain" }
            : {}),
          ...(stream.schemaRegistry.caFile ? { caFile: stream.schemaRegistry.caFile } : {}),
        },
      }
    : {}),
});

export function registerStreamCommands(program: Command, verbs: Verbs, core: () => Core): void {
  verbs.create
    .command("stream <name>")
    .description("create a stream: a named Kafka topic on a cluster (checks that both answer)")
    .requiredOption("--bootstrap-servers <host:port,...>", "the Kafka cluster")
    .option("--topic <topic>", "the topic (default: the stream's name)")
    .option("--ssl", "connect with TLS")
    .option("--ca-file <pem>", "trust this CA for TLS")
    .addOption(new Option("--sasl-mechanism <mechanism>", "SASL authentication").choices(["plain", "scram-sha-256", "scram-sha-512"]))
    .option("--username <user>", "SASL user name; the password is read from stdin or prompted, and kept in the keychain")
    .option("--password-env <variable>", "read the SASL password from this environment variable at run time instead (nothing stored)")
    .option("--schema-registry <url>", "a Schema Registry (Confluent's API; Apicurio's /apis/ccompat/v7): wire-format keys and values are decoded to JSON")
    .option("--registry-username <user>", "the registry's user (or API key); its password (or secret) is read from stdin or prompted, and kept in the keychain")
    .option("--registry-password-env <variable>", "read the registry's password from this environment variable at run time instead (nothing stored)")
    .option("--registry-ca-file <pem>", "trust this CA for the registry's TLS")
    .option("--create-topic", "create the topic if it does not exist")
    .option("--partitions <n>", "partitions for --create-topic", "1")
    .addOption(outputOption("json"))
    .action(async (name: string, options: CreateStreamOptions & { output: OutputFormat }) => {
      const input: StreamInput = {
        name,
        bootstrapServers: options.bootstrapServers,
        ...(options.topic ? { topic: options.topic } : {}),
        ...(options.ssl ? { ssl: true } : {}),
        ...(options.caFile ? { caFile: options.caFile, ssl: true } : {}),
        ...(options.createTopic ? { createTopic: { partitions: wholeNumber("--partitions", options.partitions) } } : {}),
      };
      if (options.saslMechanism) {
        if (!options.username) throw new StreamdropError("invalid-input", "--sasl-mechanism needs --username.");
        const password = options.passwordEnv
          ? { from: "env" as const, variable: options.passwordEnv }
          : { from: "value" as const, value: await readSecret(`SASL password for ${options.username}: `) };
        input.sasl = { mechanism: options.saslMechanism, username: options.username, password };
      }
      const registry = await registryInput(options);
      if (registry) input.schemaRegistry = registry;
      const stream = await core().streams.create(input);
      printJson(streamView(stream));
    });

  verbs.list
    .command("streams")
    .description("list streams")
    .addOption(outputOption("table"))
    .action(async (options: { output: OutputFormat }) => {
      const streams = await core().streams.list();
      if (options.output === "json") return printJson({ streams: streams.map(streamView) });
      printTable(
        ["NAME", "TOPIC", "BOOTSTRAP SERVERS", "TLS", "SASL"],
        streams.map((stream) => [stream.name, stream.topic, stream.bootstrapServers.join(","), stream.ssl ? "yes" : "no", stream.sasl?.mechanism]),
      );
    });

  verbs.get
    .command("stream <name>")
    .description("show one stream (never its password)")
    .action(async (name: string) => printJson(streamView(await core().streams.get(name))));

  verbs.delete
    .command("stream <name>")
    .description("delete a stream; refused while batch exporters use it")
    .action(async (name: string) => {
      await core().streams.delete(name);
      process.stderr.write(`Deleted stream ${name}.\n`);
    });

  verbs.list
    .command("topics")
    .description("list the topics of a Kafka cluster")
    .requiredOption("--bootstrap-servers <host:port,...>", "the Kafka cluster")
    .option("--ssl", "connect with TLS")
    .action(async (options: { bootstrapServers: string; ssl?: boolean }) => {
      for (const topic of await listTopics({ brokers: parseBootstrapServers(options.bootstrapServers), ssl: options.ssl ?? false }))
        process.stdout.write(`${topic}\n`);
    });

  program
    .command("simulate")
    .description("produce events for trying things out")
    .command("random-events <stream>")
    .description("produce random clickstream events to a stream")
    .option("--rate <n>", "events per second", "100")
    .option("--count <n>", "stop after this many events")
    .option("--sessions <n>", "number of simulated sessions", "1000")
    .action(async (name: string, options: { rate: string; count?: string; sessions: string }) => {
      const rate = positive("--rate", options.rate);
      const count = options.count === undefined ? undefined : positive("--count", options.count);
      const stream = await core().streams.get(name);
      const stop = new AbortController();
      process.once("SIGINT", () => stop.abort());
      process.once("SIGTERM", () => stop.abort());
      let reported = 0;
      const sent = await simulateRandomEvents(await core().streams.connection(stream), {
        topic: stream.topic,
        rate,
        sessions: positive("--sessions", options.sessions),
        signal: stop.signal,
        ...(count !== undefined ? { count } : {}),
        onProgress: (total) => {
          if (total - reported >= rate * 5) {
            reported = total;
            process.stderr.write(`Sent ${total} events to ${stream.topic}.\n`);
          }
        },
      });
      process.stderr.write(`Sent ${sent} events to ${stream.topic}.\n`);
    });
}

const positive = (flag: string, raw: string) => wholeNumber(flag, raw, { min: 1 });

/** The registry options, its password read as the SASL password is; refused when they name no registry. */
async function registryInput(options: CreateStreamOptions): Promise<RegistryInput | undefined> {
  if (!options.schemaRegistry) {
    if (options.registryUsername || options.registryPasswordEnv || options.registryCaFile)
      throw new StreamdropError("invalid-input", "--registry-username, --registry-password-env and --registry-ca-file need --schema-registry <url>.");
    return undefined;
  }
  // Piped stdin holds one secret: the SASL password's, when both would be read from it.
  if (options.registryUsername && !options.registryPasswordEnv && options.saslMechanism && !options.passwordEnv && !process.stdin.isTTY)
    throw new StreamdropError(
      "invalid-input",
      "Both the SASL password and the registry's would be read from stdin, which holds one. Give one of them with --password-env or --registry-password-env.",
    );
  if (options.registryPasswordEnv && !options.registryUsername)
    throw new StreamdropError("invalid-input", "--registry-password-env needs --registry-username (the user or API key it is the password of).");
  const password = options.registryUsername
    ? options.registryPasswordEnv
      ? { from: "env" as const, variable: options.registryPasswordEnv }
      : { from: "value" as const, value: await readSecret(`Schema Registry password for ${options.registryUsername}: `) }
    : undefined;
  return {
    url: options.schemaRegistry,
    ...(options.registryUsername ? { username: options.registryUsername } : {}),
    ...(password ? { password } : {}),
    ...(options.registryCaFile ? { caFile: options.registryCaFile } : {}),
  };
}
