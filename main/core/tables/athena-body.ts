// What an Athena table's DDL declares besides its name and place: its data columns and how its
// files are read. JSON tables (athena.ts) and Parquet tables (athena-parquet.ts) each make one.

/** The table's data columns (as the DDL declares them) and how its files are read (a SerDe's row format, or Parquet). */
export interface TableBody {
  columns: string[];
  /** Column names, as the view selects them. */
  names: string[];
  storage: string[];
}
