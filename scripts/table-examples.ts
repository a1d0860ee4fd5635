// Rewrites the golden table definitions in docs/tables/ from test/support/table-sample.ts, after an
// intended change to a generator: `npx tsx scripts/table-examples.ts`. test/unit/tables/ fails
// until they match what Streamdrop prints.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { athenaTable } from "../main/core/tables/athena.js";
import { bigqueryTable } from "../main/core/tables/bigquery.js";
import { duckdbTable } from "../main/core/tables/duckdb.js";
import { repoRoot } from "../stack/paths.js";
import { goldenExamples, sampleSchema } from "../test/support/table-sample.js";

const engines = { "athena.sql": athenaTable, "bigquery.sql": bigqueryTable, "duckdb.sql": duckdbTable } as const;
for (const file of Object.keys(engines) as Array<keyof typeof engines>) {
  writeFileSync(join(repoRoot, "docs", "tables", file), engines[file]({ source: goldenExamples[file].source, schema: sampleSchema }).sql);
  console.log(`docs/tables/${file}`);
}
