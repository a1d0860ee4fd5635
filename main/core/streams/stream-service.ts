// Streams: a named reference to one Kafka topic on one cluster connection. Creating one checks
// that the cluster answers and the topic exists; a login's secret lives in the keychain, or in an
// environment variable read at run time (servers without a keychain); a client certificate's key
// in the keychain (logins/login-store.ts).
import { randomBytes, randomUUID } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RegistryRecord, StreamRecord } from "../config/schema.js";
import type { ConfigStore } from "../config/store.js";
import { badSetting, invalidInput, StreamdropError } from "../errors.js";
import type { SecretStore } from "../keychain/secret-store.js";
import type { Logger } from "../log.js";
import { checkName } from "../names.js";
import { privateDir } from "../private-dir.js";
import type { RegistryConnection, RegistryOauth } from "../schemas/registry-client.js";
import { checkRegistryUrl, testRegistry, type RegistryInput, type SecretInput } from "../schemas/registry-settings.js";
import { kafkaClient, type KafkaConnection } from "./kafka-client.js";
import { openClientCertificate, type ClientCertificateInput } from "./logins/client-certificate.js";
import type { ClientCertificate, KafkaLogin } from "./logins/kafka-login.js";
import {
  clientCertificateOf,
  keepClientCertificate,
  keepLogin,
  loginAccounts,
  loginOf,
  loginText,
  resolveLogin,
  type ClientCertificateRecord,
  type SaslInput,
  type SaslRecord,
} from "./logins/login-store.js";
import { loginRefused, loginSummary } from "./logins/login-refused.js";
import { tlsProblem } from "./tls-problems.js";
import { takesRegistryColumns } from "../exporters/parquet/parquet-settings.js";

export type { ClientCertificateInput, SaslInput };
export type SaslMechanism = KafkaLogin["mechanism"];

export interface StreamInput {
  name: string;
  bootstrapServers: string;
  topic?: string;
  ssl?: boolean;
  caFile?: string;
  /** The CA certificate as PEM text (the app's file picker): stored in the data folder. */
  caPem?: string;
  sasl?: SaslInput;
  /** Mutual TLS: the certificate (and key) this client shows the cluster; turns TLS on. */
  clientCertificate?: ClientCertificateInput;
  /** A Schema Registry to decode wire-format keys and values with: tested before the stream is made. */
  schemaRegistry?: RegistryInput;
  createTopic?: { partitions: number };
}

export type { RegistryInput };

/** What may change of a stream: its connection. The topic stays (the exporters' offsets are the topic's). */
export interface StreamChanges {
  bootstrapServers?: string;
  ssl?: boolean;
  caPem?: string;
  /** null: no SASL any more. */
  sasl?: SaslInput | null;
  /** null: no client certificate any more. */
  clientCertificate?: ClientCertificateInput | null;
  /**
   * null: no Schema Registry any more (exporters then keep wire-format values as bytes; refused
   * while a Parquet exporter takes each event's registered schema's columns from it).
   */
  schemaRegistry?: RegistryInput | null;
}

export interface StreamServiceDeps {
  config: ConfigStore;
  secrets: SecretStore;
  log: Logger;
  /** Where CA certificates given as text are kept (`<dataDir>/ca/`). */
  dataDir?: string;
}

/** A PEM certificate, checked before it is stored or used. */
export function checkCaPem(pem: string): string {
  if (!/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(pem)) {
    throw invalidInput(
      'The CA certificate is not a PEM certificate: it must hold a "-----BEGIN CERTIFICATE-----" block. Choose the cluster\'s CA file (often ca.pem or ca.crt).',
    );
  }
  return pem;
}

export function parseBootstrapServers(raw: string): string[] {
  const servers = raw
    .split(",")
    .map((server) => server.trim())
    .filter(Boolean);
  if (servers.length === 0) throw badSetting("bootstrap-servers", "The bootstrap servers are empty: give host:port, several separated by commas.");
  for (const server of servers) {
    // kafkajs splits host:port at the first colon, so it cannot reach an IPv6 literal.
    if (server.startsWith("["))
      throw invalidInput(
        `Bootstrap server ${JSON.stringify(server)} is an IPv6 address literal, which the Kafka client Streamdrop uses cannot connect to. Use a host name that resolves to that address.`,
      );
    const match = /^([A-Za-z0-9.-]+):(\d{1,5})$/.exec(server);
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535)
      throw invalidInput(`Invalid bootstrap server ${JSON.stringify(server)}: use host:port, for example 127.0.0.1:9092.`);
  }
  return servers;
}

/** Kafka's own rule for topic names, checked before asking the cluster. */
export function checkTopicName(topic: string): string {
  if (topic.length > 249)
    throw invalidInput(`Topic name ${JSON.stringify(`${topic.slice(0, 40)}…`)} has ${topic.length} characters; Kafka allows at most 249.`);
  if (!/^[A-Za-z0-9._-]+$/.test(topic))
    throw invalidInput(`Topic name ${JSON.stringify(topic)} is not one Kafka allows: use letters, digits, ".", "_" and "-".`);
  if (topic === "." || topic === "..") throw invalidInput(`Topic name ${JSON.stringify(topic)} is not one Kafka allows.`);
  return topic;
}

/** A connection not saved anywhere: what a stream would be made with, before it is. */
export type DraftConnection = Pick<StreamInput, "bootstrapServers" | "ssl" | "caFile" | "caPem" | "sasl" | "clientCertificate">;

/**
 * The draft checked and opened as creating a stream would (TLS turned on by a CA or a client
 * certificate), its secrets held in memory only, for as long as the caller uses it.
 */
export function draftConnection(draft: DraftConnection): KafkaConnection {
  const clientCertificate = draft.clientCertificate ? openClientCertificate(draft.clientCertificate) : undefined;
  return {
    brokers: parseBootstrapServers(draft.bootstrapServers),
    ssl: draft.ssl ?? (draft.caPem !== undefined || draft.caFile !== undefined || clientCertificate !== undefined),
    ...(draft.caFile ? { caFile: draft.caFile } : {}),
    ...(draft.caPem ? { ca: checkCaPem(draft.caPem) } : {}),
    ...(draft.sasl ? { sasl: resolveLogin(draft.sasl) } : {}),
    ...(clientCertificate ? { clientCertificate } : {}),
  };
}

export class StreamService {
  constructor(private readonly deps: StreamServiceDeps) {}

  async create(input: StreamInput): Promise<StreamRecord> {
    const name = checkName("stream", input.name);
    const connection = draftConnection(input);
    const clientCertificate = connection.clientCertificate;
    const topic = checkTopicName(input.topic ?? name);
    const config = await this.deps.config.read();
    if (config.streams.some((stream) => stream.name === name)) {
      const readers = config.batchExporters.filter((exporter) => exporter.streamName === name).map((exporter) => exporter.name);
      // Deleting it is a way out only while no exporter reads it; otherwise only another name is.
      throw new StreamdropError(
        "conflict",
        `A stream named ${name} already exists${readers.length > 0 ? ` (exporter${readers.length === 1 ? "" : "s"} ${readers.join(", ")} read${readers.length === 1 ? "s" : ""} it)` : ""}.`,
        {
          fixes:
            readers.length > 0
              ? [{ id: "set", setting: "stream-name" }]
              : [
                  { id: "delete-stream", name },
                  { id: "set", setting: "stream-name" },
                ],
        },
      );
    }
    const registry = input.schemaRegistry ? registryConnection(input.schemaRegistry, connection.sasl) : undefined;
    await checkTopic(connection, topic, input.createTopic);
    if (registry) await testRegistry(registry);

    const id = randomUUID();
    let storedCa: string | undefined;
    let kept: RegistryRecord | undefined;
    let login: { record: SaslRecord; accounts: string[] } | undefined;
    let certificate: ClientCertificateRecord | undefined;
    try {
      if (input.sasl && connection.sasl) login = await keepLogin(input.sasl, connection.sasl, () => newAccount(id), this.deps.secrets);
      if (clientCertificate) certificate = await this.keepCertificate(id, clientCertificate);
      if (input.caPem) storedCa = await this.storeCa(id, input.caPem);
      if (input.schemaRegistry && registry) kept = await this.keepRegistry(id, input.schemaRegistry, registry);
      const caFile = storedCa ?? input.caFile;
      const record: StreamRecord = {
        id,
        name,
        bootstrapServers: connection.brokers,
        topic,
        ssl: connection.ssl,
        ...(caFile ? { caFile } : {}),
        ...(login ? { sasl: login.record } : {}),
        ...(certificate ? { clientCertificate: certificate } : {}),
        ...(kept ? { schemaRegistry: kept } : {}),
        createdAt: new Date().toISOString(),
      };
      await this.deps.config.update((config) => {
        if (config.streams.some((stream) => stream.name === name)) throw new StreamdropError("conflict", `A stream named ${name} already exists.`);
        config.streams.push(record);
      });
      this.deps.log.info({ stream: name, topic, brokers: record.bootstrapServers }, "stream created");
      return record;
    } catch (error) {
      await this.forgetAccounts(login?.accounts ?? []);
      if (certificate) await this.forgetCertificate(certificate);
      if (storedCa) await rm(storedCa, { force: true });
      if (kept) await this.forgetRegistry(kept);
      throw error;
    }
  }

  /** A new connection for the stream (servers, TLS, SASL), checked against its topic before it is saved. */
  async update(name: string, changes: StreamChanges): Promise<StreamRecord> {
    const stream = await this.get(name);
    await this.checkRegistryKept(stream, changes);
    // What the change keeps of the stored login must be readable: a keychain locked or a certificate
    // file moved is said as itself, not as a refusal by the cluster.
    const current = await this.connection(stream).catch((error: unknown) => {
      const keepsLogin = changes.sasl === undefined && stream.sasl !== undefined;
      const keepsCertificate = changes.clientCertificate === undefined && stream.clientCertificate !== undefined;
      if (keepsLogin || keepsCertificate) throw error;
      return undefined;
    });
    const sasl = changes.sasl === undefined ? undefined : changes.sasl;
    const opened = changes.clientCertificate ? openClientCertificate(changes.clientCertificate) : undefined;
    const clientCertificate: ClientCertificate | undefined = changes.clientCertificate === undefined ? current?.clientCertificate : (opened ?? undefined);
    const connection: KafkaConnection = {
      brokers: changes.bootstrapServers !== undefined ? parseBootstrapServers(changes.bootstrapServers) : stream.bootstrapServers,
      ssl: changes.ssl ?? (changes.caPem !== undefined || opened !== undefined || stream.ssl),
      ...(changes.caPem ? { ca: checkCaPem(changes.caPem) } : stream.caFile ? { caFile: stream.caFile } : {}),
      ...(sasl ? { sasl: resolveLogin(sasl) } : sasl === undefined && current?.sasl ? { sasl: current.sasl } : {}),
      ...(clientCertificate ? { clientCertificate } : {}),
    };
    if (!connection.ssl) {
      delete connection.caFile;
      if (opened)
        throw invalidInput("A client certificate is for a TLS connection: turn TLS on, or give no certificate.", { id: "set", setting: "client-certificate" });
      delete connection.clientCertificate;
    }
    const registry = changes.schemaRegistry ? registryConnection(changes.schemaRegistry, connection.sasl) : undefined;
    // A registry kept as it is that logs in with the stream's OIDC client needs the login to stay OAuth.
    if (changes.schemaRegistry === undefined && stream.schemaRegistry?.oauth && connection.sasl?.mechanism !== "oauthbearer") throw oauthRegistryNeedsOauth();
    await checkTopic(connection, stream.topic);
    if (registry) await testRegistry(registry);
    const { caFile: oldCaFile, sasl: oldSasl, clientCertificate: oldCertificate, schemaRegistry: oldRegistry, ...unchanged } = stream;
    let newCaFile: string | undefined;
    let newRegistry: RegistryRecord | undefined;
    let login: { record: SaslRecord; accounts: string[] } | undefined;
    let certificate: ClientCertificateRecord | undefined;
    let record: StreamRecord;
    try {
      if (sasl && connection.sasl) login = await keepLogin(sasl, connection.sasl, () => newAccount(stream.id), this.deps.secrets);
      if (opened && connection.clientCertificate) certificate = await this.keepCertificate(stream.id, opened);
      const keptCertificate = changes.clientCertificate === undefined && connection.ssl ? oldCertificate : certificate;
      if (changes.caPem) newCaFile = await this.storeCa(`${stream.id}-${randomBytes(4).toString("hex")}`, changes.caPem);
      if (changes.schemaRegistry && registry) newRegistry = await this.keepRegistry(stream.id, changes.schemaRegistry, registry);
      const caFile = newCaFile ?? connection.caFile;
      const schemaRegistry = changes.schemaRegistry === undefined ? oldRegistry : newRegistry;
      record = {
        ...unchanged,
        bootstrapServers: connection.brokers,
        ssl: connection.ssl,
        ...(connection.ssl && caFile ? { caFile } : {}),
        ...(login ? { sasl: login.record } : sasl === undefined && oldSasl ? { sasl: oldSasl } : {}),
        ...(keptCertificate ? { clientCertificate: keptCertificate } : {}),
        ...(schemaRegistry ? { schemaRegistry } : {}),
      };
      await this.deps.config.update((config) => {
        config.streams = config.streams.map((candidate) => (candidate.id === stream.id ? record : candidate));
      });
    } catch (error) {
      // Nothing half-done stays behind: the new secrets and certificates go with the failed change.
      await this.forgetAccounts(login?.accounts ?? []);
      if (certificate) await this.forgetCertificate(certificate);
      if (newCaFile) await rm(newCaFile, { force: true });
      if (newRegistry) await this.forgetRegistry(newRegistry);
      throw error;
    }
    // The old password and the app's old copy of the certificate go once the config no longer points at them.
    if (sasl !== undefined) await this.forgetAccounts(loginAccounts(oldSasl));
    if (oldCertificate && record.clientCertificate !== oldCertificate) await this.forgetCertificate(oldCertificate);
    if (oldCaFile && oldCaFile !== record.caFile && this.isOurCa(oldCaFile)) await rm(oldCaFile, { force: true });
    if (changes.schemaRegistry !== undefined && oldRegistry) await this.forgetRegistry(oldRegistry);
    this.deps.log.info(
      {
        stream: name,
        brokers: record.bootstrapServers,
        ssl: record.ssl,
        sasl: record.sasl?.mechanism ?? "none",
        clientCertificate: record.clientCertificate !== undefined,
      },
      "stream updated",
    );
    return record;
  }

  /**
   * What `update` with these changes would change, said without secrets, and which exporters
   * restart with it: checked as far as needs no cluster, registry or keychain; nothing is written.
   */
  async planUpdate(name: string, changes: StreamChanges): Promise<StreamUpdatePlan> {
    const stream = await this.get(name);
    await this.checkRegistryKept(stream, changes);
    const ssl = changes.ssl ?? (changes.caPem !== undefined || Boolean(changes.clientCertificate) || stream.ssl);
    if (changes.caPem) checkCaPem(changes.caPem);
    if (changes.sasl) resolveLogin(changes.sasl);
    if (changes.clientCertificate) openClientCertificate(changes.clientCertificate);
    if (changes.schemaRegistry) registryConnection(changes.schemaRegistry, "unchecked");
    const [before, after] = [settingsText(stream), settingsText(stream, { ...changes, ssl })];
    const changed = (Object.keys(before) as Array<keyof SettingsText>)
      .filter((setting) => before[setting] !== after[setting])
      .map((setting) => ({ setting, before: before[setting], after: after[setting] }));
    const exporters = changed.length === 0 ? [] : (await this.deps.config.read()).batchExporters.filter((exporter) => exporter.streamName === stream.name);
    return {
      stream,
      changes: changed,
      restarts: exporters.filter((exporter) => !exporter.paused).map((exporter) => exporter.name),
      paused: exporters.filter((exporter) => exporter.paused).map((exporter) => exporter.name),
    };
  }

  /** A Parquet exporter that takes each event's registered schema's columns needs the stream's registry: taking it off is refused, naming them. */
  private async checkRegistryKept(stream: StreamRecord, changes: StreamChanges): Promise<void> {
    if (changes.schemaRegistry !== null || !stream.schemaRegistry) return;
    const needing = (await this.deps.config.read()).batchExporters
      .filter((exporter) => exporter.streamName === stream.name && exporter.decode !== "none" && takesRegistryColumns(exporter))
      .map((exporter) => exporter.name);
    if (needing.length === 0) return;
    const one = needing.length === 1;
    throw invalidInput(
      `Exporter${one ? "" : "s"} ${needing.join(", ")} of stream ${stream.name} take${one ? "s" : ""} each event's registered schema's columns from its Schema Registry: give ${one ? "it" : "them"} columns of ${one ? "its" : "their"} own first, then take the registry off.`,
    );
  }

  /** The registry's password into the keychain and its CA into the data folder, as the record will name them. */
  private async keepRegistry(id: string, input: RegistryInput, connection: RegistryConnection): Promise<RegistryRecord> {
    const account = input.password?.from === "value" ? `stream/${id}/registry-${randomBytes(6).toString("hex")}` : undefined;
    const record: RegistryRecord = {
      url: connection.url,
      ...(connection.username !== undefined ? { username: connection.username } : {}),
      ...(account
        ? { password: { source: "keychain" as const, account } }
        : input.password?.from === "env"
          ? { password: { source: "env" as const, variable: input.password.variable } }
          : {}),
      ...(input.caFile ? { caFile: input.caFile } : {}),
      ...(input.oauth ? { oauth: { ...(input.oauth.logicalCluster ? { logicalCluster: input.oauth.logicalCluster } : {}) } } : {}),
    };
    if (account) await this.deps.secrets.setSecret(account, connection.password!);
    try {
      if (input.caPem) record.caFile = await this.storeCa(`${id}-registry-${randomBytes(4).toString("hex")}`, input.caPem);
    } catch (error) {
      await this.forgetRegistry(record);
      throw error;
    }
    return record;
  }

  /** What the app kept for a registry no record names any more. */
  private async forgetRegistry(registry: RegistryRecord): Promise<void> {
    if (registry.password?.source === "keychain") await this.deps.secrets.deleteSecret(registry.password.account).catch(() => undefined);
    if (registry.caFile && this.isOurCa(registry.caFile)) await rm(registry.caFile, { force: true });
  }

  /** The stream's registry with its password, from the keychain or the environment, in memory only; undefined when it names none. */
  async registry(stream: StreamRecord): Promise<RegistryConnection | undefined> {
    const registry = stream.schemaRegistry;
    if (!registry) return undefined;
    const base = { url: registry.url, ...(registry.caFile ? { caFile: registry.caFile } : {}), ...(registry.username ? { username: registry.username } : {}) };
    if (registry.oauth) {
      if (stream.sasl?.mechanism !== "oauthbearer") throw oauthRegistryNeedsOauth();
      const login = await loginOf(stream.sasl, this.deps.secrets, stream.name);
      if (login.mechanism !== "oauthbearer") throw oauthRegistryNeedsOauth();
      return { ...base, oauth: registryOauth(registry.oauth, login) };
    }
    if (!registry.password) return base;
    const ref = registry.password;
    const password = ref.source === "keychain" ? await this.deps.secrets.getSecret(ref.account) : ref.source === "env" ? process.env[ref.variable] : undefined;
    if (!password) {
      const where =
        ref.source === "env" ? `the environment variable ${ref.variable}, which is not set` : "the OS keychain, which has no entry for it (locked, or removed)";
      throw new StreamdropError(
        "credentials",
        `The Schema Registry password of stream ${stream.name} comes from ${where}. Set it, or give the stream its registry again.`,
      );
    }
    return { ...base, password };
  }

  private async storeCa(id: string, pem: string, what = "the CA certificate"): Promise<string> {
    if (!this.deps.dataDir) throw invalidInput(`Keeping ${what} needs a data folder to keep it in.`);
    const dir = join(this.deps.dataDir, "ca");
    const file = join(dir, `${id}.pem`);
    try {
      await privateDir(dir);
      await writeFile(file, checkCaPem(pem), { mode: 0o600 });
    } catch (error) {
      if (error instanceof StreamdropError) throw error;
      throw new StreamdropError(
        "config",
        `Could not keep ${what} in ${dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Check that the data folder is writable.`,
      );
    }
    return file;
  }

  /** A certificate the app keeps (given as text), not a file of the person's own (the CLI's --ca-file). */
  private isOurCa(file: string): boolean {
    return this.deps.dataDir !== undefined && file.startsWith(join(this.deps.dataDir, "ca"));
  }

  async list(): Promise<StreamRecord[]> {
    return (await this.deps.config.read()).streams;
  }

  async get(name: string): Promise<StreamRecord> {
    const stream = (await this.list()).find((candidate) => candidate.name === name);
    if (!stream) throw new StreamdropError("not-found", `There is no stream named ${JSON.stringify(name)}.`, { fixes: [{ id: "list", what: "streams" }] });
    return stream;
  }

  /**
   * Creates the stream's topic again after it was deleted (the repair of an exporter whose topic is
   * gone): its exporters then export what is produced to it. Refused while the topic exists.
   */
  async recreateTopic(name: string, partitions: number): Promise<StreamRecord> {
    const stream = await this.get(name);
    const connection = await this.connection(stream);
    await withAdmin(connection, async (admin) => {
      if ((await admin.listTopics()).includes(stream.topic))
        throw new StreamdropError(
          "conflict",
          `Topic ${stream.topic} of stream ${name} exists on ${stream.bootstrapServers.join(",")}: there is nothing to re-create.`,
        );
    });
    await checkTopic(connection, stream.topic, { partitions });
    // Noted on the stream: every engine running its exporters (the app, a `run`) restarts them now.
    const at = new Date().toISOString();
    const saved = await this.deps.config.update((config) => {
      const current = config.streams.find((candidate) => candidate.id === stream.id);
      if (current) current.topicRecreatedAt = at;
      return current ?? stream;
    });
    this.deps.log.info({ stream: name, topic: stream.topic, partitions }, "topic re-created");
    return saved;
  }

  async delete(name: string): Promise<StreamRecord> {
    const stream = await this.deps.config.update((config) => {
      const found = config.streams.find((candidate) => candidate.name === name);
      if (!found) throw new StreamdropError("not-found", `There is no stream named ${JSON.stringify(name)}.`);
      const users = config.batchExporters.filter((exporter) => exporter.streamName === name).map((exporter) => exporter.name);
      if (users.length > 0)
        throw new StreamdropError("conflict", `Cannot delete stream ${name}: batch exporters ${users.join(", ")} use it. Delete those first.`);
      config.streams = config.streams.filter((candidate) => candidate.name !== name);
      return found;
    });
    await this.forgetAccounts(loginAccounts(stream.sasl));
    if (stream.clientCertificate) await this.forgetCertificate(stream.clientCertificate);
    if (stream.caFile && this.isOurCa(stream.caFile)) await rm(stream.caFile, { force: true });
    if (stream.schemaRegistry) await this.forgetRegistry(stream.schemaRegistry);
    this.deps.log.info({ stream: name }, "stream deleted");
    return stream;
  }

  /** The connection with its secrets, from the keychain or the environment, in memory only. */
  async connection(stream: StreamRecord): Promise<KafkaConnection> {
    return {
      brokers: stream.bootstrapServers,
      ssl: stream.ssl,
      ...(stream.caFile ? { caFile: stream.caFile } : {}),
      ...(stream.sasl ? { sasl: await loginOf(stream.sasl, this.deps.secrets, stream.name) } : {}),
      ...(stream.clientCertificate
        ? { clientCertificate: await clientCertificateOf(stream.clientCertificate, this.deps.secrets, stream.name, readCertificateFile) }
        : {}),
    };
  }

  /** A client certificate kept: the certificate beside the CA files, its key in the keychain. */
  private keepCertificate(id: string, certificate: ClientCertificate): Promise<ClientCertificateRecord> {
    const tag = randomBytes(4).toString("hex");
    return keepClientCertificate(
      certificate,
      (pem) => this.storeCa(`${id}-client-${tag}`, pem, "the client certificate"),
      `stream/${id}/client-key-${tag}`,
      this.deps.secrets,
    );
  }

  private async forgetCertificate(record: ClientCertificateRecord): Promise<void> {
    await this.forgetAccounts([record.key.account]);
    if (this.isOurCa(record.certFile)) await rm(record.certFile, { force: true });
  }

  private async forgetAccounts(accounts: string[]): Promise<void> {
    for (const account of accounts) await this.deps.secrets.deleteSecret(account).catch(() => undefined);
  }

  /**
   * Starts a new consumer group at the topic's end now, committed: an exporter that skips the
   * existing events resumes from here after any restart, even one before its first file. (Left to
   * Kafka's "latest", a restart before the first commit would skip what arrived meanwhile.)
   */
  async startGroupAtEnd(stream: StreamRecord, groupId: string): Promise<void> {
    await withAdmin(await this.connection(stream), async (admin) => {
      const ends = await admin.fetchTopicOffsets(stream.topic);
      await admin.setOffsets({ groupId, topic: stream.topic, partitions: ends.map((end) => ({ partition: end.partition, offset: end.high })) });
    });
  }

  /** Partition count of the stream's topic, asked of the cluster; a topic deleted since is said so plainly. */
  async partitionCount(stream: StreamRecord): Promise<number> {
    return withAdmin(await this.connection(stream), async (admin) => {
      await requireTopic(admin, stream);
      const metadata = await admin.fetchTopicMetadata({ topics: [stream.topic] });
      return metadata.topics[0]?.partitions.length ?? 0;
    });
  }
}

const newAccount = (id: string) => `stream/${id}/${randomBytes(6).toString("hex")}`;

async function readCertificateFile(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new StreamdropError(
      "config",
      `The stream's client certificate ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Give the stream its client certificate again.`,
      { fixes: [{ id: "set", setting: "client-certificate" }] },
    );
  }
}

/**
 * The registry as given, checked and with its password resolved: what the connection test uses.
 * `login`: the stream's, whose OIDC client a registry with `oauth` logs in with ("unchecked" where
 * only the settings are checked, as a dry run does).
 */
export function registryConnection(input: RegistryInput, login: KafkaLogin | undefined | "unchecked"): RegistryConnection {
  const url = checkRegistryUrl(input.url);
  if ((input.username === undefined) !== (input.password === undefined))
    throw invalidInput("A Schema Registry's credentials are a user and a password (or an API key and its secret): give both, or neither.");
  if (input.oauth && input.username !== undefined)
    throw invalidInput("The Schema Registry logs in with a user and password, or with the stream's OAuth client: give one of them.");
  if (input.caPem) checkCaPem(input.caPem);
  if (input.oauth && login !== "unchecked" && login?.mechanism !== "oauthbearer") throw oauthRegistryNeedsOauth();
  // The bearer token is the Kafka login's too: never sent in the clear to another computer.
  if (input.oauth && new URL(url).protocol !== "https:" && !["127.0.0.1", "localhost", "[::1]"].includes(new URL(url).hostname))
    throw invalidInput("The Schema Registry is to get the stream's OAuth tokens, and its address is not https. Use the registry's https address.", {
      id: "set",
      setting: "schema-registry",
    });
  return {
    url,
    ...(input.oauth && login !== "unchecked" && login?.mechanism === "oauthbearer" ? { oauth: registryOauth(input.oauth, login) } : {}),
    ...(input.username !== undefined ? { username: input.username, password: resolvePassword(input.password!) } : {}),
    ...(input.caFile ? { caFile: input.caFile } : {}),
    ...(input.caPem ? { ca: input.caPem } : {}),
  };
}

function registryOauth(oauth: { logicalCluster?: string }, login: Extract<KafkaLogin, { mechanism: "oauthbearer" }>): RegistryOauth {
  const identityPoolId = login.oidc.extensions?.identityPoolId;
  return { client: login.oidc, ...(oauth.logicalCluster ? { logicalCluster: oauth.logicalCluster } : {}), ...(identityPoolId ? { identityPoolId } : {}) };
}

const oauthRegistryNeedsOauth = () =>
  invalidInput(
    "The Schema Registry is to log in with the stream's OAuth client, and the stream does not log in with OAuth. Give the stream an OAuth login, or the registry a user and password.",
    { id: "set", setting: "schema-registry" },
  );

function resolvePassword(password: SecretInput): string {
  if (password.from === "value") return password.value;
  const value = process.env[password.variable];
  if (!value) throw invalidInput(`The environment variable ${password.variable} is not set.`, { id: "set", setting: "password-env" });
  return value;
}

type KafkaAdmin = ReturnType<ReturnType<typeof kafkaClient>["admin"]>;

/**
 * Refuses a stream whose topic is gone (deleted since the stream was made), in one wording for
 * every call that needs the topic (inspect, create, the wizard's check and its create): Kafka's own
 * answer, "This server does not host this topic-partition", does not say the topic was deleted.
 */
export async function requireTopic(admin: KafkaAdmin, stream: Pick<StreamRecord, "name" | "topic" | "bootstrapServers">): Promise<void> {
  if ((await admin.listTopics()).includes(stream.topic)) return;
  throw new StreamdropError("not-found", `Topic ${stream.topic} of stream ${stream.name} does not exist on ${stream.bootstrapServers.join(",")}.`);
}

export async function withAdmin<T>(connection: KafkaConnection, work: (admin: KafkaAdmin) => Promise<T>): Promise<T> {
  const admin = kafkaClient(connection, "streamdrop-admin").admin({ retry: { retries: 1, initialRetryTime: 300 } });
  try {
    await admin.connect();
  } catch (error) {
    const where = connection.brokers.join(",");
    // A login that cannot get a token (a revoked client secret, AWS credentials refused) says so itself.
    const own = ownProblem(error);
    if (own) throw own;
    if ((error as Error).name === "KafkaJSSASLAuthenticationError") {
      const refused = loginRefused(where, loginSummary(connection.sasl), (error as Error).message);
      throw new StreamdropError("credentials", refused.message, { fixes: refused.fixes });
    }
    const tls = tlsProblem(error, {
      peer: `Kafka at ${where}`,
      of: "the cluster",
      caFile: connection.caFile,
      clientCertificate: connection.clientCertificate?.cert,
    });
    if (tls) throw new StreamdropError("invalid-input", tls.message, { fixes: tls.fixes });
    // A TLS 1.3 server that wants a client certificate and gets none may just close the connection.
    if (connection.ssl && !connection.clientCertificate && /Closed connection/i.test((error as Error).message))
      throw new StreamdropError(
        "invalid-input",
        `Kafka at ${where} closed the connection during the TLS login. If the cluster asks for client certificates (Aiven does by default, Amazon MSK on its TLS port), give the stream its client certificate and key; otherwise check the bootstrap servers and the login.`,
        { fixes: [{ id: "set", setting: "client-certificate" }] },
      );
    throw new StreamdropError(
      "invalid-input",
      `Cannot reach Kafka at ${where}: ${(error as Error).message}. Check the bootstrap servers, TLS and SASL settings.`,
    );
  }
  try {
    return await work(admin);
  } catch (error) {
    if (error instanceof StreamdropError) throw error;
    // Connected, then refused (authorization, a topic gone, replication the cluster cannot give): say what it said.
    throw new StreamdropError(
      "invalid-input",
      `Kafka at ${connection.brokers.join(",")} refused the request: ${(error as Error).message}. Check the topic and what this user may do on the cluster.`,
      { cause: error },
    );
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function checkTopic(connection: KafkaConnection, topic: string, create?: { partitions: number }): Promise<void> {
  await withAdmin(connection, async (admin) => {
    const topics = await admin.listTopics();
    if (topics.includes(topic)) return;
    if (!create)
      throw new StreamdropError("not-found", `Topic ${topic} does not exist on ${connection.brokers.join(",")}.`, { fixes: [{ id: "create-topic" }] });
    if (!Number.isInteger(create.partitions) || create.partitions < 1 || create.partitions > 10_000)
      throw badSetting("partitions", "The number of partitions must be a whole number from 1 to 10000.");
    await admin.createTopics({ topics: [{ topic, numPartitions: create.partitions }], waitForLeaders: true });
  });
}

/** A StreamdropError along a kafkajs error's chain (a token source's refusal, wrapped by its retries). */
function ownProblem(error: unknown): StreamdropError | undefined {
  let link = error as { cause?: unknown; originalError?: unknown } | undefined;
  for (let depth = 0; link && typeof link === "object" && depth < 10; depth += 1) {
    if (link instanceof StreamdropError) return link;
    link = (link.cause ?? link.originalError) as typeof link;
  }
  return undefined;
}

export async function listTopics(connection: KafkaConnection): Promise<string[]> {
  return withAdmin(connection, async (admin) => (await admin.listTopics()).filter((topic) => !topic.startsWith("__")).sort());
}

/** A connection setting `update` changes, as it was and as it would be (passwords named by where they live, never shown). */
export interface StreamSettingChange {
  setting: keyof SettingsText;
  before: string;
  after: string;
}

export interface StreamUpdatePlan {
  stream: StreamRecord;
  /** Empty when the changes leave every setting as it is. */
  changes: StreamSettingChange[];
  /** Exporters on the stream whose workers restart with the new connection (the engine restarts them on any change of it). */
  restarts: string[];
  /** Paused exporters on the stream: they start with the new connection when resumed. */
  paused: string[];
}

interface SettingsText {
  "bootstrap-servers": string;
  tls: string;
  "ca-certificate": string;
  "client-certificate": string;
  sasl: string;
  "schema-registry": string;
}

/** The stream's connection in words, or as `changes` (with `ssl` decided) would make it, as update() does. */
function settingsText(stream: StreamRecord, changes: StreamChanges & { ssl?: boolean } = {}): SettingsText {
  const ssl = changes.ssl ?? stream.ssl;
  const ca = changes.caPem ? "a new CA certificate (kept in the data folder)" : stream.caFile ? `the CA certificate in ${stream.caFile}` : "the system's CAs";
  const sasl = changes.sasl === undefined ? loginText(stream.sasl) : changes.sasl === null ? "none" : loginText(changes.sasl);
  const certificate =
    changes.clientCertificate === undefined
      ? stream.clientCertificate
        ? `the certificate in ${stream.clientCertificate.certFile}, its key in the keychain`
        : "none"
      : changes.clientCertificate === null
        ? "none"
        : "a new certificate (its key kept in the keychain)";
  const given = changes.schemaRegistry;
  const registry =
    given === undefined ? registryText(stream.schemaRegistry) : given === null ? "none" : registryText({ ...given, url: checkRegistryUrl(given.url) });
  return {
    "bootstrap-servers": (changes.bootstrapServers !== undefined ? parseBootstrapServers(changes.bootstrapServers) : stream.bootstrapServers).join(","),
    tls: ssl ? "on" : "off",
    "ca-certificate": ssl ? ca : "none (no TLS)",
    "client-certificate": ssl ? certificate : "none (no TLS)",
    sasl,
    "schema-registry": registry,
  };
}

type Password = SecretInput | RegistryRecord["password"];

/** Where a password comes from: one given now is new, even when it is the same as before (it is stored anew). */
const passwordText = (password: NonNullable<Password>) =>
  "from" in password
    ? password.from === "env"
      ? `password from $${password.variable}`
      : "a new password (kept in the keychain)"
    : password.source === "env"
      ? `password from $${password.variable}`
      : "password in the keychain";

function registryText(
  registry: { url: string; username?: string; password?: Password; caFile?: string; caPem?: string; oauth?: { logicalCluster?: string } } | undefined,
): string {
  if (!registry) return "none";
  return [
    registry.url,
    ...(registry.oauth ? [`the stream's OAuth client${registry.oauth.logicalCluster ? ` for ${registry.oauth.logicalCluster}` : ""}`] : []),
    ...(registry.username ? [`user ${registry.username}`] : []),
    ...(registry.password ? [passwordText(registry.password)] : []),
    ...(registry.caPem ? ["a new CA certificate"] : registry.caFile ? [`CA ${registry.caFile}`] : []),
  ].join(", ");
}
