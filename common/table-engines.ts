// The query engines Streamdrop writes table definitions for, and their names as people know them.
import type { StoreType } from "./stores.js";
export const tableEngines = ["athena", "bigquery", "duckdb"] as const;
export type TableEngine = (typeof tableEngines)[number];

export const engineNames: Record<TableEngine, string> = { athena: "Amazon Athena", bigquery: "BigQuery", duckdb: "DuckDB" };

/** The engine offered first for a store's exporters: the one its own cloud runs (DuckDB reads any). */
export const defaultEngine: Record<StoreType, TableEngine> = { S3: "athena", GCLOUD: "bigquery", AZURE: "duckdb" };
