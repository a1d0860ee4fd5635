// Parquet files read back for the exactly-once check: each file's event ids, read by DuckDB (a
// reader written by others, not the arrow-rs writer that made the file), as any query engine
// would read the bucket.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";

export interface ParquetReader {
  /** The `id` column of a Parquet file's rows, in file order (null where a row has none). */
  ids(file: Uint8Array): Promise<Array<number | null>>;
  close(): void;
}

/** A DuckDB in memory and a scratch folder (DuckDB reads files by name): close it when done. */
export async function parquetReader(): Promise<ParquetReader> {
  const dir = mkdtempSync(join(tmpdir(), "streamdrop-bench-parquet-"));
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  let files = 0;
  return {
    async ids(file) {
      const path = join(dir, `${(files += 1)}.parquet`);
      writeFileSync(path, file);
      try {
        const read = await connection.runAndReadAll(`SELECT id FROM read_parquet('${path}')`);
        return (read.getColumnsJS()[0] ?? []).map((id) => (id === null ? null : Number(id)));
      } finally {
        rmSync(path, { force: true });
      }
    },
    close() {
      connection.closeSync();
      instance.closeSync();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
