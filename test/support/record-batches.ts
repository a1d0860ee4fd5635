// Kafka record batches (format v2) as a broker holds them, written by kafkajs's own encoder, for
// unit tests of what reads them (record-batch.ts, the gather kernel, a Batch).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

export const encodeRecord = require("kafkajs/src/protocol/recordBatch/record/v0") as (record: {
  offsetDelta: number;
  timestampDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer>;
}) => unknown;

export const { RecordBatch: encodeBatch } = require("kafkajs/src/protocol/recordBatch/v0") as {
  RecordBatch: (batch: {
    /** kafkajs's codec number (1 gzip); none when absent. */
    compression?: number;
    firstOffset: string;
    firstTimestamp: number;
    maxTimestamp: number;
    lastOffsetDelta: number;
    records: unknown[];
  }) => Promise<{ buffer: Buffer }>;
};
