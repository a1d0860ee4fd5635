// Columns proposed from sampled events, and the fields a new version adds.
import { describe, expect, it } from "vitest";
import { proposeColumns, withNewFields } from "../../../../main/core/exporters/parquet/propose-columns.js";
import { columnsText, parseColumns } from "../../../../common/table-columns.js";

describe("proposed columns", () => {
  it("are the narrowest type every sampled value fits, in the order fields were first seen", () => {
    const columns = proposeColumns([
      { id: 1, name: "a", at: "2026-12-06T10:00:00.123Z", day: "2026-12-06", price: 2, tags: ["x"], address: { city: "Oslo" }, note: null },
      { id: 2, name: "b", at: "2026-12-06T10:00:01Z", day: "2026-12-07", price: 2.5, tags: [], address: { zip: 150 }, flag: true, mixed: 1 },
      { id: 3, mixed: "one", empty: {} },
    ]);
    expect(columnsText(columns)).toBe(
      "id int64, name string, at timestamp(micros), day date, price double, tags list<string>, address struct<city string, zip int64>, note string, flag boolean, mixed json, empty json",
    );
  });

  it("add a new version's fields, at any depth, keeping the types the columns have", () => {
    const columns = proposeColumns([{ id: 1, address: { city: "Oslo" } }]);
    const next = withNewFields(columns, [{ id: "not a number", coupon: "X1", address: { city: "Bergen", zip: 5003 } }]);
    expect(columnsText(next)).toBe("id int64, address struct<city string, zip int64>, coupon string");
  });

  it("keep what nests deeper than columns may as json, so the proposal reads back as columns", () => {
    for (const levels of [31, 32, 33, 40]) {
      const nested = (wrap: (inner: unknown) => unknown) => Array.from({ length: levels }).reduce<unknown>((inner) => wrap(inner), 1);
      const columns = proposeColumns([{ struct: nested((inner) => ({ a: inner })), list: nested((inner) => [inner]) }]);
      expect(parseColumns(columnsText(columns)), `${levels} levels`).toEqual({ columns });
    }
  });
});
