// `create stream`, `update stream`, `list streams`, `get stream`, `delete stream`, `list topics`, `simulate random-events`.
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import type { StreamRecord } from "../../core/config/schema.js";
import { StreamdropError } from "../../core/errors.js";
import type { Core } from "../../core/index.js";
import { simulateRandomEvents } from "../../core/simulate/simulator.js";
import { kafkaProviders } from "../../../common/kafka-providers.js";
import { certificateFileView } from "../../core/streams/logins/certificate-validity.js";
import { loginText } from "../../core/streams/logins/login-store.js";
import type { KafkaConnection } from "../../core/streams/kafka-client.js";
import {
  draftConnection,
  listTopics,
  type RegistryInput,
  type StreamChanges,
  type StreamInput,
  type StreamSettingChange,
  type StreamUpdatePlan,
} from "../../core/streams/stream-service.js";
import { wholeNumber } from "../numbers.js";
import { outputOption, printJson, printTable, type OutputFormat } from "../output.js";
import {
  certificateOf,
  checkOneFromStdin,
  givesCertificate,
  saslOf,
  saslOptionsGiven,
  secretsToRead,
  withLoginOptions,
  type LoginOptions,
} from "../login-options.js";
import { readSecret } from "../secret-input.js";
import type { Verbs } from "./sinks.js";

interface CreateStreamOptions extends LoginOptions {
  bootstrapServers: string;
  topic?: string;
  ssl?: boolean;
  caFile?: string;
  createTopic?: boolean;
  partitions: string;
  schemaRegistry?: string;
  registryUsername?: string;
  registryPasswordEnv?: string;
  registryCaFile?: string;
  registryOauth?: boolean;
  registryLogicalCluster?: string;
}

interface ListTopicsOptions extends LoginOptions {
  stream?: string;
  bootstrapServers?: string;
  ssl?: boolean;
  caFile?: string;
}

/** A saved stream's connection, or one made from the options as `create stream` would, kept nowhere. */
async function topicsConnection(options: ListTopicsOptions, core: () => Core): Promise<KafkaConnection> {
  const { stream, bootstrapServers, ssl, caFile, ...login } = options;
  if (stream !== undefined) {
    const own = [bootstrapServers && "--bootstrap-servers", ssl && "--ssl", caFile && "--ca-file", login.provider && "--provider"];
    const given = [...own.filter((flag): flag is string => Boolean(flag)), ...saslOptionsGiven(login), ...(givesCertificate(login) ? ["--client-cert"] : [])];
    if (given.length > 0) throw new StreamdropError("invalid-input", `--stream uses the stream's own connection: leave out ${given.join(", ")}.`);
    return core().streams.connection(await core().streams.get(stream));
  }
  if (bootstrapServers === undefined)
    throw new StreamdropError("invalid-input", "Say which cluster: --stream <name> for a stream's, or --bootstrap-servers host:port.");
  checkOneFromStdin(secretsToRead(login));
  const sasl = await saslOf(login);
  const clientCertificate = await certificateOf(login);
  return draftConnection({
    bootstrapServers,
    ...(ssl || (login.provider && kafkaProviders[login.provider].tls) ? { ssl: true } : {}),
    ...(caFile ? { caFile, ssl: true } : {}),
    ...(sasl ? { sasl } : {}),
    ...(clientCertificate ? { clientCertificate } : {}),
  });
}

const streamView = (stream: StreamRecord) => ({
  ref: { name: stream.name },
  topic: stream.topic,
  bootstrapServers: stream.bootstrapServers.join(","),
  ssl: stream.ssl,
  ...(stream.sasl ? { sasl: saslView(stream.sasl) } : {}),
  ...(stream.clientCertificate ? { clientCertificate: certificateFileView(stream.clientCertificate.certFile) } : {}),
  ...(stream.schemaRegistry
    ? {
        schemaRegistry: {
          url: stream.schemaRegistry.url,
          ...(stream.schemaRegistry.username ? { username: stream.schemaRegistry.username } : {}),
          ...(stream.schemaRegistry.password
            ? { password: stream.schemaRegistry.password.source === "env" ? `env:${stream.schemaRegistry.password.variable}` : "keychain" }
            : {}),
          ...(stream.schemaRegistry.caFile ? { caFile: stream.schemaRegistry.caFile } : {}),
          ...(stream.schemaRegistry.oauth ? { oauth: { ...stream.schemaRegistry.oauth, client: "the stream's OAuth client" } } : {}),
        },
      }
    : {}),
});

/** A user-and-password login as before (user, where the password is); the others in words. */
function saslView(sasl: NonNullable<StreamRecord["sasl"]>) {
  if (sasl.mechanism === "oauthbearer" || sasl.mechanism === "aws-msk-iam") return { mechanism: sasl.mechanism, login: loginText(sasl) };
  return { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password.source === "env" ? `env:${sasl.password.variable}` : "keychain" };
}

export function registerStreamCommands(program: Command, verbs: Verbs, core: () => Core): void {
  withLoginOptions(
    verbs.create
      .command("stream <name>")
      .description("create a stream: a named Kafka topic on a cluster (checks that both answer)")
      .requiredOption("--bootstrap-servers <host:port,...>", "the Kafka cluster")
      .option("--topic <topic>", "the topic (default: the stream's name)")
      .option("--ssl", "connect with TLS")
      .option("--ca-file <pem>", "trust this CA for TLS"),
  )
    .option("--schema-registry <url>", "a Schema Registry (Confluent's API; Apicurio's /apis/ccompat/v7): wire-format keys and values are decoded to JSON")
    .option("--registry-username <user>", "the registry's user (or API key); its password (or secret) is read from stdin or prompted, and kept in the keychain")
    .option("--registry-password-env <variable>", "read the registry's password from this environment variable at run time instead (nothing stored)")
    .option("--registry-ca-file <pem>", "trust this CA for the registry's TLS")
    .option("--registry-oauth", "the registry logs in with the stream's OAuth client (its token endpoint, id and secret)")
    .option("--registry-logical-cluster <id>", "with --registry-oauth on Confluent Cloud: the registry's logical cluster (lsrc-…)")
    .option("--create-topic", "create the topic if it does not exist")
    .option("--partitions <n>", "partitions for --create-topic", "1")
    .addOption(outputOption("json"))
    .action(async (name: string, options: CreateStreamOptions & { output: OutputFormat }) => {
      const input: StreamInput = {
        name,
        bootstrapServers: options.bootstrapServers,
        ...(options.topic ? { topic: options.topic } : {}),
        ...(options.ssl || (options.provider && kafkaProviders[options.provider].tls) ? { ssl: true } : {}),
        ...(options.caFile ? { caFile: options.caFile, ssl: true } : {}),
        ...(options.createTopic ? { createTopic: { partitions: wholeNumber("--partitions", options.partitions) } } : {}),
      };
      checkOneFromStdin([...secretsToRead(options), ...registrySecretToRead(options)]);
      const sasl = await saslOf(options);
      if (sasl) input.sasl = sasl;
      const clientCertificate = await certificateOf(options);
      if (clientCertificate) input.clientCertificate = clientCertificate;
      const registry = await registryInput(options);
      if (registry) input.schemaRegistry = registry;
      const stream = await core().streams.create(input);
      warnCertificate(stream);
      printJson(streamView(stream));
    });

  withLoginOptions(
    verbs.update
      .command("stream <name>")
      .description("change a stream's connection (the topic stays); says first what changes and which batch exporters restart")
      .option("--bootstrap-servers <host:port,...>", "the Kafka cluster")
      .option("--ssl", "connect with TLS")
      .option("--no-ssl", "connect without TLS")
      .option("--ca-file <pem>", "trust this CA for TLS (a copy is kept in the data folder)"),
  )
    .option("--no-sasl", "connect without SASL")
    .option("--no-client-cert", "show the cluster no client certificate any more")
    .option("--schema-registry <url>", "a Schema Registry (Confluent's API) to decode wire-format keys and values with")
    .option("--no-schema-registry", "no Schema Registry any more (exporters keep wire-format values as bytes)")
    .option("--registry-username <user>", "the registry's user (or API key); its password is read from stdin or prompted, and kept in the keychain")
    .option("--registry-password-env <variable>", "read the registry's password from this environment variable at run time instead (nothing stored)")
    .option("--registry-ca-file <pem>", "trust this CA for the registry's TLS")
    .option("--registry-oauth", "the registry logs in with the stream's OAuth client (its token endpoint, id and secret)")
    .option("--registry-logical-cluster <id>", "with --registry-oauth on Confluent Cloud: the registry's logical cluster (lsrc-…)")
    .option("--dry-run", "say what would change and which exporters restart; connects to nothing and changes nothing")
    .action(async (name: string, options: UpdateStreamOptions) => {
      const changes = await streamChanges(options);
      if (Object.keys(changes).length === 0)
        throw new StreamdropError("invalid-input", "Nothing to change: give at least one setting, such as --bootstrap-servers host:port.");
      const plan = await core().streams.planUpdate(name, changes);
      for (const line of planText(plan)) process.stderr.write(`${line}\n`);
      if (options.dryRun) {
        process.stderr.write(`Dry run: stream ${name} is unchanged.\n`);
        return printJson({ dryRun: true, stream: name, changes: plan.changes, restarts: plan.restarts, paused: plan.paused });
      }
      if (plan.changes.length === 0) return printJson(streamView(plan.stream));
      const stream = await core().streams.update(name, changes);
      warnCertificate(stream);
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

  program
    .command("recreate-topic")
    .description("create a stream's topic again after it was deleted")
    .command("stream <name>")
    .description(
      "create the stream's deleted topic again (empty): its exporters then export what is produced to it (a running `run` or app restarts them at once)",
    )
    .option("--partitions <n>", "partitions of the new topic", "1")
    .action(async (name: string, options: { partitions: string }) => {
      const partitions = wholeNumber("--partitions", options.partitions, { min: 1, max: 10_000 });
      const stream = await core().streams.recreateTopic(name, partitions);
      process.stderr.write(`Created topic ${stream.topic} of stream ${name} again, with ${partitions} partition${partitions === 1 ? "" : "s"}.\n`);
      printJson({ stream: name, topic: stream.topic, partitions });
    });

  withLoginOptions(
    verbs.list
      .command("topics")
      .description("list the topics of a Kafka cluster: a stream's (--stream), or one given with the options create stream takes")
      .option("--stream <name>", "the cluster and login of this stream")
      .option("--bootstrap-servers <host:port,...>", "the Kafka cluster")
      .option("--ssl", "connect with TLS")
      .option("--ca-file <pem>", "trust this CA for TLS"),
  ).action(async (options: ListTopicsOptions) => {
    for (const topic of await listTopics(await topicsConnection(options, core))) process.stdout.write(`${topic}\n`);
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

interface UpdateStreamOptions extends Omit<CreateStreamOptions, "bootstrapServers" | "schemaRegistry" | "createTopic" | "partitions" | "topic" | "clientCert"> {
  bootstrapServers?: string;
  /** false: --no-sasl; true otherwise (commander's default for a lone --no- option). */
  sasl: boolean;
  /** false: --no-client-cert. */
  clientCert?: string | false;
  /** false: --no-schema-registry. */
  schemaRegistry?: string | false;
  dryRun?: boolean;
}

const settingNames: Record<StreamSettingChange["setting"], string> = {
  "bootstrap-servers": "Bootstrap servers",
  tls: "TLS",
  "ca-certificate": "CA certificate",
  "client-certificate": "Client certificate",
  sasl: "SASL",
  "schema-registry": "Schema Registry",
};

/** What the change does, in lines: each setting as it was and as it will be, then the exporters it restarts. */
function planText(plan: StreamUpdatePlan): string[] {
  const name = plan.stream.name;
  if (plan.changes.length === 0) return [`Nothing changes: stream ${name} already has these settings.`];
  return [
    ...plan.changes.map((change) => `${settingNames[change.setting]}: ${change.before} -> ${change.after}`),
    plan.restarts.length > 0
      ? `Batch exporters ${plan.restarts.join(", ")} restart with the new connection; events not yet in a file are read again, so nothing is lost or doubled.`
      : `No running batch exporter uses stream ${name}.`,
    ...(plan.paused.length > 0 ? [`Paused batch exporters ${plan.paused.join(", ")} use the new connection when resumed.`] : []),
  ];
}

/** The options given, as the core's changes; a password is read (stdin or prompt) only for a new SASL login or registry user. */
async function streamChanges(options: UpdateStreamOptions): Promise<StreamChanges> {
  const certificateGone = options.clientCert === false;
  const loginOptions = { ...options, ...(certificateGone ? { clientCert: undefined } : {}) } as LoginOptions;
  const saslGiven = saslOptionsGiven(loginOptions);
  if (!options.sasl && saslGiven.length > 0) throw new StreamdropError("invalid-input", `--no-sasl cannot go with ${saslGiven.join(", ")}.`);
  if (certificateGone && givesCertificate(loginOptions))
    throw new StreamdropError("invalid-input", "--no-client-cert cannot go with --client-cert, --client-key or --client-p12.");
  if (options.caFile && options.ssl === false) throw new StreamdropError("invalid-input", "--ca-file is for TLS: leave out --no-ssl.");
  const changes: StreamChanges = {
    ...(options.bootstrapServers !== undefined ? { bootstrapServers: options.bootstrapServers } : {}),
    ...(options.ssl !== undefined ? { ssl: options.ssl } : {}),
    ...(options.caFile ? { caPem: await readCaFile(options.caFile) } : {}),
  };
  checkOneFromStdin([...(options.sasl ? secretsToRead(loginOptions) : []), ...registrySecretToRead(options)]);
  // A provider named: its usual settings (TLS on), as when the stream was created.
  if (options.provider && kafkaProviders[options.provider].tls && options.ssl === undefined) changes.ssl = true;
  if (!options.sasl) changes.sasl = null;
  else {
    const sasl = await saslOf(loginOptions);
    if (sasl) changes.sasl = sasl;
  }
  if (certificateGone) changes.clientCertificate = null;
  else {
    const certificate = await certificateOf(loginOptions);
    if (certificate) changes.clientCertificate = certificate;
  }
  if (options.schemaRegistry === false) {
    if (options.registryUsername || options.registryPasswordEnv || options.registryCaFile)
      throw new StreamdropError("invalid-input", "--no-schema-registry cannot go with --registry-username, --registry-password-env or --registry-ca-file.");
    changes.schemaRegistry = null;
  } else {
    const registry = await registryInput({ ...options, schemaRegistry: options.schemaRegistry });
    if (registry) changes.schemaRegistry = registry;
  }
  return changes;
}

/** Says on stderr that the stream's client certificate expires within 30 days. */
function warnCertificate(stream: StreamRecord): void {
  if (!stream.clientCertificate) return;
  const { warning } = certificateFileView(stream.clientCertificate.certFile);
  if (warning) process.stderr.write(`Warning: ${warning}\n`);
}

/** The registry's password, when it would be read from stdin (or a prompt). */
const registrySecretToRead = (options: Pick<RegistryOptions, "registryUsername" | "registryPasswordEnv">) =>
  options.registryUsername && !options.registryPasswordEnv ? ["the registry's password"] : [];

async function readCaFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new StreamdropError("invalid-input", `Cannot read the CA file ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
}

type RegistryOptions = Pick<
  CreateStreamOptions,
  | "schemaRegistry"
  | "registryUsername"
  | "registryPasswordEnv"
  | "registryCaFile"
  | "registryOauth"
  | "registryLogicalCluster"
  | "saslMechanism"
  | "passwordEnv"
>;

/** The registry options, its password read as the SASL password is; refused when they name no registry. */
async function registryInput(options: RegistryOptions): Promise<RegistryInput | undefined> {
  if (!options.schemaRegistry) {
    if (options.registryUsername || options.registryPasswordEnv || options.registryCaFile || options.registryOauth)
      throw new StreamdropError(
        "invalid-input",
        "--registry-username, --registry-password-env, --registry-ca-file and --registry-oauth need --schema-registry <url>.",
      );
    return undefined;
  }
  if (options.registryLogicalCluster && !options.registryOauth)
    throw new StreamdropError("invalid-input", "--registry-logical-cluster goes with --registry-oauth.");
  if (options.registryOauth && options.registryUsername)
    throw new StreamdropError("invalid-input", "Give the registry --registry-username or --registry-oauth, not both.");
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
    ...(options.registryOauth ? { oauth: options.registryLogicalCluster ? { logicalCluster: options.registryLogicalCluster } : {} } : {}),
  };
}
