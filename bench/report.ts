// Writes a run's results into docs/BENCHMARKS.md (between markers, so the prose around them
// stays hand-written) and draws the throughput chart as a PNG with Debian's Chromium.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { repoRoot } from "../stack/paths.js";
import type { LatencyResult } from "./latency.js";
import { mib } from "./memory.js";
import type { CpuPerEvent } from "./cpu.js";
import type { StoreAlone } from "./store-alone.js";

export interface ThroughputRow {
  /** What drained or read the topic, e.g. "Streamdrop, 2 workers". */
  contender: string;
  /** Where it wrote, or "discarded" for the raw consumers. */
  store: string;
  events: number;
  seconds: number;
  bytes: number;
  /** Events per second once running (start-up left out), when it differs from events / seconds. */
  steadyRate?: number;
  /** Peak resident memory of the process(es) doing the work, when measured. */
  peakRss?: number;
  /** CPU per event by part, when measured. */
  cpu?: CpuPerEvent;
}

export interface Report extends RunStamp {
  preloadSeconds: number;
  kafkajsRawRate: number;
  kcatRawRate: number;
  rows: ThroughputRow[];
  /** The store on its own, one and two files in flight. */
  storeAlone: StoreAlone[];
  /** Streamdrop against kcat on topics whose producer compressed the batches. */
  codecDrains: CodecDrain[];
  latency?: LatencyResult;
  /** Streamdrop's worker peak RSS draining each backlog size. */
  memory: Array<{ events: number; peakRss: number; rate: number }>;
  notes: string[];
}

export interface CodecDrain {
  codec: string;
  events: number;
  kcatRate: number;
  /** One worker into gofakes3, steady. */
  streamdropRate: number;
  peakRss: number;
}

const start = "<!-- bench:results:start (bench/main.ts rewrites this part) -->";
const end = "<!-- bench:results:end -->";
const chartFile = join("docs", "benchmarks", "throughput.png");

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export type RunStamp = ReturnType<typeof runStamp>;

/** What a drain part's report says of its run: when, at which commit, and its workload. */
export function runStamp(events: number, bytes: number, maxBatchMb: number) {
  return { date: new Date().toISOString().slice(0, 10), commit: commit(), events, bytesPerEvent: Math.round(bytes / events), maxBatchMb };
}

/** The rate compared across contenders: steady when known, else over the whole time. */
export const rateOf = (row: ThroughputRow) => row.steadyRate || row.events / row.seconds;
const thousands = (value: number) => Math.round(value).toLocaleString("en");

export function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, kafkajs 2.2.4, Kafka 4.3.1`;
}

/**
 * The commit a part's numbers are from; `-dirty` when files other than the docs (which the bench
 * itself rewrites as it goes) differ from it, so that a run of uncommitted code says so.
 */
export function commit(): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repoRoot, encoding: "utf8" }).trim();
    const changed = execFileSync("git", ["status", "--porcelain", "--untracked-files=no", "--", ".", ":!docs"], { cwd: repoRoot, encoding: "utf8" }).trim();
    return changed ? `${head}-dirty` : head;
  } catch {
    return "?";
  }
}

export function markdown(report: Report): string {
  const raw = report.kafkajsRawRate;
  const ratio = (value: number) => (value / raw).toFixed(2);
  const kcatRatio = (value: number) => (value / report.kcatRawRate).toFixed(2);
  const lines = [
    `Run on ${report.date} at commit ${report.commit}, on ${machine()}; ${thousands(report.events)} events of ${report.bytesPerEvent} bytes on average in 6 partitions (preloaded in ${report.preloadSeconds.toFixed(1)} s with kcat).`,
    "",
    "| contender | store | events | seconds from start | events/s from start | events/s steady | × kcat raw | × kafkajs raw | MB/s | peak RSS (MiB) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...report.rows.map(
      (row) =>
        `| ${row.contender} | ${row.store} | ${thousands(row.events)} | ${row.seconds.toFixed(1)} | ${thousands(row.events / row.seconds)} | ${row.steadyRate ? thousands(row.steadyRate) : "–"} | ${kcatRatio(rateOf(row))} | ${ratio(rateOf(row))} | ${((rateOf(row) * row.bytes) / row.events / 1e6).toFixed(1)} | ${row.peakRss ? mib(row.peakRss) : "–"} |`,
    ),
    "",
    ...cpuTable(report),
    ...storeAloneLine(report),
  ];
  if (report.latency) {
    const l = report.latency;
    lines.push(
      `**Latency** at a steady ${thousands(l.rate)} events/s for ${l.seconds} s (${thousands(l.events)} events), ${l.intervalSeconds} s interval, from produce to stored: ` +
        `p50 ${(l.p50Ms / 1000).toFixed(1)} s, p95 ${(l.p95Ms / 1000).toFixed(1)} s, max ${(l.maxMs / 1000).toFixed(1)} s ` +
        `(goal: p95 within ${l.intervalSeconds + 1} s); worker peak RSS ${mib(l.peakRss)} MiB.`,
      "",
    );
  }
  if (report.codecDrains.length > 0) {
    lines.push(
      "**Compressed topics** (the same events, compressed by kcat's producer; Streamdrop with 1 worker into gofakes3, steady, against kcat reading the same topic):",
      "",
      "| codec | kcat raw | Streamdrop, 1 worker | × kcat | peak RSS (MiB) |",
      "| --- | --- | --- | --- | --- |",
      ...report.codecDrains.map(
        (row) =>
          `| ${row.codec} | ${thousands(row.kcatRate)} | ${thousands(row.streamdropRate)} | ${(row.streamdropRate / row.kcatRate).toFixed(2)} | ${mib(row.peakRss)} |`,
      ),
      "",
    );
  }
  if (report.memory.length > 0) {
    lines.push(
      `**Memory against backlog** (one worker, gofakes3): ${report.memory.map((m) => `${thousands(m.events)} events → ${mib(m.peakRss)} MiB peak RSS (${thousands(m.rate)} events/s steady)`).join("; ")}.`,
      "",
    );
  }
  for (const note of report.notes) lines.push(`- ${note}`);
  if (report.notes.length > 0) lines.push("");
  lines.push(`![Drain and consume rates, events per second](benchmarks/throughput.png)`);
  return lines.join("\n");
}

/**
 * Where the CPU goes, per event: on a machine of few cores, the broker and the store share them
 * with the reader, so a rate is reachable only while the three together fit in the cores.
 */
function cpuTable(report: Report): string[] {
  const measured = report.rows.filter((row) => row.cpu);
  if (measured.length === 0) return [];
  const cores = cpus().length;
  const goal = 0.8 * report.kcatRawRate;
  const us = (value: number | undefined) => (value === undefined ? "–" : value.toFixed(2));
  return [
    `**Where the CPU goes** (µs of CPU per event, read from /proc; Streamdrop's from the group settling to the end). ${cores} cores give ${us((cores * 1e6) / goal)} µs per event in all at 0.8 × kcat raw (${thousands(goal)} events/s):`,
    "",
    "| contender | broker | reader (kcat, kafkajs, the workers) | store | in all | cores busy |",
    "| --- | --- | --- | --- | --- | --- |",
    ...measured.map((row) => {
      const cpu = row.cpu!;
      const total = cpu.broker + cpu.reader + (cpu.store ?? 0);
      return `| ${row.contender}${row.store === "discarded" ? "" : ` into ${row.store}`} | ${us(cpu.broker)} | ${us(cpu.reader)} | ${us(cpu.store)} | ${us(total)} | ${((total * rateOf(row)) / 1e6).toFixed(2)} |`;
    }),
    "",
  ];
}

/** How fast the store takes files with nothing else running: the bound of a drain with one file in flight. */
function storeAloneLine(report: Report): string[] {
  if (report.storeAlone.length === 0) return [];
  const size = `${mib(report.storeAlone[0]!.fileBytes)} MiB`;
  const each = report.storeAlone.map((s) => {
    const eventsPerSecond = (s.fileBytes / report.bytesPerEvent / s.msPerFile) * 1000;
    return `${s.inFlight} in flight, ${s.msPerFile.toFixed(0)} ms per file (${thousands(eventsPerSecond)} events/s at most; gofakes3 ${s.storeCpuMsPerFile.toFixed(0)} ms of CPU per file, the uploading side ${s.clientCpuMsPerFile.toFixed(0)} ms)`;
  });
  return [
    `**The store alone** (${size} batch files into a fresh gofakes3 through the worker's own object store, nothing else running): ${each.join("; ")}.`,
    "",
  ];
}

export function writeReport(report: Report): void {
  writeBenchmarkSection({ start, end }, markdown(report));
}

/** Replaces what lies between a part's markers in docs/BENCHMARKS.md; the prose around them stays. */
export function writeBenchmarkSection(markers: { start: string; end: string }, body: string): void {
  const file = join(repoRoot, "docs", "BENCHMARKS.md");
  const text = readFileSync(file, "utf8");
  const from = text.indexOf(markers.start);
  const to = text.indexOf(markers.end);
  if (from < 0 || to < from) throw new Error(`docs/BENCHMARKS.md lost its markers (${markers.start} ... ${markers.end}); put them back.`);
  writeFileSync(file, `${text.slice(0, from + markers.start.length)}\n${body}\n${text.slice(to)}`);
}

/** A horizontal bar per contender, with the kafkajs raw rate as the 1.0 line. */
export function chartSvg(report: Report): string {
  const width = 900;
  const barHeight = 34;
  const left = 300;
  const top = 56;
  const height = top + report.rows.length * (barHeight + 12) + 40;
  const max = Math.max(...report.rows.map(rateOf));
  // Room on the right for the longest bar's label.
  const x = (value: number) => left + ((width - left - 190) * value) / max;
  const bars = report.rows.map((row, i) => {
    const y = top + i * (barHeight + 12);
    const colour = row.contender.startsWith("Streamdrop") ? "#2f7cf6" : row.store === "discarded" ? "#9aa3b5" : "#e08a00";
    return `<text x="${left - 10}" y="${y + 15}" text-anchor="end" font-size="14">${escape(row.contender)}</text>
      <text x="${left - 10}" y="${y + 31}" text-anchor="end" font-size="12" fill="#5b6477">${escape(row.store)}</text>
      <rect x="${left}" y="${y}" width="${x(rateOf(row)) - left}" height="${barHeight}" fill="${colour}" rx="3"/>
      <text x="${x(rateOf(row)) + 6}" y="${y + 22}" font-size="13">${thousands(rateOf(row))}/s (${(rateOf(row) / report.kafkajsRawRate).toFixed(2)}×)</text>`;
  });
  const raw = x(report.kafkajsRawRate);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans, sans-serif">
    <rect width="100%" height="100%" fill="#ffffff"/>
    <text x="20" y="30" font-size="18" font-weight="bold">Draining ${thousands(report.events)} events (6 partitions), events per second</text>
    ${bars.join("\n")}
    <line x1="${raw}" x2="${raw}" y1="${top - 8}" y2="${height - 30}" stroke="#d93025" stroke-dasharray="4 4"/>
    <text x="${raw}" y="${height - 12}" text-anchor="middle" font-size="12" fill="#d93025">kafkajs raw limit</text>
  </svg>`;
}

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;");

export async function writeChart(report: Report): Promise<string> {
  const svg = chartSvg(report);
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const page = await browser.newPage();
    const size = /width="(\d+)" height="(\d+)"/.exec(svg)!;
    await page.setViewportSize({ width: Number(size[1]), height: Number(size[2]) });
    await page.setContent(`<html><body style="margin:0">${svg}</body></html>`);
    mkdirSync(join(repoRoot, "docs", "benchmarks"), { recursive: true });
    await page.screenshot({ path: join(repoRoot, chartFile) });
  } finally {
    await browser.close();
  }
  return chartFile;
}
