// An event's JSON against its columns: what fits, why what does not, and numbers kept exactly.
import { describe, expect, it } from "vitest";
import { leafValue, misfitOf, readRow, ExactNumber } from "../../../../main/core/exporters/parquet/column-values.js";
import { parseColumns, type Column } from "../../../../common/table-columns.js";

const columns = (text: string): Column[] => (parseColumns(text) as { columns: Column[] }).columns;

describe("leaf values", () => {
  it("takes times with a zone or whole numbers of the unit, and dates", () => {
    expect(leafValue({ kind: "timestamp", unit: "micros" }, "2026-12-06T10:00:00.123456Z")).toBe(1_796_551_200_123_456n);
    expect(leafValue({ kind: "timestamp", unit: "micros" }, "2026-12-06T11:00:00.123456+01:00")).toBe(1_796_551_200_123_456n);
    expect(leafValue({ kind: "timestamp", unit: "millis" }, 1_796_551_200_123)).toBe(1_796_551_200_123n);
    expect(leafValue({ kind: "timestamp", unit: "millis" }, "2026-12-06T10:00:00.123456Z")).toEqual({
      problem: expect.stringMatching(/more precise than the column's milliseconds/),
    });
    expect(leafValue({ kind: "timestamp", unit: "micros" }, "2026-12-06T10:00:00")).toEqual({ problem: expect.stringMatching(/not a time with its zone/) });
    expect(leafValue({ kind: "timestamp", unit: "micros" }, "2026-02-30T10:00:00Z")).toEqual({
      problem: expect.stringMatching(/not a date and time that exists/),
    });
    expect(leafValue({ kind: "date" }, "2026-12-06")).toBe(20_793);
    expect(leafValue({ kind: "date" }, "2026-13-01")).toEqual({ problem: expect.stringMatching(/not a date that exists/) });
  });

  it("keeps decimals exact from numbers or strings, and refuses digits the column cannot hold", () => {
    const decimal = { kind: "decimal", precision: 18, scale: 2 } as const;
    expect(leafValue(decimal, 12.5)).toBe(1250n);
    expect(leafValue(decimal, "9007199254740993.35")).toBe(900719925474099335n);
    expect(leafValue(decimal, new ExactNumber("1.5e3"))).toBe(150000n);
    expect(leafValue(decimal, "1.005")).toEqual({ problem: expect.stringMatching(/more decimal places than the column's 2/) });
    expect(leafValue(decimal, "12345678901234567.00")).toEqual({ problem: expect.stringMatching(/more digits than the column's precision of 18/) });
    expect(leafValue(decimal, "12,5")).toEqual({ problem: expect.stringMatching(/a string, where the column is decimal\(18,2\)/) });
  });

  it("refuses a value of another type, naming both", () => {
    expect(leafValue({ kind: "int32" }, "7")).toEqual({ problem: "a string, where the column is int32" });
    expect(leafValue({ kind: "int32" }, 2 ** 31)).toEqual({ problem: expect.stringMatching(/not a whole number an int32 holds/) });
    expect(leafValue({ kind: "string" }, 7)).toEqual({ problem: "a number, where the column is string" });
    expect(leafValue({ kind: "boolean" }, "true")).toEqual({ problem: "a string, where the column is boolean" });
    // A double's NaN and infinities, as registries' decoders write them, and no other text.
    expect([leafValue({ kind: "double" }, "NaN"), leafValue({ kind: "double" }, "-Infinity")]).toEqual([NaN, -Infinity]);
    expect(leafValue({ kind: "double" }, "1.5")).toEqual({ problem: "a string, where the column is double" });
  });
});

describe("rows", () => {
  const table = columns("id int64, amount decimal(38,2), raw json, address struct<zip int32>, tags list<int32>");

  it("reads numbers past a double's precision exactly, reading the line again only then", () => {
    const read = readRow('{"id":12345678901234567,"amount":123456789012345678901.25,"raw":{"n":98765432109876543210}}', (line) => ({
      line,
      misfit: misfitOf(line, table),
    }));
    expect(read.misfit).toBeUndefined();
    const row = read.line as Record<string, unknown>;
    expect(leafValue({ kind: "int64" }, row.id)).toBe(12345678901234567n);
    expect(leafValue({ kind: "decimal", precision: 38, scale: 2 }, row.amount)).toBe(12345678901234567890125n);
    expect(leafValue({ kind: "json" }, row.raw)).toBe('{"n":98765432109876543210}');
    // A line a double holds exactly is read once, plainly: its numbers are numbers.
    expect((readRow('{"id":7}', (line) => line) as { id: unknown }).id).toBe(7);
  });

  it("names the field that does not fit, at any depth, and a field the columns lack", () => {
    expect(misfitOf({ address: { zip: "0150" } }, table)).toEqual({ path: "address.zip", problem: "a string, where the column is int32" });
    expect(misfitOf({ tags: [1, "x"] }, table)).toEqual({ path: "tags[]", problem: "a string, where the column is int32" });
    expect(misfitOf({ coupon: "X1" }, table)).toMatchObject({
      path: "coupon",
      problem: "a field the columns do not have",
      newField: { path: ["coupon"], value: "X1" },
    });
    expect(misfitOf({ address: { zip: 1, city: "Oslo" } }, table)).toMatchObject({ path: "address.city", newField: { path: ["address", "city"] } });
    expect(misfitOf([1], table)).toEqual({ path: "", problem: "a list, where an event must be a JSON object" });
    // Absent and null fields fit: every column may be null.
    expect(misfitOf({ id: null }, table)).toBeUndefined();
  });
});
