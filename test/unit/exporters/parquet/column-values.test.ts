// An event's JSON against its columns: what fits, why what does not, and numbers kept exactly.
import { describe, expect, it } from "vitest";
import { leafValue, misfitOf, readRow, ExactNumber, type RowRead } from "../../../../main/core/exporters/parquet/column-values.js";
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
    expect(leafValue({ kind: "int32" }, 2 ** 31)).toEqual({ problem: expect.stringMatching(/2147483648, which is beyond an int32's range/) });
    expect(leafValue({ kind: "string" }, 7)).toEqual({ problem: "a number, where the column is string" });
    expect(leafValue({ kind: "boolean" }, "true")).toEqual({ problem: "a string, where the column is boolean" });
    // A double's NaN and infinities, as registries' decoders write them, and no other text.
    expect([leafValue({ kind: "double" }, "NaN"), leafValue({ kind: "double" }, "-Infinity")]).toEqual([NaN, -Infinity]);
    expect(leafValue({ kind: "double" }, "1.5")).toEqual({ problem: "a string, where the column is double" });
  });
});

describe("rows", () => {
  const table = columns("id int64, amount decimal(38,2), raw json, address struct<zip int32>, tags list<int32>");
  const rowOf = (line: unknown): RowRead => {
    const misfit = misfitOf(line, table);
    return misfit ? { misfit } : { row: line as Record<string, unknown> };
  };
  const row = (text: string) => {
    const read = readRow(text, rowOf);
    if ("misfit" in read) throw new Error(`${read.misfit.path}: ${read.misfit.problem}`);
    return read.row;
  };
  const problem = (text: string, at = table) => {
    const read = readRow(text, (line) => {
      const misfit = misfitOf(line, at);
      return misfit ? { misfit } : { row: line as Record<string, unknown> };
    });
    return "misfit" in read ? read.misfit.problem : undefined;
  };

  it("reads numbers past a double's precision exactly, deciding on the text", () => {
    const read = row('{"id":12345678901234567,"amount":123456789012345678901.25,"raw":{"n":98765432109876543210}}');
    expect(leafValue({ kind: "int64" }, read.id)).toBe(12345678901234567n);
    expect(leafValue({ kind: "decimal", precision: 38, scale: 2 }, read.amount)).toBe(12345678901234567890125n);
    expect(leafValue({ kind: "json" }, read.raw)).toBe('{"n":98765432109876543210}');
    // A double's shortest form would say 1e+23, or 0.3: the digits sent are what counts.
    expect(leafValue({ kind: "decimal", precision: 38, scale: 0 }, row('{"amount":99999999999999999999999}').amount)).toBe(99999999999999999999999n);
    expect(problem('{"amount":0.30000000000000001}')).toMatch(/more decimal places than the column's 2/);
    expect(leafValue({ kind: "json" }, row('{"raw":10000000000000000000001}').raw)).toBe("10000000000000000000001");
    expect(problem('{"id":1e-400}')).toMatch(/not a whole number/);
    // A line a double holds exactly is read once, plainly: its numbers are numbers.
    expect(row('{"id":7}').id).toBe(7);
  });

  it("refuses exponents beyond any column quickly, and lines nested too deep before any recursion", () => {
    const started = process.cpuUsage();
    const decimal = { kind: "decimal", precision: 38, scale: 2 } as const;
    expect(leafValue(decimal, "1e-999999999")).toEqual({ problem: expect.stringMatching(/more decimal places/) });
    expect(leafValue(decimal, "1e999999999")).toEqual({ problem: expect.stringMatching(/more digits than the column's precision/) });
    expect(leafValue({ kind: "int64" }, new ExactNumber("1e999999999"))).toEqual({ problem: expect.stringMatching(/beyond an int64's range/) });
    expect(leafValue(decimal, "0e999999999")).toBe(0n);
    // Not a timing test: a second of CPU here would be the BigInt arithmetic these refusals skip.
    expect(process.cpuUsage(started).user).toBeLessThan(1_000_000);
    const deep = `{"id":1234567890123456789,"raw":${"[".repeat(3000)}${"]".repeat(3000)}}`;
    expect(problem(deep)).toBe("JSON nested 3001 levels deep, deeper than the 512 a Parquet file's line may be");
    // The number of a reason is clipped, whatever its length.
    expect(problem(`{"id":1.5${"1".repeat(5000)}}`)!.length).toBeLessThan(200);
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
    expect(misfitOf({ "ids[]": [1] }, table)).toMatchObject({ path: "ids[]", newField: { path: ["ids[]"] } });
    expect(misfitOf([1], table)).toEqual({ path: "", problem: "a list, where an event must be a JSON object" });
    // Absent and null fields fit: every column may be null.
    expect(misfitOf({ id: null }, table)).toBeUndefined();
  });
});

describe("times and dates", () => {
  it("keep years before 100, refuse zones and years no reader takes", () => {
    const d = new Date(0);
    d.setUTCFullYear(50, 0, 1);
    expect(leafValue({ kind: "date" }, "0050-01-01")).toBe(d.getTime() / 86_400_000);
    expect(leafValue({ kind: "timestamp", unit: "micros" }, "0050-01-01T00:00:00Z")).toBe(BigInt(d.getTime()) * 1000n);
    expect(leafValue({ kind: "timestamp", unit: "micros" }, "2026-12-06T10:00:00+99:99")).toEqual({
      problem: expect.stringMatching(/not a date and time that exists/),
    });
    expect(leafValue({ kind: "date" }, "0000-01-01")).toEqual({ problem: expect.stringMatching(/years 1 to 9999/) });
    expect(leafValue({ kind: "timestamp", unit: "millis" }, 300_000_000_000_000)).toEqual({ problem: expect.stringMatching(/outside the years 1 to 9999/) });
    expect(leafValue({ kind: "timestamp", unit: "millis" }, 253_402_300_799_999)).toBe(253_402_300_799_999n);
  });
});
