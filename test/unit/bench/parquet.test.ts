// The Parquet bench's own logic: its columns fit every event of its workload (or each would go to
// `-invalid` and the drain would measure nothing), its read-back finds each event's id in a
// Parquet file written by the exporter's writer, and each column of its rows is the runs' median.
import { describe, expect, it } from "vitest";
import { parseColumns, type Column } from "../../../common/table-columns.js";
import { readRow } from "../../../main/core/exporters/parquet/column-values.js";
import { parquetBody } from "../../../main/core/exporters/parquet/parquet-body.js";
import { parquetTable } from "../../../main/core/exporters/parquet/parquet-table.js";
import { parquetVariants, summarize, type DrainRun } from "../../../bench/parquet-files.js";
import { parquetReader } from "../../../bench/parquet-read.js";
import { clickstreamColumns, clickstreamEvent } from "../../../bench/workload.js";

const columns = (): Column[] => {
  const parsed = parseColumns(clickstreamColumns);
  if ("problem" in parsed) throw new Error(parsed.problem);
  return parsed.columns;
};

describe("the bench's Parquet columns", () => {
  it("name every field of a clickstream event, in its order", () => {
    expect(columns().map((column) => column.name)).toEqual(Object.keys(JSON.parse(clickstreamEvent(0)) as object));
  });

  it("fit the events, the first, a late one and one stamped by the latency run", () => {
    const table = parquetTable(["value"], columns());
    for (const line of [clickstreamEvent(0), clickstreamEvent(4_999_999), clickstreamEvent(7, 1_765_000_000_123)])
      expect(readRow(line, table.rowOf)).not.toHaveProperty("misfit");
  });
});

describe("reading a Parquet drain back", () => {
  it("finds each row's id in a file the exporter's writer made", async () => {
    const table = parquetTable(["value"], columns());
    const ids = [3, 1, 4, 1_000_000, 0];
    const file = await parquetBody(Buffer.from(`${ids.map((id) => clickstreamEvent(id)).join("\n")}\n`), table, "zstd");
    const reader = await parquetReader();
    try {
      expect(await reader.ids(file)).toEqual(ids);
    } finally {
      reader.close();
    }
  });
});

describe("summarize", () => {
  const run = (rate: number, workerUs: number): DrainRun => ({ rate, bytesStored: 100, files: 2, workerUs, brokerUs: 1, storeUs: 2, peakRss: 2 ** 20 });

  it("takes each column's median on its own", () => {
    const row = summarize(parquetVariants[2]!, 1000, [run(90, 6), run(120, 5), run(100, 9)]);
    expect([row.rate, row.workerUs, row.runs.length]).toEqual([100, 6, 3]);
  });

  it("takes the middle two's mean for an even count", () => {
    expect(summarize(parquetVariants[0]!, 1000, [run(90, 6), run(110, 4)]).rate).toBe(100);
  });
});
