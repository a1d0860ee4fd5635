// Clients for the local stack, configured the way non-AWS S3 servers need.
import { S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import { Kafka, logLevel } from "kafkajs";

export const testCredentials = { accessKeyId: "test-admin-key", secretAccessKey: "test-admin-not-a-secret" };

export type AwsCredentials = NonNullable<S3ClientConfig["credentials"]>;

export function s3Client(endpoint: string, credentials: AwsCredentials = testCredentials): S3Client {
  return new S3Client({
    endpoint,
    region: "us-east-1",
    credentials,
    forcePathStyle: true,
    requestChecksumCalculation: "WHEN_REQUIRED",
  });
}

export function kafka(brokers: string, clientId = "streamdrop-test"): Kafka {
  return new Kafka({ clientId, brokers: brokers.split(","), logLevel: logLevel.ERROR });
}

/** A name no other test or run uses, for topics, buckets and groups. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
