// The benchmark, in one run (`npm run bench`; docs/BENCHMARKS.md explains it):
//   1. preload a 6-partition topic with BENCH_EVENTS (1,000,000) clickstream events (kcat);
//   2. the raw limits: kafkajs and kcat consuming the whole topic and discarding it;
//   3. Streamdrop draining it into gofakes3 with 1 and 2 workers, and into moto;
//   4. the peer (Kafka Connect 4.3.1 standalone with an S3 sink) draining the same topic into gofakes3;
//   5. latency at a steady 20,000 events/s with a 10 s interval;
//   6. Streamdrop's peak RSS at BENCH_BIG_EVENTS (5,000,000) events of backlog;
//   7. Streamdrop against kcat on an lz4 and a zstd topic of BENCH_EVENTS events;
//   8. each Kafka codec's read-and-gather rate (BENCH_CODEC_EVENTS, 300,000 per codec);
//   9. Streamdrop's files plain, gzip and zstd (--compression): rate and bytes stored;
//  10. an Avro topic (confluent-kafka's AvroSerializer, BENCH_AVRO_EVENTS, 1,000,000): one worker decoding it against kcat, and the decoder's CPU per event;
//  11. Parquet files beside JSON Lines (BENCH_EVENTS): rate, bytes stored, the worker's CPU per event and peak RSS, and the format's own costs.
//  12. the worker's own cost (BENCH_COST_EVENTS, 3,000,000 per codec): its CPU per event against kcat's on plain, lz4 and zstd topics into
//      the discard store (over plain HTTP, and over HTTPS as S3 is reached), two workers as threads of one host and as a
//      process each, the gather kernel alone, and five idle exporters' CPU and memory.
//  13. what each store costs a worker thread: its SDK loaded from the built bundle and 50 small files stored (bench/store-footprint.ts).
// Every drain is read back and must hold every event exactly once, or the run fails.
// BENCH_SKIP=peer,latency,big,moto,workers2,codec-drains,codecs,files,avro,parquet,idle,cost-workers2,cost-https,stores leaves parts out (the report says which ran);
// BENCH_ONLY=codecs, files, avro, parquet, cost or stores runs that part alone (`npm run bench:codecs`, `npm run bench:files`, `npm run bench:avro`,
// `npm run bench:parquet`, `npm run bench:cost`, `npm run bench:stores`);
// BENCH_REPEAT (3) runs each gofakes3 drain that many times and reports the median.
import { up, down } from "../stack/stack.js";
import { measureLatency } from "./latency.js";
import { kafkajsRawRead, kcatRawRead } from "./raw-consume.js";
import { measureStoreAlone } from "./store-alone.js";
import { rateOf, runStamp, writeChart, writeReport, type CodecDrain, type Report, type ThroughputRow } from "./report.js";
import { assertExactlyOnce, createBucket, moto, readBack, startGofakes3, type S3Server } from "./s3-servers.js";
import { drain } from "./streamdrop-drain.js";
import { preload } from "./workload.js";
import { runPeer } from "./peer-run.js";
import { measureCodecs, writeCodecReport } from "./codecs.js";
import { measureFileCompression, writeFileCompressionReport } from "./file-compression.js";
import { measureAvro, writeAvroReport } from "./avro.js";
import { measureParquet, writeParquetReport } from "./parquet-files.js";
import { measureWorkerCost, writeCostReport } from "./worker-cost.js";
import { measureStoreFootprints, writeStoreFootprintReport } from "./store-footprint.js";

const events = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const bigEvents = Number(process.env.BENCH_BIG_EVENTS ?? 5_000_000);
const maxBatchMb = Number(process.env.BENCH_MAX_BATCH_MB ?? 16);
const skip = new Set((process.env.BENCH_SKIP ?? "").split(",").filter(Boolean));
/** Runs per gofakes3 drain; the median is reported (this machine's numbers vary run to run). */
const repeat = Number(process.env.BENCH_REPEAT ?? 3);
const codecEvents = Number(process.env.BENCH_CODEC_EVENTS ?? 300_000);
const avroEvents = Number(process.env.BENCH_AVRO_EVENTS ?? 1_000_000);
/** The worker-cost drains: long enough (about ten seconds each) that start-up and the last cut weigh little in the rate and the CPU per event. */
const costEvents = Number(process.env.BENCH_COST_EVENTS ?? 3_000_000);
const only = process.env.BENCH_ONLY;
const say = (text: string) => console.log(`[bench] ${text}`);
const run = Date.now().toString(36);

/** Streamdrop drains `topic` into a fresh bucket and must deliver every event exactly once. */
async function streamdropRow(
  brokers: string,
  topic: string,
  count: number,
  bytes: number,
  server: S3Server,
  workers: number,
  notes: string[] = [],
): Promise<ThroughputRow> {
  const bucket = `sd-${workers}w-${topic}`.slice(0, 63);
  await createBucket(server, bucket);
  say(`Streamdrop, ${workers} worker(s), into ${server.name}...`);
  const result = await drain({ brokers, topic, server, bucket, events: count, workers, intervalSeconds: 5, maxBatchMb });
  assertExactlyOnce(`Streamdrop (${workers} workers, ${server.name})`, await readBack(server, bucket, "", count), count);
  const row = {
    contender: `Streamdrop, ${workers} worker${workers > 1 ? "s" : ""}`,
    store: server.name,
    events: count,
    seconds: result.seconds,
    steadyRate: result.steadyRate,
    bytes,
    peakRss: result.peakRss,
    cpu: result.cpu,
  };
  say(`  ${Math.round(count / result.seconds).toLocaleString("en")} events/s from start, ${result.steadyRate.toLocaleString("en")} steady, exactly once.`);
  if (!result.settled)
    notes.push(
      `${row.contender} into ${server.name}: one run drained the topic before every worker held partitions (the first drained it alone), so its steady rate and CPU count from the engine's start.`,
    );
  return row;
}

/** `repeat` gofakes3 drains (each with a fresh server, bucket and exporter); the median by steady rate, and a note of the spread. */
async function medianRow(brokers: string, topic: string, bytes: number, workers: number, notes: string[]): Promise<ThroughputRow> {
  const runs: ThroughputRow[] = [];
  for (let i = 0; i < repeat; i += 1) runs.push(await withGofakes3((server) => streamdropRow(brokers, topic, events, bytes, server, workers, notes)));
  runs.sort((a, b) => rateOf(a) - rateOf(b));
  const rates = runs.map((row) => Math.round(rateOf(row)).toLocaleString("en"));
  if (runs.length > 1)
    notes.push(`${runs[0]!.contender} into gofakes3, ${runs.length} runs, steady events/s: ${rates.join(", ")} (the median is in the table).`);
  return runs[Math.floor(runs.length / 2)]!;
}

async function withGofakes3<T>(work: (server: S3Server) => Promise<T>): Promise<T> {
  const server = await startGofakes3();
  try {
    return await work(server);
  } finally {
    server.stop();
  }
}

async function codecPart(brokers: string): Promise<void> {
  writeCodecReport(await measureCodecs(brokers, codecEvents, repeat, say));
  say("Wrote the codec section of docs/BENCHMARKS.md.");
}

async function avroPart(brokers: string, registry: string): Promise<void> {
  writeAvroReport(await measureAvro(brokers, registry, avroEvents, say));
  say("Wrote the Avro section of docs/BENCHMARKS.md.");
}

async function filesPart(brokers: string): Promise<void> {
  writeFileCompressionReport(await measureFileCompression(brokers, events, repeat, maxBatchMb, say));
  say("Wrote the compressed-files section of docs/BENCHMARKS.md.");
}

async function costPart(brokers: string): Promise<void> {
  writeCostReport(
    await measureWorkerCost(brokers, costEvents, repeat, maxBatchMb, say, {
      idle: !skip.has("idle"),
      twoWorkers: !skip.has("cost-workers2"),
      https: !skip.has("cost-https"),
    }),
  );
  say("Wrote the worker-cost section of docs/BENCHMARKS.md.");
}

async function parquetPart(brokers: string): Promise<void> {
  writeParquetReport(await measureParquet(brokers, events, repeat, maxBatchMb, say));
  say("Wrote the Parquet section of docs/BENCHMARKS.md.");
}

async function storesPart(): Promise<void> {
  writeStoreFootprintReport(await measureStoreFootprints(repeat, say));
  say("Wrote the store-footprint section of docs/BENCHMARKS.md.");
}

async function main(): Promise<void> {
  // The stores' footprints need no Kafka.
  if (only === "stores") return await storesPart();
  const stack = await up();
  const brokers = stack.kafkaBrokers;
  const topic = `bench-${run}`;
  try {
    if (only === "codecs") return await codecPart(brokers);
    if (only === "files") return await filesPart(brokers);
    if (only === "avro") return await avroPart(brokers, stack.schemaRegistryUrl);
    if (only === "parquet") return await parquetPart(brokers);
    if (only === "cost") return await costPart(brokers);
    if (only) throw new Error(`BENCH_ONLY=${only}: the parts that run alone are codecs, files, avro, parquet, cost and stores.`);
    say(`Preloading ${events.toLocaleString("en")} events into ${topic} with kcat...`);
    const preloadStart = Date.now();
    const bytes = await preload(brokers, topic, events);
    const preloadSeconds = (Date.now() - preloadStart) / 1000;
    say(`  ${(bytes / 1e6).toFixed(0)} MB in ${preloadSeconds.toFixed(1)} s.`);

    say("Raw limits: kafkajs and kcat consuming and discarding the topic...");
    const kafkajs = await kafkajsRawRead(brokers, topic, events);
    const kcat = await kcatRawRead(brokers, topic, events);
    const [kafkajsRate, kcatRate] = [kafkajs.rate, kcat.rate];
    say(`  kafkajs ${kafkajsRate.toLocaleString("en")}/s, kcat ${kcatRate.toLocaleString("en")}/s.`);
    const rows: ThroughputRow[] = [
      { contender: "kcat (librdkafka), raw consume", store: "discarded", events, seconds: events / kcatRate, bytes, cpu: kcat.cpu },
      { contender: "kafkajs, raw consume", store: "discarded", events, seconds: events / kafkajsRate, bytes, cpu: kafkajs.cpu },
    ];
    const notes: string[] = [];
    say("The store alone: batch files into gofakes3, one and two in flight...");
    const storeAlone = await withGofakes3((server) => measureStoreAlone(server, maxBatchMb));
    say(`  ${storeAlone.map((s) => `${s.inFlight} in flight: ${s.msPerFile.toFixed(0)} ms per file`).join(", ")}.`);

    rows.push(await medianRow(brokers, topic, bytes, 1, notes));
    if (!skip.has("workers2")) rows.push(await medianRow(brokers, topic, bytes, 2, notes));
    if (!skip.has("moto")) rows.push(await streamdropRow(brokers, topic, events, bytes, moto(stack.s3Endpoint), 1));
    if (!skip.has("peer")) {
      const peer = await withGofakes3((server) => runPeer({ brokers, topic, events, bytes, server, say }));
      rows.push(peer.row);
      notes.push(...peer.notes);
    }

    let latency: Report["latency"];
    if (!skip.has("latency")) {
      say("Latency: 20,000 events/s for 60 s, 10 s interval...");
      latency = await withGofakes3((server) =>
        measureLatency({ brokers, server, topic: `bench-latency-${run}`, rate: 20_000, seconds: 60, intervalSeconds: 10, maxBatchMb }),
      );
      say(`  p50 ${latency.p50Ms} ms, p95 ${latency.p95Ms} ms.`);
    }

    const single = rows[2]!;
    const memory: Report["memory"] = [{ events, peakRss: single.peakRss!, rate: rateOf(single) }];
    if (!skip.has("big") && bigEvents > events) {
      const big = `bench-big-${run}`;
      say(`Preloading ${bigEvents.toLocaleString("en")} events into ${big}...`);
      const bigBytes = await preload(brokers, big, bigEvents);
      const row = await withGofakes3((server) => streamdropRow(brokers, big, bigEvents, bigBytes, server, 1));
      memory.push({ events: bigEvents, peakRss: row.peakRss!, rate: rateOf(row) });
    }

    const codecDrains: CodecDrain[] = [];
    if (!skip.has("codec-drains")) {
      for (const codec of ["lz4", "zstd"]) {
        const compressed = `bench-${codec}-${run}`;
        say(`Preloading ${events.toLocaleString("en")} events into ${compressed}, ${codec}-compressed by kcat...`);
        const compressedBytes = await preload(brokers, compressed, events, codec);
        const kcatRate = (await kcatRawRead(brokers, compressed, events)).rate;
        const row = await withGofakes3((server) => streamdropRow(brokers, compressed, events, compressedBytes, server, 1));
        codecDrains.push({ codec, events, kcatRate, streamdropRate: rateOf(row), peakRss: row.peakRss! });
        say(`  ${codec}: kcat ${kcatRate.toLocaleString("en")}/s, Streamdrop ${Math.round(rateOf(row)).toLocaleString("en")}/s.`);
      }
    }

    const report: Report = {
      ...runStamp(events, bytes, maxBatchMb),
      preloadSeconds,
      kafkajsRawRate: kafkajsRate,
      kcatRawRate: kcatRate,
      rows,
      storeAlone,
      codecDrains,
      memory,
      notes,
      ...(latency ? { latency } : {}),
    };
    writeReport(report);
    say(`Wrote docs/BENCHMARKS.md and ${await writeChart(report)}.`);
    if (!skip.has("codecs")) await codecPart(brokers);
    if (!skip.has("files")) await filesPart(brokers);
    if (!skip.has("avro")) await avroPart(brokers, stack.schemaRegistryUrl);
    if (!skip.has("parquet")) await parquetPart(brokers);
    if (!skip.has("cost")) await costPart(brokers);
    if (!skip.has("stores")) await storesPart();
  } finally {
    if (stack.started.length > 0) await down(stack.started);
  }
}

main().catch((error: unknown) => {
  console.error(`Benchmark failed: ${(error as Error).message}`);
  process.exit(1);
});
