// A stored Parquet file as DuckDB (a reader written by others) reads it: SQL over the file, its
// rows as JSON lines, and its columns' types as DuckDB names them.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { query } from "./duckdb.js";

/** The rows `sql` gives over the file, its path given to `sql` quoted for DuckDB. */
export async function queryParquet(bytes: Buffer, sql: (file: string) => string): Promise<Array<Record<string, unknown>>> {
  const dir = mkdtempSync(join(tmpdir(), "parquet-rows-"));
  const file = join(dir, "file.parquet");
  writeFileSync(file, bytes);
  try {
    return await query(sql(`'${file}'`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The file's rows as JSON Lines text (DuckDB's to_json of each row), in the file's order. */
export const parquetLines = async (bytes: Buffer): Promise<string> =>
  (await queryParquet(bytes, (file) => `SELECT to_json(t) AS line FROM read_parquet(${file}) AS t`)).map((row) => `${row.line as string}\n`).join("");

/** Each column's type as DuckDB names it. */
export const parquetTypes = async (bytes: Buffer): Promise<Record<string, string>> =>
  Object.fromEntries(
    (await queryParquet(bytes, (file) => `DESCRIBE SELECT * FROM read_parquet(${file})`)).map((row) => [row.column_name as string, row.column_type as string]),
  );
