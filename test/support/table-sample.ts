// The sample behind the golden table definitions in docs/tables/: two clickstream lines with a
// nested object, a list, a key Athena and BigQuery cannot name, a field whose kind varies and one
// always null; an S3 exporter writing gzip files into dt=/hour= folders.
import type { TableSource } from "../../main/core/tables/layout.js";
import { inferSchema } from "../../main/core/tables/schema.js";

export const sampleLines = [
  '{"id":"a","userId":7,"price":1.5,"ok":true,"tags":["x"],"strmMeta":{"schemaId":"clickstream","timestamp":1764633600000},"user-agent":"m","amount":1,"note":null}',
  '{"id":"b","userId":8,"price":2,"ok":false,"tags":[],"strmMeta":{"schemaId":"clickstream","timestamp":1764633600001},"user-agent":"n","amount":"1.00","note":null}',
];

export const sampleSchema = inferSchema(sampleLines);

export const sampleSource: TableSource = {
  exporter: "s3-clicks",
  store: "S3",
  bucket: "my-bucket",
  prefix: "events",
  topic: "clicks",
  compression: "gzip",
  template: "dt={date}/hour={hour}",
  fields: ["value"],
  createdAt: "2026-12-01T10:00:00.000Z",
};

/** Each golden file and the definition it holds (BigQuery's over Cloud Storage, where it reads natively). */
export const goldenExamples = {
  "athena.sql": { source: sampleSource },
  "bigquery.sql": { source: { ...sampleSource, store: "GCLOUD", exporter: "gcs-clicks" } },
  "duckdb.sql": { source: sampleSource },
} as const satisfies Record<string, { source: TableSource }>;
