// Streamdrop's files plain, gzip and zstd (`--compression`): the same events drained by one worker
// into gofakes3 with each setting, every drain read back (decompressed) and held to exactly once;
// the steady rate, the bytes stored, the workers' CPU per event and their peak RSS. Part of `npm
// run bench`; `npm run bench:files` runs it alone and rewrites only its section of docs/BENCHMARKS.md.
import { compressionFormats, compressions, type Compression } from "../common/record-format.js";
import { mib } from "./memory.js";
import { machine, writeBenchmarkSection } from "./report.js";
import { assertExactlyOnce, createBucket, readBack, startGofakes3 } from "./s3-servers.js";
import { drain } from "./streamdrop-drain.js";
import { preload } from "./workload.js";

export interface FileCompressionRow {
  compression: Compression;
  events: number;
  /** Steady events per second, the median of the runs. */
  rate: number;
  rates: number[];
  /** Bytes of the events files as stored (the median run's). */
  bytesStored: number;
  /** The workers' CPU per event, µs (the median run's). */
  workerUs: number;
  peakRss: number;
}

export async function measureFileCompression(
  brokers: string,
  events: number,
  repeat: number,
  maxBatchMb: number,
  say: (text: string) => void,
): Promise<FileCompressionRow[]> {
  const topic = `bench-files-${Date.now().toString(36)}`;
  say(`Compressed files: preloading ${events.toLocaleString("en")} events into ${topic}...`);
  await preload(brokers, topic, events);
  const rows: FileCompressionRow[] = [];
  for (const compression of compressions) {
    const runs: Array<{ rate: number; bytesStored: number; workerUs: number; peakRss: number }> = [];
    for (let i = 0; i < repeat; i += 1) {
      const server = await startGofakes3();
      try {
        const bucket = `files-${compression}-${i}-${topic}`.slice(0, 63);
        await createBucket(server, bucket);
        const result = await drain({ brokers, topic, server, bucket, events, workers: 1, intervalSeconds: 5, maxBatchMb, compression });
        assertExactlyOnce(`Streamdrop (${compression} files)`, await readBack(server, bucket, "", events), events);
        runs.push({ rate: result.steadyRate, bytesStored: result.bytesStored, workerUs: result.cpu.reader, peakRss: result.peakRss });
      } finally {
        server.stop();
      }
    }
    runs.sort((a, b) => a.rate - b.rate);
    const median = runs[Math.floor(runs.length / 2)]!;
    rows.push({ compression, events, rates: runs.map((run) => run.rate), ...median });
    say(
      `  ${compressionFormats[compression].suffix}: ${Math.round(median.rate).toLocaleString("en")} events/s steady, ${(median.bytesStored / 1e6).toFixed(1)} MB stored, exactly once.`,
    );
  }
  return rows;
}

const start = "<!-- bench:files:start (bench/file-compression.ts rewrites this part) -->";
const end = "<!-- bench:files:end -->";
const thousands = (value: number) => Math.round(value).toLocaleString("en");

export function fileCompressionMarkdown(rows: FileCompressionRow[]): string {
  const plain = rows.find((row) => row.compression === "none")!;
  return [
    `Run on ${new Date().toISOString().slice(0, 10)} on ${machine()}; ${thousands(plain.events)} clickstream events, 1 worker into gofakes3, the median of ${plain.rates.length} run${plain.rates.length === 1 ? "" : "s"} by steady rate.`,
    "",
    "| files | events/s steady | × plain | MB stored | × plain's bytes | stored bytes per event | workers' CPU (µs/event) | peak RSS (MiB) | runs (events/s) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map(
      (row) =>
        `| ${compressionFormats[row.compression].suffix} | ${thousands(row.rate)} | ${(row.rate / plain.rate).toFixed(2)} | ${(row.bytesStored / 1e6).toFixed(1)} | ${(row.bytesStored / plain.bytesStored).toFixed(3)} | ${(row.bytesStored / row.events).toFixed(1)} | ${row.workerUs.toFixed(2)} | ${mib(row.peakRss)} | ${row.rates.map(thousands).join(", ")} |`,
    ),
  ].join("\n");
}

export function writeFileCompressionReport(rows: FileCompressionRow[]): void {
  writeBenchmarkSection({ start, end }, fileCompressionMarkdown(rows));
}
