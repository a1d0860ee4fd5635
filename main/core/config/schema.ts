// The config file's schema, versioned. Secrets are never in it: only references to keychain
// accounts or to places the secret comes from at run time.
import { z } from "zod";
import { bytesPerMiB, exporterLimits, type WholeRange } from "../../../common/exporter-settings.js";
import { compressions, decodings, parquetCompressions } from "../../../common/record-format.js";
import { columnsVersionSchema } from "../../../common/table-columns.js";
import { recordFields, tombstonePolicies } from "../exporters/lines/line-format.js";
import { azureSinkRecord } from "../stores/azure/record.js";
import { gcsSinkRecord } from "../stores/gcs/record.js";
import { s3SinkRecord } from "../stores/s3/record.js";
import { isoTime, keychainRef, name, secretRef } from "./fields.js";

export const configVersion = 1;

/** Each store's record is its provider's (stores/<store>/record.ts). */
export const sinkRecord = z.discriminatedUnion("type", [s3SinkRecord, gcsSinkRecord, azureSinkRecord]);

export const streamRecord = z.object({
  id: z.string().uuid(),
  name,
  bootstrapServers: z.array(z.string().min(1)).min(1),
  topic: z.string().min(1),
  ssl: z.boolean(),
  caFile: z.string().optional(),
  /** How the stream logs in (streams/logins/login-store.ts): a user and password, an OIDC client, or AWS credentials for MSK IAM. */
  sasl: z
    .discriminatedUnion("mechanism", [
      z.object({
        mechanism: z.enum(["plain", "scram-sha-256", "scram-sha-512"]),
        username: z.string().min(1),
        password: secretRef,
      }),
      z.object({
        mechanism: z.literal("oauthbearer"),
        tokenEndpoint: z.string().url(),
        clientId: z.string().min(1),
        clientSecret: secretRef,
        scope: z.string().min(1).optional(),
        extensions: z.record(z.string(), z.string()).optional(),
      }),
      z.object({
        mechanism: z.literal("aws-msk-iam"),
        region: z.string().min(1),
        /** An access key in the keychain (as JSON), or the AWS default chain. */
        credentials: secretRef,
        profile: z.string().min(1).optional(),
        assumeRoleArn: z.string().min(1).optional(),
      }),
    ])
    .optional(),
  /** A client certificate for mutual TLS: the certificate beside the CA file, its key in the keychain. */
  clientCertificate: z.object({ certFile: z.string().min(1), key: keychainRef }).optional(),
  /** A Schema Registry whose wire-format keys and values exporters decode (schemas/registry-settings.ts). */
  schemaRegistry: z
    .object({
      url: z.string().url(),
      caFile: z.string().optional(),
      username: z.string().min(1).optional(),
      password: secretRef.optional(),
      /** Logs in with the stream's OIDC client (its `sasl` is oauthbearer); `logicalCluster`: Confluent's target-sr-cluster. */
      oauth: z.object({ logicalCluster: z.string().min(1).optional() }).optional(),
    })
    .optional(),
  createdAt: isoTime,
  /** When Streamdrop last created the topic again (it had been deleted): the exporters reading it restart then, in every process. */
  topicRecreatedAt: isoTime.optional(),
});

/** A whole number within one of the exporter's limits (common/exporter-settings.ts). */
const within = (range: WholeRange) => z.number().int().min(range.min).max(range.max);

export const batchExporterRecord = z
  .object({
    id: z.string().uuid(),
    name,
    streamName: name,
    sinkName: name,
    intervalSeconds: within(exporterLimits.intervalSeconds),
    pathPrefix: z.string().min(1).optional(),
    includeExistingEvents: z.boolean(),
    workers: within(exporterLimits.workers),
    /** Set in whole MiB, kept in bytes. */
    maxBatchBytes: z
      .number()
      .int()
      .multipleOf(bytesPerMiB)
      .min(exporterLimits.maxBatchMb.min * bytesPerMiB)
      .max(exporterLimits.maxBatchMb.max * bytesPerMiB),
    /** What a line holds (line-format.ts); configs from before these settings read as the defaults. */
    fields: z.array(z.enum(recordFields)).min(1).default(["value"]),
    tombstones: z.enum(tombstonePolicies).default("invalid"),
    /** How files are stored (`.jsonl`, `.jsonl.gz`, `.jsonl.zst`); configs from before it read as none. */
    compression: z.enum(compressions).default("none"),
    /**
     * Parquet files, with Parquet's codec (absent: JSON Lines, as configs from before it read).
     * `compression` is then the `-invalid` part's, which stays JSON Lines.
     */
    parquet: z
      .object({
        compression: z.enum(parquetCompressions),
        /** Each value's writer schema's columns (a file per schema in a cut), not the exporter's own versions. */
        columnsFrom: z.literal("registry").optional(),
      })
      .optional(),
    /**
     * The Parquet columns' versions, numbered from 1, oldest first, never changed once kept: a
     * pending file names its version. Kept when the format goes back to JSON Lines, for such files.
     */
    columns: z
      .array(columnsVersionSchema)
      .min(1)
      .refine((versions) => versions.every((kept, index) => kept.version === index + 1), "the columns' versions are numbered 1, 2, … in order")
      .optional(),
    /** Wire-format keys and values decoded with the stream's Schema Registry, or kept as bytes; absent: decoded when the stream names a registry. */
    decode: z.enum(decodings).optional(),
    /** Folders between the prefix and each file's name, such as `dt={date}/hour={hour}` (common/path-template.ts). */
    pathTemplate: z.string().min(1).max(200).optional(),
    paused: z.boolean(),
    createdAt: isoTime,
  })
  .refine((exporter) => !exporter.parquet || exporter.columns || exporter.parquet.columnsFrom === "registry", {
    message: "a Parquet exporter has columns",
    path: ["columns"],
  });

export const configSchema = z.object({
  version: z.literal(configVersion),
  sinks: z.array(sinkRecord),
  streams: z.array(streamRecord),
  batchExporters: z.array(batchExporterRecord),
});

export type SecretRef = z.infer<typeof secretRef>;
export type SinkRecord = z.infer<typeof sinkRecord>;
export type StreamRecord = z.infer<typeof streamRecord>;
export type RegistryRecord = NonNullable<StreamRecord["schemaRegistry"]>;
export type BatchExporterRecord = z.infer<typeof batchExporterRecord>;
export type Config = z.infer<typeof configSchema>;

export const emptyConfig = (): Config => ({ version: configVersion, sinks: [], streams: [], batchExporters: [] });
