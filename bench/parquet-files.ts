// Parquet drains beside JSON Lines (issue #36): the same events drained by one worker into
// gofakes3 as plain JSON Lines, JSON Lines + zstd, and Parquet (zstd, Parquet's default, and
// snappy), every drain read back (Parquet files by DuckDB) and held to exactly once; the steady
// rate, the bytes stored, the worker's CPU per event and its peak RSS. Then the Parquet format's own
// costs, measured in this process over a sample: the check of each record against the columns (on
// the worker's hot path) and the writer (as each file is finished). Part of `npm run bench`;
// `BENCH_ONLY=parquet bash bench/run.sh` runs it alone and rewrites only its section of docs/BENCHMARKS.md.
import type { Compression, ParquetCompression } from "../common/record-format.js";
import { parseColumns, type Column } from "../common/table-columns.js";
import { readRow } from "../main/core/exporters/parquet/column-values.js";
import { parquetBody } from "../main/core/exporters/parquet/parquet-body.js";
import { parquetTable } from "../main/core/exporters/parquet/parquet-table.js";
import { mib } from "./memory.js";
import { machine, median, runStamp, writeBenchmarkSection } from "./report.js";
import { assertExactlyOnce, createBucket, readBack, startGofakes3 } from "./s3-servers.js";
import { drain } from "./streamdrop-drain.js";
import { clickstreamColumns, clickstreamEvent, preload } from "./workload.js";

export interface ParquetVariant {
  /** As the table names it: the file's suffix and codec. */
  label: string;
  /** JSON Lines' whole-file compression, or Parquet's own codec. */
  jsonl?: Compression;
  parquet?: ParquetCompression;
}

export const parquetVariants: ParquetVariant[] = [
  { label: ".jsonl", jsonl: "none" },
  { label: ".jsonl.zst", jsonl: "zstd" },
  { label: ".parquet, zstd", parquet: "zstd" },
  { label: ".parquet, snappy", parquet: "snappy" },
];

/** One drain's numbers. */
export interface DrainRun {
  /** Steady events per second. */
  rate: number;
  bytesStored: number;
  files: number;
  /** µs of CPU per event: the worker, the broker, the store. */
  workerUs: number;
  brokerUs: number;
  storeUs: number;
  peakRss: number;
}

/** A variant's runs and, in each column, their median. */
export interface ParquetRow extends DrainRun {
  variant: ParquetVariant;
  events: number;
  runs: DrainRun[];
}

export interface ParquetReport {
  date: string;
  commit: string;
  events: number;
  bytesPerEvent: number;
  maxBatchMb: number;
  rows: ParquetRow[];
  /** The format's own costs in this process, µs per event, the best of five passes over `sample` events. */
  inProcess: { sample: number; checkUs: number; writerUs: Record<ParquetCompression, number>; linesUs: number };
}

/** Each column's median over the runs (a column of CPU is steadier than the rate it came with, so each is taken on its own). */
export function summarize(variant: ParquetVariant, events: number, runs: DrainRun[]): ParquetRow {
  if (runs.length === 0) throw new Error(`No runs of ${variant.label} to summarize.`);
  const of = (pick: (run: DrainRun) => number) => median(runs.map(pick));
  return {
    variant,
    events,
    runs,
    rate: of((run) => run.rate),
    bytesStored: of((run) => run.bytesStored),
    files: of((run) => run.files),
    workerUs: of((run) => run.workerUs),
    brokerUs: of((run) => run.brokerUs),
    storeUs: of((run) => run.storeUs),
    peakRss: of((run) => run.peakRss),
  };
}

export async function measureParquet(brokers: string, events: number, repeat: number, maxBatchMb: number, say: (text: string) => void): Promise<ParquetReport> {
  const topic = `bench-parquet-${Date.now().toString(36)}`;
  say(`Parquet beside JSON Lines: preloading ${events.toLocaleString("en")} events into ${topic}...`);
  const bytes = await preload(brokers, topic, events);
  const runs = new Map<ParquetVariant, DrainRun[]>(parquetVariants.map((variant) => [variant, []]));
  // The variants take turns (round by round), so a slow spell of this shared machine falls on all of them alike.
  for (let round = 0; round < repeat; round += 1) {
    for (const variant of parquetVariants) {
      const server = await startGofakes3();
      try {
        const bucket = `pq-${round}-${variant.parquet ?? variant.jsonl}-${variant.parquet ? "p" : "j"}-${topic}`.slice(0, 63);
        await createBucket(server, bucket);
        const result = await drain({
          brokers,
          topic,
          server,
          bucket,
          events,
          workers: 1,
          intervalSeconds: 5,
          maxBatchMb,
          ...(variant.jsonl ? { compression: variant.jsonl } : {}),
          ...(variant.parquet ? { parquet: { columns: clickstreamColumns, compression: variant.parquet } } : {}),
        });
        const invalid = result.stored.filter((entry) => entry.kind === "invalid").reduce((total, entry) => total + entry.records, 0);
        if (invalid > 0) throw new Error(`${variant.label}: ${invalid} events went to -invalid files; the bench's columns no longer fit its events.`);
        assertExactlyOnce(`Streamdrop (${variant.label} files)`, await readBack(server, bucket, "", events), events);
        const files = new Set(result.stored.filter((entry) => entry.kind === "events").map((entry) => entry.key)).size;
        const run: DrainRun = {
          rate: result.steadyRate,
          bytesStored: result.bytesStored,
          files,
          workerUs: result.cpu.reader,
          brokerUs: result.cpu.broker,
          storeUs: result.cpu.store ?? 0,
          peakRss: result.peakRss,
        };
        runs.get(variant)!.push(run);
        say(
          `  ${variant.label}, run ${round + 1}: ${Math.round(run.rate).toLocaleString("en")} events/s steady, ${(run.bytesStored / 1e6).toFixed(1)} MB in ${files} files, worker ${run.workerUs.toFixed(2)} µs/event, ${mib(run.peakRss)} MiB, exactly once.`,
        );
      } finally {
        server.stop();
      }
    }
  }
  say("  the format's own costs in this process...");
  return {
    ...runStamp(events, bytes, maxBatchMb),
    rows: parquetVariants.map((variant) => summarize(variant, events, runs.get(variant)!)),
    inProcess: await formatCosts(Math.min(events, 100_000)),
  };
}

/**
 * The Parquet format's own CPU per event, in this process (one thread, nothing else of a drain):
 * the check each record gets as it joins a batch (its line parsed and held against the columns),
 * and the writer making a file of the lines (Arrow row groups into the wasm encoder), against
 * gathering the same lines alone. The best of five passes, so a busy neighbour counts least.
 */
async function formatCosts(sample: number): Promise<ParquetReport["inProcess"]> {
  const columns = (parseColumns(clickstreamColumns) as { columns: Column[] }).columns;
  const table = parquetTable(["value"], columns);
  const lines = Array.from({ length: sample }, (_, id) => clickstreamEvent(id));
  const best = async (work: () => unknown) => {
    let fastest = Infinity;
    for (let pass = 0; pass < 5; pass += 1) {
      const before = process.cpuUsage();
      await work();
      const used = process.cpuUsage(before);
      fastest = Math.min(fastest, (used.user + used.system) / sample);
    }
    return fastest;
  };
  const body = Buffer.from(`${lines.join("\n")}\n`);
  const linesUs = await best(() => Buffer.from(`${lines.join("\n")}\n`));
  const checkUs = await best(() => {
    for (const line of lines) if ("misfit" in readRow(line, table.rowOf)) throw new Error(`A bench event does not fit its columns: ${line}`);
  });
  const writerUs = {} as Record<ParquetCompression, number>;
  for (const compression of ["zstd", "snappy", "gzip", "none"] as const) writerUs[compression] = await best(() => parquetBody(body, table, compression));
  return { sample, checkUs, writerUs, linesUs };
}

const start = "<!-- bench:parquet:start (bench/parquet-files.ts rewrites this part) -->";
const end = "<!-- bench:parquet:end -->";
const thousands = (value: number) => Math.round(value).toLocaleString("en");

export function parquetMarkdown(report: ParquetReport): string {
  const plain = report.rows.find((row) => row.variant.jsonl === "none")!;
  const zstd = report.rows.find((row) => row.variant.jsonl === "zstd");
  const repeat = plain.runs.length;
  const costs = report.inProcess;
  return [
    `Run on ${report.date} at commit ${report.commit}, on ${machine()}; ${thousands(report.events)} clickstream events of ${report.bytesPerEvent} bytes on average in 6 partitions, 1 worker into gofakes3, ${report.maxBatchMb} MiB batches, 5 s interval; ${repeat} run${repeat === 1 ? "" : "s"} of each, the variants taking turns, each column the median of the runs.`,
    "",
    `| files | events/s steady | × .jsonl | MB stored | × .jsonl's bytes | ${zstd ? "× .jsonl.zst's bytes | " : ""}stored bytes per event | files stored | worker CPU (µs/event) | × .jsonl | broker, store CPU (µs/event) | worker peak RSS (MiB) | runs (events/s; worker µs/event) |`,
    `| --- | --- | --- | --- | --- | ${zstd ? "--- | " : ""}--- | --- | --- | --- | --- | --- | --- |`,
    ...report.rows.map(
      (row) =>
        `| ${row.variant.label} | ${thousands(row.rate)} | ${(row.rate / plain.rate).toFixed(2)} | ${(row.bytesStored / 1e6).toFixed(1)} | ${(row.bytesStored / plain.bytesStored).toFixed(3)} | ${zstd ? `${(row.bytesStored / zstd.bytesStored).toFixed(2)} | ` : ""}${(row.bytesStored / row.events).toFixed(1)} | ${thousands(row.files)} | ${row.workerUs.toFixed(2)} | ${(row.workerUs / plain.workerUs).toFixed(2)} | ${row.brokerUs.toFixed(2)}, ${row.storeUs.toFixed(2)} | ${mib(row.peakRss)} | ${row.runs.map((run) => `${thousands(run.rate)}; ${run.workerUs.toFixed(2)}`).join(" · ")} |`,
    ),
    "",
    `**The format's own cost** in the bench's process (one thread, the best of five passes over ${thousands(costs.sample)} of these events), µs of CPU per event: ` +
      `each record checked against the columns as it joins a batch (its line parsed and held to them, on the worker's hot path) **${costs.checkUs.toFixed(2)}**; ` +
      `the writer making the file from the lines (Arrow row groups into parquet-wasm) **${costs.writerUs.zstd.toFixed(2)}** with zstd, ${costs.writerUs.snappy.toFixed(2)} snappy, ${costs.writerUs.gzip.toFixed(2)} gzip, ${costs.writerUs.none.toFixed(2)} uncompressed; ` +
      `against ${costs.linesUs.toFixed(2)} for joining the same lines into one body.`,
  ].join("\n");
}

export function writeParquetReport(report: ParquetReport): void {
  writeBenchmarkSection({ start, end }, parquetMarkdown(report));
}
