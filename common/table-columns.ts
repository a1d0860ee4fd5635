// The columns of a Parquet exporter's files: the events' fields and their types, as the topic
// check proposes them, a person edits them (in the window and the CLI) and the exporter keeps them
// as numbered versions. Shared by the core (which writes files by them) and the window (which shows
// and edits them), so both read and print the same text: `id int64, at timestamp(micros), tags list<string>`.
//
// Every column may be null (events omit fields), and each type is one readers agree on: strings
// are UTF8, timestamps are INT64 TIMESTAMP(MILLIS or MICROS) in UTC (never nanoseconds, which
// Athena, DuckDB and Spark read differently), decimals keep their precision and scale.
import { z } from "zod";

export type ColumnType =
  | { kind: "string" }
  | { kind: "boolean" }
  | { kind: "int32" }
  | { kind: "int64" }
  | { kind: "double" }
  | { kind: "timestamp"; unit: TimestampUnit }
  | { kind: "date" }
  | { kind: "decimal"; precision: number; scale: number }
  /**
   * Any JSON, kept as JSON text (its numbers as sent; objects' names in JavaScript's order, whole
   * numbers first): for a field whose shape varies from event to event.
   */
  | { kind: "json" }
  | { kind: "struct"; fields: Column[] }
  | { kind: "list"; items: ColumnType }
  /** A JSON object whose names are data (string keys), each value of one type. */
  | { kind: "map"; values: ColumnType };

export type TimestampUnit = "millis" | "micros";

export interface Column {
  name: string;
  type: ColumnType;
}

/** A numbered version of an exporter's columns; versions are never changed once kept. */
export interface ColumnsVersion {
  version: number;
  columns: Column[];
  createdAt: string;
}

/** A Parquet exporter's columns: its own, or each value's writer schema's (Schema Registry topics: a file per schema in each cut). */
export type ColumnsChoice = { from: "registry" } | { columns: Column[] };

/** The word that, given as the columns' text, says: each value's registered (writer) schema's columns. */
export const registryColumns = "registry";

/** The most digits a decimal keeps: Parquet's DECIMAL in 16 bytes (Arrow's Decimal128). */
export const maxDecimalPrecision = 38;
/** How deep structs, lists and maps may nest: far beyond real events, well within every reader's limits. */
export const maxColumnDepth = 32;

const columnType: z.ZodType<ColumnType> = z.lazy(() =>
  z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("string") }),
    z.object({ kind: z.literal("boolean") }),
    z.object({ kind: z.literal("int32") }),
    z.object({ kind: z.literal("int64") }),
    z.object({ kind: z.literal("double") }),
    z.object({ kind: z.literal("timestamp"), unit: z.enum(["millis", "micros"]) }),
    z.object({ kind: z.literal("date") }),
    z
      .object({ kind: z.literal("decimal"), precision: z.number().int().min(1).max(maxDecimalPrecision), scale: z.number().int().min(0) })
      .refine((type) => type.scale <= type.precision, "a decimal's scale cannot exceed its precision"),
    z.object({ kind: z.literal("json") }),
    z.object({ kind: z.literal("struct"), fields: columnList }),
    z.object({ kind: z.literal("list"), items: columnType }),
    z.object({ kind: z.literal("map"), values: columnType }),
  ]),
);

const columnList: z.ZodType<Column[]> = z.lazy(() =>
  z
    .array(z.object({ name: z.string().min(1), type: columnType }))
    .min(1)
    .refine((columns) => new Set(columns.map((column) => column.name)).size === columns.length, "a column name is given twice"),
);

export const columnsSchema = columnList;

export const columnsVersionSchema = z.object({ version: z.number().int().min(1), columns: columnList, createdAt: z.string() });

// ---- The text form ----------------------------------------------------------------------------

const bareName = /^[A-Za-z_][A-Za-z0-9_]*$/;
const nameText = (name: string) => (bareName.test(name) ? name : JSON.stringify(name));

export function typeText(type: ColumnType): string {
  switch (type.kind) {
    case "timestamp":
      return `timestamp(${type.unit})`;
    case "decimal":
      return `decimal(${type.precision},${type.scale})`;
    case "struct":
      return `struct<${columnsText(type.fields)}>`;
    case "list":
      return `list<${typeText(type.items)}>`;
    case "map":
      return `map<${typeText(type.values)}>`;
    default:
      return type.kind;
  }
}

/** `id int64, name string`: what the window shows and the CLI prints and takes. */
export const columnsText = (columns: readonly Column[]): string => columns.map((column) => `${nameText(column.name)} ${typeText(column.type)}`).join(", ");

/** The columns `text` names, or what is wrong with it (said so a person can mend the text). */
export function parseColumns(text: string): { columns: Column[] } | { problem: string } {
  try {
    const reader = new ColumnsReader(text);
    const columns = reader.columns(0);
    reader.end();
    const checked = columnList.safeParse(columns);
    if (!checked.success) return { problem: `${checked.error.issues[0]?.message ?? "the columns are not valid"}` };
    return { columns };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

const simpleTypes = ["string", "boolean", "int32", "int64", "double", "date", "json"] as const;
const typeNames = [...simpleTypes, "timestamp(millis)", "timestamp(micros)", "decimal(precision,scale)", "struct<…>", "list<type>", "map<type>"];

/** A small recursive-descent reader of the text form; its errors say where and what was expected. */
class ColumnsReader {
  private at = 0;

  constructor(private readonly text: string) {}

  columns(depth: number): Column[] {
    const columns: Column[] = [];
    do {
      this.space();
      const name = this.name();
      this.space();
      columns.push({ name, type: this.type(depth) });
      this.space();
    } while (this.take(","));
    return columns;
  }

  end(): void {
    this.space();
    if (this.at < this.text.length) throw this.error(`expected a comma or the end`);
  }

  private type(depth: number): ColumnType {
    if (depth > maxColumnDepth) throw this.error(`columns nest deeper than ${maxColumnDepth} levels`);
    const start = this.at;
    const word = this.text.slice(this.at).match(/^[a-z0-9]+/)?.[0] ?? "";
    this.at += word.length;
    if ((simpleTypes as readonly string[]).includes(word)) return { kind: word } as ColumnType;
    switch (word) {
      case "timestamp": {
        this.expect("(");
        const unit = this.word();
        if (unit !== "millis" && unit !== "micros")
          throw this.error(`a timestamp's unit is millis or micros (nanoseconds are not read alike by query engines)`);
        this.expect(")");
        return { kind: "timestamp", unit };
      }
      case "decimal": {
        this.expect("(");
        const precision = Number(this.word());
        this.expect(",");
        const scale = Number(this.word());
        this.expect(")");
        if (!Number.isInteger(precision) || precision < 1 || precision > maxDecimalPrecision)
          throw this.error(`a decimal's precision is a whole number from 1 to ${maxDecimalPrecision}`);
        if (!Number.isInteger(scale) || scale < 0 || scale > precision) throw this.error(`a decimal's scale is a whole number from 0 to its precision`);
        return { kind: "decimal", precision, scale };
      }
      case "struct": {
        this.expect("<");
        const fields = this.columns(depth + 1);
        this.expect(">");
        return { kind: "struct", fields };
      }
      case "list": {
        this.expect("<");
        this.space();
        const items = this.type(depth + 1);
        this.expect(">");
        return { kind: "list", items };
      }
      case "map": {
        this.expect("<");
        this.space();
        const values = this.type(depth + 1);
        this.expect(">");
        return { kind: "map", values };
      }
      default:
        // Said where the word starts, not after it.
        this.at = start;
        throw this.error(word === "" ? `expected a type (${typeNames.join(", ")})` : `unknown type ${JSON.stringify(word)}: use ${typeNames.join(", ")}`);
    }
  }

  private name(): string {
    if (this.text[this.at] === '"') {
      const match = this.text.slice(this.at).match(/^"(?:[^"\\]|\\.)*"/);
      if (!match) throw this.error("a quoted name is not closed");
      this.at += match[0].length;
      const name = JSON.parse(match[0]) as string;
      if (name === "") throw this.error("a column name is empty");
      return name;
    }
    const name = this.text.slice(this.at).match(/^[A-Za-z_][A-Za-z0-9_]*/)?.[0];
    if (!name) throw this.error(`expected a column name (letters, digits and _, or any name in double quotes)`);
    this.at += name.length;
    return name;
  }

  private word(): string {
    this.space();
    const word = this.text.slice(this.at).match(/^[a-z0-9]+/)?.[0] ?? "";
    this.at += word.length;
    this.space();
    return word;
  }

  private take(char: string): boolean {
    this.space();
    if (this.text[this.at] !== char) return false;
    this.at += 1;
    return true;
  }

  private expect(char: string): void {
    if (!this.take(char)) throw this.error(`expected "${char}"`);
  }

  private space(): void {
    while (/\s/.test(this.text[this.at] ?? "")) this.at += 1;
  }

  private error(what: string): Error {
    const near = this.text.slice(this.at, this.at + 20);
    return new Error(`${what}, at character ${this.at + 1}${near ? ` (near ${JSON.stringify(near)})` : ""}`);
  }
}
