// What a sink looks like outside the core (CLI output, IPC results): the product page's shape,
// and never a secret.
import type { SinkRecord } from "../config/schema.js";

export interface SinkView {
  ref: { name: string };
  sinkType: "S3";
  bucket: {
    bucketName: string;
    endpoint?: string;
    region?: string;
    pathPrefix?: string;
    assumeRoleArn?: string;
    credentials: "keychain" | "default-chain" | "environment";
  };
  createdAt: string;
  updatedAt: string;
  lastValidationFile?: string;
}

const credentialSources = { keychain: "keychain", "default-chain": "default-chain", env: "environment" } as const;

export function sinkView(sink: SinkRecord): SinkView {
  return {
    ref: { name: sink.name },
    sinkType: sink.type,
    bucket: {
      bucketName: sink.bucket,
      ...(sink.endpoint ? { endpoint: sink.endpoint } : {}),
      ...(sink.region ? { region: sink.region } : {}),
      ...(sink.pathPrefix ? { pathPrefix: sink.pathPrefix } : {}),
      ...(sink.assumeRoleArn ? { assumeRoleArn: sink.assumeRoleArn } : {}),
      credentials: credentialSources[sink.credentials.source],
    },
    createdAt: sink.createdAt,
    updatedAt: sink.updatedAt,
    ...(sink.lastValidation ? { lastValidationFile: `s3://${sink.bucket}/${sink.lastValidation.key}` } : {}),
  };
}
