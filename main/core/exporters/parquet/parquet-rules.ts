// The rules that lay event lines out as a Parquet file, named apart from the writer itself
// (parquet-body.ts), which loads Arrow and the wasm encoder (tens of MiB): the shapes, the intents
// and the settings name the rules, and only a process that writes Parquet loads the writer.

/**
 * The version of the rules that turn event lines into a Parquet file's bytes (recorded in each
 * intent's shape). Change any of them (the cut, the writer's version or properties, the type
 * mapping of arrow-columns.ts) and bump it, keeping the old reachable, as for line rules
 * (line-format.ts), or recovery would write another file under a name that may exist.
 *   1: parquet-wasm 0.8.0 (arrow-rs 59.3); row groups of up to 10,000 rows or 8 MiB of lines;
 *      V1 data pages; the types of table-columns.ts as arrow-columns.ts lays them out.
 */
export const parquetWriter = 1;
export const knownParquetWriters: readonly number[] = [1];

/**
 * The version of the rules that turn a writer schema into a Parquet file's columns
 * (schemas/schema-columns.ts), for the files of Schema Registry topics, whose columns are each
 * value's writer schema's. Recorded in each intent's shape; bump it as `parquetWriter`.
 *   1: the first rules (Protobuf Timestamps as their RFC 3339 text).
 */
export const schemaColumnsRules = 1;
export const knownSchemaColumnsRules: readonly number[] = [1];

/** A row group closes at this many rows, or once its lines reach `groupLineBytes`: a worker's memory stays near one group's. */
export const groupRows = 10_000;
export const groupLineBytes = 8 * 1024 * 1024;
