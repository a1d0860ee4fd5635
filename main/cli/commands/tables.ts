// `table batch-exporter <name> --engine athena|bigquery|duckdb`: the SQL that makes the exporter's
// files (every layout it has stored them in) a table, printed to run as it is, and its notes.
import { Option, type Command } from "commander";
import type { Core } from "../../core/index.js";
import { exporterLimits, rangeText, sampleDefaults } from "../../../common/exporter-settings.js";
import { tableEngines } from "../../../common/table-engines.js";
import { wholeNumber } from "../numbers.js";

export function registerTableCommands(program: Command, core: () => Core): void {
  program
    .command("table")
    .description("print the SQL that makes an exporter's files a table in a query engine")
    .command("batch-exporter <name>")
    .description(
      "a table over every file the exporter stored (each prefix, path template and compression it has used, from its export log): columns inferred from the stream's latest events (or, when the topic cannot be read, those of the last definition), partition columns from its path templates",
    )
    .addOption(new Option("--engine <engine>", "the query engine").choices(tableEngines).makeOptionMandatory())
    .option("--sample <n>", `records per partition to infer the columns from, ${rangeText(exporterLimits.sample)}`, String(sampleDefaults.table))
    .option("--files <folder>", "DuckDB: read a local copy of the exporter's folder (e.g. from aws s3 sync; the notes say which folder) instead of the bucket")
    .action(async (name: string, options: { engine: string; sample: string; files?: string }) => {
      const definition = await core().tables.definition({
        exporterName: name,
        engine: options.engine,
        sample: wholeNumber("--sample", options.sample),
        ...(options.files !== undefined ? { localRoot: options.files } : {}),
      });
      // The SQL alone on stdout (`> table.sql` runs as it is); what to know on stderr.
      for (const note of definition.notes) process.stderr.write(`Note: ${note}\n`);
      process.stdout.write(definition.sql);
    });
}
