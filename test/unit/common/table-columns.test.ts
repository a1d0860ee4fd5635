// The columns' text form: what the window shows and the CLI takes, read back to the same columns.
import { describe, expect, it } from "vitest";
import { columnsText, parseColumns, type Column } from "../../../common/table-columns.js";

const parsed = (text: string): Column[] => {
  const result = parseColumns(text);
  if ("problem" in result) throw new Error(result.problem);
  return result.columns;
};

describe("columns as text", () => {
  it("reads every type, nested, and prints them back as given", () => {
    const text =
      'id int64, "user-id" string, n int32, ok boolean, price double, at timestamp(micros), ms timestamp(millis), day date, amount decimal(38,9), raw json, tags list<string>, address struct<city string, zip int32>, attrs map<list<double>>';
    const columns = parsed(text);
    expect(columns.map((column) => column.name)).toEqual(["id", "user-id", "n", "ok", "price", "at", "ms", "day", "amount", "raw", "tags", "address", "attrs"]);
    expect(columns[8]!.type).toEqual({ kind: "decimal", precision: 38, scale: 9 });
    expect(columns[12]!.type).toEqual({ kind: "map", values: { kind: "list", items: { kind: "double" } } });
    expect(columnsText(columns)).toBe(text);
    expect(parsed(" id  int64 ,\n address struct< city string >")).toEqual(parsed("id int64, address struct<city string>"));
  });

  it("says what is wrong, and where", () => {
    const problem = (text: string) => (parseColumns(text) as { problem: string }).problem;
    expect(problem("id integer")).toMatch(/unknown type "integer": use string, boolean, int32, int64.*, at character 4 \(near "integer"\)/);
    expect(problem("at timestamp(nanos)")).toMatch(/millis or micros/);
    expect(problem("amount decimal(39,2)")).toMatch(/precision is a whole number from 1 to 38/);
    expect(problem("amount decimal(5,6)")).toMatch(/scale is a whole number from 0 to its precision/);
    expect(problem("id int64, id string")).toMatch(/a column name is given twice/);
    expect(problem("id int64 name string")).toMatch(/expected a comma or the end, at character 10/);
    expect(problem("")).toMatch(/expected a column name/);
    expect(problem(`a ${"list<".repeat(40)}string${">".repeat(40)}`)).toMatch(/nest deeper than 32/);
  });
});
