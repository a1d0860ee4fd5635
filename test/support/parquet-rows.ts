// A stored Parquet file as DuckDB (a reader written by others) reads it: SQL over the file, its
// rows as JSON lines, and its columns' types as DuckDB names them; and as pyarrow (PyPI) reads it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { query } from "./duckdb.js";
import { venvPython } from "./python-venv.js";

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

/** Each file's rows and columns' Arrow types as pyarrow (PyPI) reads it. */
export function pyarrowRead(files: Buffer[]): Array<{ rows: number; types: Record<string, string> }> {
  const dir = mkdtempSync(join(tmpdir(), "pyarrow-read-"));
  const paths = files.map((bytes, index) => {
    const path = join(dir, `${index}.parquet`);
    writeFileSync(path, bytes);
    return path;
  });
  const script = [
    "import json, sys, pyarrow.parquet as pq",
    "tables = [pq.read_table(f) for f in sys.argv[1:]]",
    "print(json.dumps([{'rows': t.num_rows, 'types': {field.name: str(field.type) for field in t.schema}} for t in tables]))",
  ].join("\n");
  const python = venvPython("parquet-readers", ["pyarrow==26.0.1"]);
  try {
    return JSON.parse(execFileSync(python, ["-c", script, ...paths], { encoding: "utf8" })) as Array<{ rows: number; types: Record<string, string> }>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
