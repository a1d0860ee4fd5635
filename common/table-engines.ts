// The query engines Streamdrop writes table definitions for, their names as people know them, and
// the definition the core writes for one (main/core/tables/).
import type { StoreType } from "./stores.js";
export const tableEngines = ["athena", "bigquery", "duckdb"] as const;
export type TableEngine = (typeof tableEngines)[number];

export const engineNames: Record<TableEngine, string> = { athena: "Amazon Athena", bigquery: "BigQuery", duckdb: "DuckDB" };

/** The engine offered first for a store's exporters: the one its own cloud runs (DuckDB reads any). */
export const defaultEngine: Record<StoreType, TableEngine> = { S3: "athena", GCLOUD: "bigquery", AZURE: "duckdb" };

/** A table over an exporter's files, for one engine. */
export interface TableDefinition {
  engine: TableEngine;
  /** The statements, to run as they are. */
  sql: string;
  /** What the table reads, and what to know before querying it (the CLI prints them to stderr). */
  notes: string[];
}
