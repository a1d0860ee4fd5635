// The IPC contract: every call the renderer may make, its input schema (checked in main before
// any handler runs) and its result type, plus the events main pushes. Main, preload, renderer and
// the test bridge all build on this one module. It imports only common/ and zod (a lint rule in
// eslint.config.js holds it), so the renderer type-checks against it without seeing any Node code. Secrets may travel in (a pasted key, admin
// credentials for setup) but never back: no result type has a field that could hold one.
import { z } from "zod";
import type { ChangeEffect } from "../common/change-effects";
import { exporterLimits, type WholeRange } from "../common/exporter-settings";
import type { ExporterState, ExporterStatus } from "../common/exporter-status";
import type { Fix } from "../common/fixes";
import {
  compressions,
  fileFormats,
  fileKinds,
  decodings,
  parquetCompressions,
  recordFields,
  tombstonePolicies,
  type Compression,
  type Decoding,
  type FileFormatName,
  type LineFormatWarning,
  type ParquetCompression,
  type RecordField,
  type TombstonePolicy,
} from "../common/record-format";
import type { ExportLogEntry, FilePreview } from "../common/stored-files";
import { storeTypes, type CredentialsSummary, type SinkPlacement, type StoreType } from "../common/stores";
import type { ColumnsChoice, ColumnsVersion } from "../common/table-columns";
import { tableEngines, type TableDefinition } from "../common/table-engines";
import type { TopicCheck, ValueKind } from "../common/topic-check";

// The core's result types, defined in common/ where the core takes them from too, named as the
// window knows them: restating them here would let the two drift apart.
export type { CredentialsSummary, FilePreview, ValueKind };
export type TopicCheckInfo = TopicCheck;
export type ExportedFile = ExportLogEntry;
export type ChangeEffectInfo = ChangeEffect;
export type LineFormatWarningInfo = LineFormatWarning;
export type TableDefinitionInfo = TableDefinition;

const name = z.string().min(1).max(100);
const optionalText = z.string().min(1).optional();

export { recordFields, tombstonePolicies, type RecordField, type TombstonePolicy };
export type { Fix };
const credentialsText = {
  credentialsJson: z
    .string()
    .min(1)
    .max(1024 * 1024),
  credentialsLabel: z.string().min(1).max(200),
};
const adminCredentials = z.discriminatedUnion("from", [
  z.object({ from: z.literal("chain"), profile: optionalText }).strict(),
  z.object({ from: z.literal("key"), accessKeyId: z.string().min(1), secretAccessKey: z.string().min(1) }).strict(),
]);
/** A secret typed or pasted now: it goes to the keychain (or only into memory, for a test), never back. */
const secret = z
  .string()
  .min(1)
  .max(16 * 1024);
/**
 * How a stream logs in, one shape per mechanism (the core's SaslInput, main/core/streams/logins/login-store.ts),
 * with its secrets as the text given: the handler hands them on as values.
 */
const sasl = z.discriminatedUnion("mechanism", [
  z.object({ mechanism: z.enum(["plain", "scram-sha-256", "scram-sha-512"]), username: z.string().min(1).max(1000), password: secret }).strict(),
  z
    .object({
      mechanism: z.literal("oauthbearer"),
      tokenEndpoint: z.string().min(1).max(2000),
      clientId: z.string().min(1).max(1000),
      clientSecret: secret,
      scope: z.string().min(1).max(1000).optional(),
      /** SASL extensions, such as Confluent Cloud's logicalCluster and identityPoolId. */
      extensions: z
        .record(z.string().min(1).max(100), z.string().min(1).max(1000))
        .refine((extensions) => Object.keys(extensions).length <= 20, "At most 20 SASL extensions.")
        .optional(),
    })
    .strict(),
  z
    .object({
      mechanism: z.literal("aws-msk-iam"),
      region: z.string().min(1).max(50),
      /** None: the AWS default credential chain (or its `profile`). */
      accessKey: z
        .object({ accessKeyId: z.string().min(1).max(128), secretAccessKey: secret })
        .strict()
        .optional(),
      profile: z.string().min(1).max(200).optional(),
      assumeRoleArn: z.string().min(1).max(2048).optional(),
    })
    .strict(),
]);
/** A CA certificate as PEM text, read from the file the person chose. */
const caPem = z
  .string()
  .min(1)
  .max(256 * 1024);
/**
 * A client certificate for mutual TLS: the certificate and its key as PEM text, or one PKCS#12 file
 * (binary, so as base64). The key goes to the keychain (or only into memory, for a test), never back;
 * a password only opens the key or file, and is not kept. The secret fields are named as
 * main/ipc/dispatch.ts's `secretInputFields` know them (`privateKey`, `password`).
 */
const clientCertificate = z.discriminatedUnion("format", [
  /** `password`: the key's, when it is encrypted. */
  z.object({ format: z.literal("pem"), cert: caPem, privateKey: caPem, password: z.string().min(1).max(1024).optional() }).strict(),
  z
    .object({
      format: z.literal("pkcs12"),
      p12Base64: z
        .string()
        .min(1)
        .max(1024 * 1024)
        .regex(/^[A-Za-z0-9+/]+={0,2}$/),
      /** The file's password; "" for a file exported without one. */
      password: z.string().max(1024),
    })
    .strict(),
]);
const lineSettings = { fields: z.array(z.enum(recordFields)).min(1).max(recordFields.length).optional(), tombstones: z.enum(tombstonePolicies).optional() };
/** JSON Lines (the default) or Parquet: what an exporter's files are. */
const format = z.enum(fileFormats).optional();
/**
 * How its files are compressed: JSON Lines whole (none, gzip, zstd), Parquet per column (zstd,
 * snappy, gzip, none); the core refuses one that does not go with the format, in words.
 */
const compression = z.union([z.enum(compressions), z.enum(parquetCompressions)]).optional();
/** A Parquet exporter's columns as text (`id int64, at timestamp(micros)`, common/table-columns.ts), or `registry` for each event's registered schema's; the core parses them. */
const columns = z
  .string()
  .min(1)
  .max(64 * 1024)
  .optional();
/** Keys and values in a Schema Registry's wire format: decoded (the default where the stream has a registry) or kept as bytes. */
const decode = z.enum(decodings).optional();
/**
 * A stream's Schema Registry as the person gives it; the password goes to the keychain. `oauth`: it
 * logs in with the stream's own OAuth client (the stream's login must be OAuth), `logicalCluster`
 * being Confluent Cloud's registry id (lsrc-…); never with a user and password as well.
 */
const registryFields = {
  url: z.string().min(1).max(2000),
  username: z.string().min(1).max(500).optional(),
  password: z.string().min(1).max(4096).optional(),
  caPem: caPem.optional(),
  oauth: z
    .object({ logicalCluster: z.string().min(1).max(200).optional() })
    .strict()
    .optional(),
};
const oneRegistryLogin = (registry: { oauth?: object; username?: string; password?: string }) =>
  !registry.oauth || (registry.username === undefined && registry.password === undefined);
const oneRegistryLoginMessage = "The Schema Registry logs in with a user and password, or with the stream's OAuth client: not both.";
const schemaRegistry = z.object(registryFields).strict().refine(oneRegistryLogin, oneRegistryLoginMessage);
/** How a sink's exporters will store files (both while one switches): setup policies and documents follow it. */
const compressionsField = z.array(z.enum(fileKinds)).min(1).max(fileKinds.length).optional();
/** Folders by time (common/path-template.ts checks it in the core); "" in changes removes them. */
const pathTemplate = z.string().max(400).optional();
/** A whole number within one of the exporter's limits (common/exporter-settings.ts), as the core checks it. */
const within = (range: WholeRange) => z.number().int().min(range.min).max(range.max);
const intervalSeconds = within(exporterLimits.intervalSeconds).optional();
const workers = within(exporterLimits.workers).optional();
const maxBatchMb = within(exporterLimits.maxBatchMb).optional();
const exporterChanges = z
  .object({
    intervalSeconds,
    /** "" goes back to the sink's prefix. */
    pathPrefix: z.string().max(1000).optional(),
    workers,
    maxBatchMb,
    format,
    compression,
    /** A new version when they differ from the latest. */
    columns,
    pathTemplate,
    decode,
    ...lineSettings,
  })
  .strict();

export const inputSchemas = {
  "app:info": z.object({}).strict(),

  "sinks:list": z.object({}).strict(),
  "sinks:create": z
    .object({
      name,
      bucket: z.string().min(1).max(222),
      /** Overrides the type the credentials imply. */
      sinkType: z.enum(storeTypes).optional(),
      /** The credentials file's content, pasted or dropped; `credentialsLabel` names it in messages. */
      credentialsJson: z
        .string()
        .min(1)
        .max(1024 * 1024),
      credentialsLabel: z.string().min(1).max(200),
      endpoint: optionalText,
      region: optionalText,
      assumeRoleArn: optionalText,
      pathPrefix: z.string().max(1000).optional(),
    })
    .strict(),
  "sinks:delete": z.object({ name, recursive: z.boolean() }).strict(),
  /** New credentials for an existing sink (file, paste or the console's CSV), validated before they replace the old. */
  "sinks:replaceCredentials": z.object({ name, ...credentialsText }).strict(),
  /** Writes a new validation file with the sink's current credentials. */
  "sinks:validate": z.object({ name }).strict(),
  /** A new key for the IAM user the app's setup created for the sink; the old key is deleted. */
  "sinks:rotateKey": z.object({ name, admin: adminCredentials }).strict(),
  /**
   * What the policy of that IAM user must become to allow every exporter on the sink (and
   * `compressions` besides: one an exporter is about to switch to), beside the one it has, which
   * the admin credentials read. Changes nothing.
   */
  "sinks:policyChange": z.object({ name, admin: adminCredentials, compressions: compressionsField }).strict(),
  /** Puts that policy on the user, then proves it with writes of the sink's own key. */
  "sinks:updatePolicy": z
    .object({
      name,
      admin: adminCredentials,
      compressions: compressionsField,
      /** The proposed policy the person saw (policyChange's `proposed`): nothing else is put. */
      expected: z.string().max(20_000).optional(),
    })
    .strict(),
  /** What kind of credentials a pasted or dropped file holds, checked by the same rules as create. */
  "sinks:inspectCredentials": z
    .object({
      credentialsJson: z
        .string()
        .min(1)
        .max(1024 * 1024),
      credentialsLabel: z.string().min(1).max(200),
    })
    .strict(),

  "streams:list": z.object({}).strict(),
  "streams:create": z
    .object({
      name,
      bootstrapServers: z.string().min(1),
      topic: optionalText,
      ssl: z.boolean().optional(),
      caPem: caPem.optional(),
      createTopic: z
        .object({ partitions: z.number().int().min(1).max(10_000) })
        .strict()
        .optional(),
      sasl: sasl.optional(),
      clientCertificate: clientCertificate.optional(),
      schemaRegistry: schemaRegistry.optional(),
    })
    .strict(),
  /**
   * A new connection for a stream; its topic stays. `sasl: null` turns SASL off, `clientCertificate: null`
   * removes the client certificate, `schemaRegistry: null` the registry.
   */
  "streams:update": z
    .object({
      name,
      bootstrapServers: z.string().min(1).optional(),
      ssl: z.boolean().optional(),
      caPem: caPem.optional(),
      sasl: sasl.nullable().optional(),
      clientCertificate: clientCertificate.nullable().optional(),
      schemaRegistry: schemaRegistry.nullable().optional(),
    })
    .strict(),
  /**
   * Tests a Schema Registry: how many subjects it has. `sasl`: the stream's login as drafted (as
   * streams:create takes it), for a registry that logs in with the stream's OAuth client.
   */
  "streams:testRegistry": z
    .object({ ...registryFields, sasl: sasl.optional() })
    .strict()
    .refine(oneRegistryLogin, oneRegistryLoginMessage),
  "streams:delete": z.object({ name }).strict(),
  /** Creates a deleted topic again, with this many partitions: the exporters reading it go on with what is produced to it. */
  "streams:recreateTopic": z.object({ name, partitions: z.number().int().min(1).max(10_000) }).strict(),
  /** Tests a connection: the topics it sees. */
  "streams:topics": z
    .object({
      bootstrapServers: z.string().min(1),
      ssl: z.boolean().optional(),
      caPem: caPem.optional(),
      sasl: sasl.optional(),
      clientCertificate: clientCertificate.optional(),
    })
    .strict(),
  "streams:simulate": z.object({ stream: name, rate: z.number().int().min(1).max(100_000), count: z.number().int().min(1).max(10_000_000) }).strict(),
  /** The topic check: a sample of the stream's latest records, and what an exporter with these settings would write. */
  "streams:inspect": z
    .object({
      name,
      sample: within(exporterLimits.sample).optional(),
      sinkName: name.optional(),
      pathPrefix: z.string().max(1000).optional(),
      intervalSeconds,
      pathTemplate,
      format,
      compression,
      decode,
      ...lineSettings,
    })
    .strict(),
  /**
   * Columns for a Parquet exporter on the stream, proposed from a sample of its latest events
   * (committing nothing), decoded with its registry unless `decode` is none: a person reviews them.
   */
  // fromEvents: columns proposed from the decoded events even where their registered schemas could give them.
  "streams:proposeColumns": z.object({ name, sample: within(exporterLimits.sample).optional(), decode, fromEvents: z.boolean().optional() }).strict(),

  "exporters:list": z.object({}).strict(),
  "exporters:create": z
    .object({
      streamName: name,
      sinkName: name,
      name: name.optional(),
      intervalSeconds,
      pathPrefix: z.string().max(1000).optional(),
      includeExistingEvents: z.boolean().optional(),
      maxBatchMb,
      workers,
      format,
      compression,
      /** Absent for a Parquet exporter: proposed from the topic's latest events. */
      columns,
      pathTemplate,
      decode,
      ...lineSettings,
    })
    .strict(),
  "exporters:delete": z.object({ names: z.array(name).min(1) }).strict(),
  /** What saving these changes would do (file names, line format, policy), before it is saved. */
  "exporters:planUpdate": z.object({ name, changes: exporterChanges }).strict(),
  "exporters:update": z.object({ name, changes: exporterChanges }).strict(),
  /** The exporter's newest log entries (the app log holds no secrets). */
  "exporters:logs": z.object({ name, limit: z.number().int().min(1).max(1000).optional() }).strict(),
  /** The SQL that makes the exporter's files a table in a query engine ("Query your data"). */
  "exporters:table": z.object({ name, engine: z.enum(tableEngines) }).strict(),
  "exporters:pause": z.object({ name }).strict(),
  "exporters:resume": z.object({ name }).strict(),
  "exporters:status": z.object({}).strict(),
  "exporters:files": z.object({ name }).strict(),
  /**
   * The first lines of a stored file: with the sink's key when it can read, or admin credentials
   * lent once per session (kept in main's memory; in the keychain with `remember`), never returned.
   */
  "files:preview": z
    .object({
      exporter: name,
      key: z.string().min(1).max(1024),
      admin: z
        .union([
          z.object({ accessKeyId: z.string().min(1), secretAccessKey: z.string().min(1) }).strict(),
          z.object({ connectionString: z.string().min(1).max(4096) }).strict(),
        ])
        .optional(),
      /** Keep the lent credentials in the OS keychain too, not only for this session. */
      remember: z.boolean().optional(),
    })
    .strict(),

  "aws:policy": z.object({ bucket: z.string().min(1).max(63), pathPrefix: z.string().max(1000).optional(), compressions: compressionsField }).strict(),
  "gcloud:setupDoc": z
    .object({
      bucket: z.string().min(1).max(222),
      pathPrefix: z.string().max(1000).optional(),
      projectId: optionalText,
      serviceAccountName: optionalText,
      compressions: compressionsField,
    })
    .strict(),
  "azure:setupDoc": z
    .object({
      bucket: z.string().min(1).max(63),
      pathPrefix: z.string().max(1000).optional(),
      accountName: optionalText,
      resourceGroup: optionalText,
      compressions: compressionsField,
    })
    .strict(),
  "aws:setupDoc": z
    .object({
      bucket: z.string().min(1).max(63),
      pathPrefix: z.string().max(1000).optional(),
      region: optionalText,
      userName: optionalText,
      compressions: compressionsField,
    })
    .strict(),
  "aws:setupS3": z
    .object({
      bucket: z.string().min(1).max(63),
      pathPrefix: z.string().max(1000).optional(),
      region: optionalText,
      createBucket: z.boolean(),
      userName: optionalText,
      sinkName: name.optional(),
      endpoint: optionalText,
      rotateKey: z.boolean().optional(),
      compressions: compressionsField,
      /** Used for this setup only, never stored. */
      admin: adminCredentials,
    })
    .strict(),

  "settings:get": z.object({}).strict(),
  "settings:set": z
    .object({ openAtLogin: z.boolean().optional(), theme: z.enum(["system", "light", "dark"]).optional(), notifications: z.boolean().optional() })
    .strict(),
  "shell:openBucketConsole": z.object({ sinkName: name, prefix: z.string().max(1000).optional() }).strict(),
} as const;

export interface AppInfo {
  name: string;
  version: string;
  /** Where sinks, streams and exporters are kept (shared by the app and the CLI). */
  dataDir: string;
}

export interface SinkInfo extends SinkPlacement {
  name: string;
  /** S3, or GCLOUD for Google Cloud Storage (common/stores.ts). */
  type: StoreType;
  bucket: string;
  /** Whether its cloud has a console page for it ("Open in console"); an emulator's has none. */
  hasConsole: boolean;
  /** The IAM user the app's setup created for the sink: its key can be rotated from the app. */
  iamUser?: string;
  exporters: string[];
  lastValidationFile?: string;
}

export interface StreamInfo {
  name: string;
  topic: string;
  bootstrapServers: string[];
  ssl: boolean;
  /** TLS checks the brokers against a CA certificate of the person's (else the system's). */
  customCa: boolean;
  /** How it logs in, never the secret: `username` for the user-and-password mechanisms, `who` in words for any. */
  sasl?: { mechanism: "plain" | "scram-sha-256" | "scram-sha-512" | "oauthbearer" | "aws-msk-iam"; username?: string; who: string };
  /** Its client certificate for mutual TLS: whose, until when, and a warning within 30 days of expiry. */
  clientCertificate?: { subject?: string; expiresAt?: string; warning?: string; problem?: string };
  /** Its Schema Registry, if it names one (the password stays in the keychain). */
  schemaRegistry?: {
    url: string;
    username?: string;
    customCa: boolean;
    /** It logs in with the stream's OAuth client; `logicalCluster`: Confluent Cloud's registry id, if given. */
    oauth?: { logicalCluster?: string };
  };
  exporters: string[];
}

export interface ExporterInfo {
  id: string;
  name: string;
  streamName: string;
  sinkName: string;
  intervalSeconds: number;
  pathPrefix?: string;
  includeExistingEvents: boolean;
  workers: number;
  maxBatchMb: number;
  fields: RecordField[];
  tombstones: TombstonePolicy;
  /** What its new files are. */
  format: FileFormatName;
  /** How JSON Lines files are compressed: its files', or a Parquet exporter's -invalid files'. */
  compression: Compression;
  /** A Parquet exporter's own codec, inside its files. */
  parquetCompression?: ParquetCompression;
  /**
   * The latest version of its Parquet columns (files keep the version they were written with);
   * kept when it goes back to JSON Lines, for a switch back.
   */
  columns?: ColumnsVersion;
  /** A Parquet exporter whose files take each event's registered schema's columns (a file per schema), not `columns`. */
  columnsFromRegistry?: boolean;
  pathTemplate?: string;
  /** Whether its new files decode wire-format keys and values (the core decides: its stream's registry and its setting). */
  decode: Decoding;
  paused: boolean;
}

export type { ExporterState };
/** An exporter's status, as the engine decides it (common/exporter-status.ts); the window only prints it. */
export type ExporterStatusInfo = ExporterStatus;

export interface LogEntryInfo {
  time: string;
  level: "error" | "warn" | "info";
  message: string;
  /** Other fields of the entry, as text (never a secret: the log redacts them). */
  details?: string;
}

export interface SettingsInfo {
  openAtLogin: boolean;
  theme: "system" | "light" | "dark";
  notifications: boolean;
}

export interface SetupResult {
  sink: SinkInfo;
  bucketState: "created" | "existing";
  iamUser: string;
  accessKeyId: string;
  validationFile: string;
  steps: string[];
}

/** The policy of the IAM user the app made for a sink: as it is, as it must become, and the difference. */
export interface PolicyChangeInfo {
  iamUser: string;
  policyName: string;
  /** The user's policy now, as JSON text; absent when it has none of that name. */
  current?: string;
  proposed: string;
  /** One line per permission, such as "Allow s3:PutObject on arn:aws:s3:::bucket/events/*.jsonl.gz". */
  added: string[];
  removed: string[];
}

/** Result types by channel; `Channel` below keeps this in step with `inputSchemas`. */
export interface Results {
  "app:info": AppInfo;
  "sinks:list": SinkInfo[];
  "sinks:create": { sink: SinkInfo; created: boolean; validationFile: string; warnings: string[] };
  "sinks:delete": { deletedExporters: string[]; iamUser?: string };
  "sinks:replaceCredentials": { sink: SinkInfo; validationFile: string; warnings: string[] };
  "sinks:validate": { validationFile: string };
  "sinks:rotateKey": SetupResult;
  "sinks:policyChange": PolicyChangeInfo;
  /** `updated`: false when the policy was already the one needed; `validationFiles`: what the sink's key wrote under the new one. */
  "sinks:updatePolicy": PolicyChangeInfo & { updated: boolean; validationFiles: string[] };
  "sinks:inspectCredentials": CredentialsSummary;
  "streams:list": StreamInfo[];
  "streams:create": StreamInfo;
  "streams:update": StreamInfo;
  "streams:delete": { name: string };
  "streams:recreateTopic": { name: string; topic: string };
  "streams:topics": string[];
  "streams:simulate": { sent: number };
  "streams:inspect": TopicCheckInfo;
  /** The columns proposed from the topic's latest events, or each event's registered schema's when its values are decoded. */
  "streams:proposeColumns": ColumnsChoice;
  "streams:testRegistry": { subjects: number };
  "exporters:list": ExporterInfo[];
  /** With what to know about its settings (lines without values), said before the person leaves the wizard. */
  "exporters:create": ExporterInfo & { warnings: LineFormatWarningInfo[] };
  "exporters:delete": { deleted: string[] };
  "exporters:planUpdate": { effects: ChangeEffectInfo[] };
  "exporters:update": ExporterInfo;
  "exporters:logs": LogEntryInfo[];
  "exporters:table": TableDefinitionInfo;
  "exporters:pause": ExporterInfo;
  "exporters:resume": ExporterInfo;
  "exporters:status": ExporterStatusInfo[];
  "exporters:files": ExportedFile[];
  "files:preview": FilePreview;
  "aws:policy": { document: string };
  "gcloud:setupDoc": { markdown: string };
  "azure:setupDoc": { markdown: string };
  "aws:setupDoc": { markdown: string };
  "aws:setupS3": SetupResult;
  "settings:get": SettingsInfo;
  "settings:set": SettingsInfo;
  "shell:openBucketConsole": { url: string };
}

export type Channel = keyof typeof inputSchemas & keyof Results;
export type Input<C extends Channel> = z.input<(typeof inputSchemas)[C]>;
export type Result<C extends Channel> = Results[C];

/** Events main pushes to the renderer. */
export interface PushEvents {
  "exporter:status": ExporterStatusInfo;
  "exporter:file": ExportedFile;
}
export type PushEvent = keyof PushEvents;
export const pushEvents: PushEvent[] = ["exporter:status", "exporter:file"];

/** What failed calls carry across IPC: enough for the UI to explain, never a stack or a secret. */
export interface ApiFailure {
  code: "invalid-input" | "untrusted-sender" | "unknown-channel" | "not-found" | "conflict" | "config" | "keychain" | "credentials" | "storage" | "failed";
  /** What is wrong, in words any front end may show (never an option of the CLI). */
  message: string;
  /** What to do about it; the window renders each as a button or a field to change. */
  fixes?: Fix[];
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ApiFailure };

/** The object preload puts on `window.streamdrop`. */
export interface StreamdropApi {
  invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Outcome<Result<C>>>;
  /** Subscribes to a push event; returns the unsubscribe function. */
  on<E extends PushEvent>(event: E, listener: (payload: PushEvents[E]) => void): () => void;
}

export const channels = Object.keys(inputSchemas) as Channel[];

export function isChannel(value: unknown): value is Channel {
  return typeof value === "string" && Object.hasOwn(inputSchemas, value);
}
