// A stored Parquet file's rows as DuckDB (a reader written by others) reads them: one JSON object
// per row, and the columns' types as DuckDB names them.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";

async function withFile<T>(bytes: Buffer, read: (file: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "parquet-rows-"));
  const file = join(dir, "file.parquet");
  writeFileSync(file, bytes);
  try {
    return await read(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function duckdbRows(sql: string): Promise<Array<Record<string, unknown>>> {
  const connection = await (await DuckDBInstance.create(":memory:")).connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Array<Record<string, unknown>>;
  } finally {
    connection.closeSync();
  }
}

/** The file's rows as JSON Lines text (DuckDB's to_json of each row), in the file's order. */
export const parquetLines = (bytes: Buffer): Promise<string> =>
  withFile(bytes, async (file) =>
    (await duckdbRows(`SELECT to_json(t) AS line FROM read_parquet('${file}') AS t`)).map((row) => `${row.line as string}\n`).join(""),
  );

/** Each column's type as DuckDB names it. */
export const parquetTypes = (bytes: Buffer): Promise<Record<string, string>> =>
  withFile(bytes, async (file) =>
    Object.fromEntries(
      (await duckdbRows(`DESCRIBE SELECT * FROM read_parquet('${file}')`)).map((row) => [row.column_name as string, row.column_type as string]),
    ),
  );
