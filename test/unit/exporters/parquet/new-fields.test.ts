// Fields the columns lack, heard as records are checked, proposed as the next columns version.
import { describe, expect, it } from "vitest";
import { fileFormatOf } from "../../../../main/core/exporters/files/file-format.js";
import { fileShapeOf, ownColumns } from "../../../../main/core/exporters/file-shape.js";
import { memorySpills } from "../../../../main/core/exporters/files/spills-and-sinks.js";
import { joinProposals, NewFields } from "../../../../main/core/exporters/parquet/new-fields.js";
import { columnsText, parseColumns, type Column } from "../../../../common/table-columns.js";
import type { ColumnsProposal } from "../../../../common/exporter-status.js";

const columns = (text: string): Column[] => (parseColumns(text) as { columns: Column[] }).columns;

describe("new fields", () => {
  it("are heard from the records that go to -invalid for them, and proposed once each, typed as the events hold them", () => {
    const proposals: ColumnsProposal[] = [];
    const shape = fileShapeOf({
      compression: "none",
      fields: ["key", "value"],
      tombstones: "invalid",
      parquet: { compression: "zstd" },
      columns: [{ version: 2, columns: columns("id int64, address struct<city string>"), createdAt: "2026-12-06T00:00:00Z" }],
    });
    const fields = new NewFields(ownColumns(shape.parquet!)!, (proposal) => proposals.push(proposal));
    const batch = fileFormatOf(shape, fields.saw.bind(fields)).newBatch("orders", memorySpills);
    const add = (offset: number, value: unknown) =>
      batch.add({ partition: 0, offset: String(offset), timestamp: "0", key: null, value: Buffer.from(JSON.stringify(value)), headers: [] });
    add(1, { id: 1, coupon: "X1" });
    add(2, { id: 2, coupon: "X2" });
    add(3, { id: 3, address: { city: "Oslo", zip: 150 } });
    add(4, { id: "four" }); // a type that does not fit proposes nothing
    expect(batch.content().invalidCount).toBe(4);
    expect(proposals.map((proposal) => proposal.fields)).toEqual([["coupon"], ["coupon", "address.zip"]]);
    expect(proposals.at(-1)!.basedOn).toBe(2);
    expect(columnsText(proposals.at(-1)!.columns)).toBe("id int64, address struct<city string, zip int64>, coupon string");
  });

  it("inside lists are the list's elements' new fields; inside maps nothing is proposed", () => {
    const proposals: ColumnsProposal[] = [];
    const fields = new NewFields({ version: 1, columns: columns("id int64, items list<struct<sku string>>, attrs map<struct<n int64>>") }, (proposal) =>
      proposals.push(proposal),
    );
    fields.saw(["items", { list: true }, "qty"], 2);
    fields.saw(["attrs", { map: true }, "extra"], true);
    // A name that merely ends in [] is a name.
    fields.saw(["ids[]"], [1]);
    expect(proposals.map((proposal) => columnsText(proposal.columns))).toEqual([
      "id int64, items list<struct<sku string, qty int64>>, attrs map<struct<n int64>>",
      'id int64, items list<struct<sku string, qty int64>>, attrs map<struct<n int64>>, "ids[]" list<int64>',
    ]);
    expect(proposals.at(-1)!.fields).toEqual(["items[].qty", "ids[]"]);
  });

  it("from two workers are one proposal", () => {
    const a = { basedOn: 1, columns: columns("id int64, coupon string"), fields: ["coupon"] };
    const b = { basedOn: 1, columns: columns("id int64, note string"), fields: ["note"] };
    expect(joinProposals(a, b)).toEqual({ basedOn: 1, columns: columns("id int64, coupon string, note string"), fields: ["coupon", "note"] });
    expect(joinProposals(a, { ...b, basedOn: 2 })?.basedOn).toBe(2);
    expect(joinProposals(undefined, a)).toBe(a);
  });
});
