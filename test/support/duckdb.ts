// DuckDB as the tests' reader of stored files: the files downloaded as they are, and SQL (a table
// definition as Streamdrop prints it) run statement by statement in an in-memory database.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { DuckDBInstance } from "@duckdb/node-api";
import type { ExportHarness } from "./export-harness.js";

/** Every file under the exporter's prefix, downloaded byte for byte into `dir` (as `aws s3 sync` would). */
export async function download(harness: ExportHarness, dir: string): Promise<string[]> {
  const listed = await harness.s3.send(new ListObjectsV2Command({ Bucket: harness.bucket, Prefix: "events/" }));
  const keys = (listed.Contents ?? []).map((object) => object.Key!);
  for (const key of keys) {
    const object = await harness.s3.send(new GetObjectCommand({ Bucket: harness.bucket, Key: key }));
    const path = join(dir, key.slice("events/".length));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, Buffer.from(await object.Body!.transformToByteArray()));
  }
  return keys;
}

export async function query(sql: string): Promise<Array<Record<string, unknown>>> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    // The definition as printed: its statements one by one (comments and all), the last one's rows back.
    const statements = sql
      .split(/;\s*\n/)
      .map((statement) => statement.trim())
      .filter((statement) => statement.replace(/^--.*$/gm, "").trim() !== "");
    let rows: Array<Record<string, unknown>> = [];
    for (const statement of statements) rows = (await connection.runAndReadAll(statement)).getRowObjectsJson() as Array<Record<string, unknown>>;
    return rows;
  } finally {
    connection.closeSync();
  }
}

/** The view a definition makes, quoted as it names it. */
export const viewOf = (sql: string) => sql.match(/CREATE OR REPLACE VIEW ("\w+")/)![1]!;
