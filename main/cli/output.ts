// Output formats shared by the commands: JSON (the product's shapes) or a plain table.
import { Option } from "commander";

export type OutputFormat = "json" | "table";

export const outputOption = (defaultFormat: OutputFormat) =>
  new Option("-o, --output <format>", "output format").choices(["json", "table"]).default(defaultFormat);

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Left-aligned columns; empty cells show as "-". */
export function printTable(headers: string[], rows: Array<Array<string | undefined>>): void {
  const cells = [headers, ...rows.map((row) => row.map((cell) => (cell === undefined || cell === "" ? "-" : cell)))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => row[column]!.length)));
  for (const row of cells)
    process.stdout.write(
      `${row
        .map((cell, column) => cell!.padEnd(widths[column]!))
        .join("  ")
        .trimEnd()}\n`,
    );
}
