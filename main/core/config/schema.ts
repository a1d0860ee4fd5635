// The config file's schema, versioned. Secrets are never in it: only references to keychain
// accounts or to places the secret comes from at run time.
import { z } from "zod";
import { recordFields, tombstonePolicies } from "../exporters/line-format.js";

export const configVersion = 1;

const isoTime = z.string().datetime({ offset: true });
const name = z.string().min(1).max(100);

/** Where a secret comes from. The keychain account holds it; the others hold nothing at all. */
const secretRef = z.discriminatedUnion("source", [
  z.object({ source: z.literal("keychain"), account: z.string().min(1) }),
  z.object({ source: z.literal("default-chain") }),
  z.object({ source: z.literal("env"), variable: z.string().min(1) }),
]);

/** What every sink has, whatever its store. */
const sinkCommon = {
  id: z.string().uuid(),
  name,
  /** Where the sink's credentials may write; exporters on the sink stay within it. */
  pathPrefix: z.string().min(1).optional(),
  credentials: secretRef,
  createdAt: isoTime,
  updatedAt: isoTime,
  /** The last validation file written with the current credentials. */
  lastValidation: z.object({ at: isoTime, key: z.string() }).optional(),
};

export const s3SinkRecord = z.object({
  ...sinkCommon,
  type: z.literal("S3"),
  bucket: z.string().min(3).max(63),
  /** S3-compatible stores; absent for AWS. */
  endpoint: z.string().url().optional(),
  forcePathStyle: z.boolean().optional(),
  /** The bucket's region: given by the user or found with GetBucketLocation. */
  region: z.string().min(1).optional(),
  assumeRoleArn: z.string().min(1).optional(),
  /** The IAM user Streamdrop's setup created for the sink: the one whose key the app may rotate. */
  iamUser: z.string().min(1).max(64).optional(),
});

/** Google Cloud Storage, written with a service-account key (kept in the keychain). */
export const gcsSinkRecord = z.object({
  ...sinkCommon,
  type: z.literal("GCLOUD"),
  bucket: z.string().min(3).max(222),
  /** A Cloud Storage emulator or private endpoint; absent for Google's own. */
  endpoint: z.string().url().optional(),
  projectId: z.string().min(1),
  /** The service account's email: not secret, and what the user grants the bucket role to. */
  clientEmail: z.string().min(1),
  credentials: z.object({ source: z.literal("keychain"), account: z.string().min(1) }),
});

export const sinkRecord = z.discriminatedUnion("type", [s3SinkRecord, gcsSinkRecord]);

export const streamRecord = z.object({
  id: z.string().uuid(),
  name,
  bootstrapServers: z.array(z.string().min(1)).min(1),
  topic: z.string().min(1),
  ssl: z.boolean(),
  caFile: z.string().optional(),
  sasl: z
    .object({
      mechanism: z.enum(["plain", "scram-sha-256", "scram-sha-512"]),
      username: z.string().min(1),
      password: secretRef,
    })
    .optional(),
  createdAt: isoTime,
});

export const batchExporterRecord = z.object({
  id: z.string().uuid(),
  name,
  streamName: name,
  sinkName: name,
  intervalSeconds: z.number().int().min(1).max(3600),
  pathPrefix: z.string().min(1).optional(),
  includeExistingEvents: z.boolean(),
  workers: z.number().int().min(1).max(64),
  maxBatchBytes: z.number().int().positive(),
  /** What a line holds (line-format.ts); configs from before these settings read as the defaults. */
  fields: z.array(z.enum(recordFields)).min(1).default(["value"]),
  tombstones: z.enum(tombstonePolicies).default("invalid"),
  paused: z.boolean(),
  createdAt: isoTime,
});

export const configSchema = z.object({
  version: z.literal(configVersion),
  sinks: z.array(sinkRecord),
  streams: z.array(streamRecord),
  batchExporters: z.array(batchExporterRecord),
});

export type SecretRef = z.infer<typeof secretRef>;
export type SinkRecord = z.infer<typeof sinkRecord>;
export type S3SinkRecord = z.infer<typeof s3SinkRecord>;
export type GcsSinkRecord = z.infer<typeof gcsSinkRecord>;
export type StreamRecord = z.infer<typeof streamRecord>;
export type BatchExporterRecord = z.infer<typeof batchExporterRecord>;
export type Config = z.infer<typeof configSchema>;

export const emptyConfig = (): Config => ({ version: configVersion, sinks: [], streams: [], batchExporters: [] });
