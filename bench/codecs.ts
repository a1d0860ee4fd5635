// Consume-and-gather rate per Kafka codec: the same clickstream events preloaded by kcat
// (librdkafka) once per codec, then read as a worker reads them (kafkajs with the batch-level fetch
// decoder, each record batch decompressed once, every value checked and copied into 16 MiB batch
// files, nothing uploaded), timed from the first fetch request to the last event; beside it kcat
// reading the same topic, and the bytes each codec keeps on the broker's disk. Part of `npm run
// bench`; `npm run bench:codecs` runs it alone and rewrites only its section of docs/BENCHMARKS.md.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { Batch } from "../main/core/exporters/files/batch.js";
import { decodeFetchResponse, type FetchedEntry } from "../main/core/streams/fetch-response.js";
import { codecNames, type CodecName } from "../main/core/streams/codecs.js";
import { kafkaClient } from "../main/core/streams/kafka-client.js";
import { stackKafka } from "../stack/kafka.js";
import { machine, median, writeBenchmarkSection } from "./report.js";
import { kcatRawRead } from "./raw-consume.js";
import { preload } from "./workload.js";

export interface CodecRow {
  codec: CodecName;
  events: number;
  /** Median of the runs. */
  rate: number;
  rates: number[];
  /** kcat reading the same topic and discarding it (the median of as many runs). */
  kcatRate: number;
  /** The topic's log segments on the broker's disk. */
  diskBytes: number;
  payloadBytes: number;
}

/** Streamdrop's reading path over the whole topic, gathering 16 MiB batches as a worker does; events per second. */
async function consumeAndGather(brokers: string, topic: string, events: number): Promise<number> {
  const consumer = kafkaClient({ brokers: [brokers], ssl: false }, "bench-codecs").consumer({
    groupId: `bench-codecs-${Date.now()}-${Math.random()}`,
    decodeFetchResponse,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let bytes = 0;
  let started = 0;
  const batch = new Batch();
  consumer.on(consumer.events.FETCH_START, () => (started ||= Date.now()));
  const elapsed = new Promise<number>((resolve, reject) => {
    consumer
      .run({
        autoCommit: false,
        eachBatch: async ({ batch: fetched }) => {
          const before = batch.size;
          for (const entry of fetched.messages as FetchedEntry[]) batch.addEntry(fetched.partition, entry, { from: Number(fetched.fetchedOffset) });
          seen += batch.size - before;
          if (batch.bytes >= 16 * 1024 * 1024 || seen >= events) {
            bytes += batch.content().events?.length ?? 0;
            batch.release();
          }
          if (seen >= events) resolve(Date.now() - started);
        },
      })
      .catch(reject);
  });
  const ms = await elapsed;
  await consumer.disconnect();
  if (bytes === 0) throw new Error(`nothing gathered from ${topic}`);
  return Math.round(events / (ms / 1000));
}

function diskBytes(topic: string): number {
  const logs = join(stackKafka().dataDir, "logs");
  return readdirSync(logs)
    .filter((dir) => dir.startsWith(`${topic}-`))
    .flatMap((dir) =>
      readdirSync(join(logs, dir))
        .filter((file) => file.endsWith(".log"))
        .map((file) => statSync(join(logs, dir, file)).size),
    )
    .reduce((total, size) => total + size, 0);
}

export async function measureCodecs(brokers: string, events: number, runs: number, say: (text: string) => void): Promise<CodecRow[]> {
  const rows: CodecRow[] = [];
  const tag = Date.now().toString(36);
  for (const codec of codecNames) {
    const topic = `bench-codec-${codec}-${tag}`;
    say(`Codec ${codec}: preloading ${events.toLocaleString("en")} events with kcat, then reading and gathering ${runs} times, with kcat beside...`);
    const payloadBytes = await preload(brokers, topic, events, codec);
    const rates: number[] = [];
    const kcatRates: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      rates.push(await consumeAndGather(brokers, topic, events));
      kcatRates.push((await kcatRawRead(brokers, topic, events)).rate);
    }
    rows.push({ codec, events, rate: median(rates), rates, kcatRate: median(kcatRates), diskBytes: diskBytes(topic), payloadBytes });
    say(
      `  ${rows.at(-1)!.rate.toLocaleString("en")} events/s, kcat ${rows.at(-1)!.kcatRate.toLocaleString("en")} (runs: ${rates.map((rate) => rate.toLocaleString("en")).join(", ")}).`,
    );
  }
  return rows;
}

const start = "<!-- bench:codecs:start (bench/codecs.ts rewrites this part) -->";
const end = "<!-- bench:codecs:end -->";

export function codecMarkdown(rows: CodecRow[]): string {
  const none = rows.find((row) => row.codec === "none")!;
  const thousands = (value: number) => Math.round(value).toLocaleString("en");
  return [
    `Run on ${new Date().toISOString().slice(0, 10)} on ${machine()}; ${thousands(none.events)} clickstream events of ${Math.round(none.payloadBytes / none.events)} bytes per codec, preloaded by kcat; the median of ${none.rates.length} runs.`,
    "",
    "| codec | events/s read and gathered | × uncompressed | kcat raw, same topic | × kcat | bytes on the broker's disk | × uncompressed | runs (events/s) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map(
      (row) =>
        `| ${row.codec} | ${thousands(row.rate)} | ${(row.rate / none.rate).toFixed(2)} | ${thousands(row.kcatRate)} | ${(row.rate / row.kcatRate).toFixed(2)} | ${(row.diskBytes / 1e6).toFixed(1)} MB | ${(row.diskBytes / none.diskBytes).toFixed(2)} | ${row.rates.map(thousands).join(", ")} |`,
    ),
  ].join("\n");
}

export function writeCodecReport(rows: CodecRow[]): void {
  writeBenchmarkSection({ start, end }, codecMarkdown(rows));
}
