// Avro topics: clickstream events that PyPI's confluent-kafka AvroSerializer wrote against the
// stack's Apicurio, drained by one worker that decodes them (into gofakes3, read back exactly
// once), beside kcat reading the same topic raw; and the decoder's own CPU per event, in this
// process: each sampled record made into its line with the registry's schema (compiled once per
// id, then a generated reader and writer per record), against the same records kept as bytes.
// `BENCH_ONLY=avro` runs it alone and rewrites only its section of docs/BENCHMARKS.md.
import { kafkaClient } from "../main/core/streams/kafka-client.js";
import { lineFormat, lineOf, lineRules } from "../main/core/exporters/lines/line-format.js";
import type { KafkaRecord } from "../main/core/exporters/lines/records.js";
import { RegistryClient } from "../main/core/schemas/registry-client.js";
import { SchemaDecoder } from "../main/core/schemas/schema-decoder.js";
import { produceAvro } from "../test/support/schema-producers.js";
import type { CpuPerEvent } from "./cpu.js";
import { kcatRawRead } from "./raw-consume.js";
import { machine, writeBenchmarkSection } from "./report.js";
import { assertExactlyOnce, createBucket, readBack, startGofakes3 } from "./s3-servers.js";
import { drain } from "./streamdrop-drain.js";
import { createTopic } from "./workload.js";

export interface AvroRow {
  events: number;
  /** The average encoded value (the wire format's 5 bytes included). */
  valueBytes: number;
  drainRate: number;
  kcatRate: number;
  workerCpu: CpuPerEvent;
  kcatCpu: CpuPerEvent;
  /** µs of this process's CPU per record made into its line: decoded, and kept as bytes. */
  decodedLineUs: number;
  bytesLineUs: number;
}

const schema = {
  type: "record",
  name: "Click",
  namespace: "bench",
  fields: [
    { name: "id", type: "long" },
    { name: "producedAt", type: { type: "long", logicalType: "timestamp-millis" } },
    {
      name: "strmMeta",
      type: {
        type: "record",
        name: "Meta",
        fields: [
          { name: "schemaId", type: "string" },
          { name: "nonce", type: "long" },
          { name: "keyLink", type: { type: "string", logicalType: "uuid" } },
          { name: "consentLevels", type: { type: "array", items: "int" } },
        ],
      },
    },
    { name: "url", type: "string" },
    { name: "price", type: { type: "bytes", logicalType: "decimal", precision: 10, scale: 2 } },
    { name: "referrer", type: ["null", "string"], default: null },
    { name: "customer", type: { type: "record", name: "Customer", fields: [{ name: "id", type: "string" }] } },
  ],
};

const click = (id: number) => ({
  id,
  producedAt: { $timestamp: "2025-12-05T12:00:00.123000+00:00" },
  strmMeta: { schemaId: "clickstream", nonce: id * 7919, keyLink: { $uuid: "04d243ba-2cc9-4def-b406-7241d4fce7d1" }, consentLevels: [0, 1] },
  url: "https://www.example.com/rules",
  price: { $decimal: `${id % 1000}.99` },
  referrer: id % 3 === 0 ? null : "https://search.example.com/",
  customer: { id: "ATqVzbsKWvI9GH/rTwcI78Behpe5zo30EJMXGyEbP+u0FEZcBRwdP+A=" },
});

/** The topic's first `count` records, as the exporter's line rules see them. */
async function sampleRecords(brokers: string, topic: string, count: number): Promise<KafkaRecord[]> {
  const consumer = kafkaClient({ brokers: [brokers], ssl: false }, "bench-avro-sample").consumer({ groupId: `bench-avro-${Date.now()}` });
  const records: KafkaRecord[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ partition, message }) => {
        if (records.length < count)
          records.push({ partition, offset: message.offset, timestamp: message.timestamp, key: message.key, value: message.value, headers: [] });
        if (records.length >= count) resolve();
      },
    });
  });
  await consumer.disconnect();
  return records;
}

/** µs of CPU per record to make `records` into lines (the best of five passes). */
function lineMicros(records: KafkaRecord[], decoder?: SchemaDecoder): number {
  const format = lineFormat(["offset", "value"], "invalid");
  let best = Infinity;
  for (let pass = 0; pass < 5; pass += 1) {
    const before = process.cpuUsage();
    for (const record of records) lineOf(record, format, "bench", lineRules, decoder);
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / records.length);
  }
  return best;
}

export async function measureAvro(brokers: string, registry: string, events: number, say: (text: string) => void): Promise<AvroRow> {
  const topic = `bench-avro-${Date.now().toString(36)}`;
  await createTopic(brokers, topic);
  say(`Avro: producing ${events.toLocaleString("en")} clickstream events with confluent-kafka's AvroSerializer...`);
  for (let from = 0; from < events; from += 50_000) {
    const records = Array.from({ length: Math.min(50_000, events - from) }, (_, n) => ({ value: click(from + n) }));
    await produceAvro({ brokers, registry, topic, schema, records });
  }
  const kcat = await kcatRawRead(brokers, topic, events);
  say(`  kcat reads it raw at ${kcat.rate.toLocaleString("en")} events/s.`);

  const server = await startGofakes3();
  try {
    const bucket = `sd-avro-${topic}`.slice(0, 63);
    await createBucket(server, bucket);
    const result = await drain({ brokers, topic, server, bucket, events, workers: 1, intervalSeconds: 5, maxBatchMb: 16, schemaRegistry: registry });
    assertExactlyOnce("Streamdrop decoding Avro", await readBack(server, bucket, "", events), events);
    say(`  one worker decoding: ${result.steadyRate.toLocaleString("en")} events/s steady, exactly once.`);

    const sample = await sampleRecords(brokers, topic, 20_000);
    const decoder = new SchemaDecoder(new RegistryClient({ url: registry }));
    await decoder.prepareValues(sample.map((record) => record.value));
    const decodedLineUs = lineMicros(sample, decoder);
    const bytesLineUs = lineMicros(sample);
    say(`  a line: ${decodedLineUs.toFixed(2)} µs decoded, ${bytesLineUs.toFixed(2)} µs kept as bytes.`);
    const valueBytes = sample.reduce((total, record) => total + (record.value?.length ?? 0), 0) / sample.length;
    return { events, valueBytes, drainRate: result.steadyRate, kcatRate: kcat.rate, workerCpu: result.cpu, kcatCpu: kcat.cpu, decodedLineUs, bytesLineUs };
  } finally {
    server.stop();
  }
}

const start = "<!-- bench:avro:start (bench/avro.ts rewrites this part) -->";
const end = "<!-- bench:avro:end -->";

export function avroMarkdown(row: AvroRow): string {
  const thousands = (value: number) => Math.round(value).toLocaleString("en");
  return [
    `Run on ${new Date().toISOString().slice(0, 10)} on ${machine()}; ${thousands(row.events)} Avro clickstream events of ${Math.round(row.valueBytes)} bytes (the schema id included), written by confluent-kafka's AvroSerializer, 6 partitions; one worker into gofakes3, read back exactly once.`,
    "",
    "| | events/s | µs CPU per event: reader | broker | store |",
    "| --- | --- | --- | --- | --- |",
    `| kcat (librdkafka), raw consume | ${thousands(row.kcatRate)} | ${row.kcatCpu.reader.toFixed(2)} | ${row.kcatCpu.broker.toFixed(2)} | |`,
    `| Streamdrop, 1 worker, decoding | ${thousands(row.drainRate)} (${(row.drainRate / row.kcatRate).toFixed(2)} × kcat) | ${row.workerCpu.reader.toFixed(2)} | ${row.workerCpu.broker.toFixed(2)} | ${row.workerCpu.store?.toFixed(2) ?? ""} |`,
    "",
    `The decoder's own cost, one record made into its line in this process (the best of five passes over 20,000 records): **${row.decodedLineUs.toFixed(2)} µs** decoded with the registry's schema, against ${row.bytesLineUs.toFixed(2)} µs kept as bytes (base64). The schema is compiled once per id into a reader and a JSON writer; a record costs one generated read and one generated write.`,
  ].join("\n");
}

export function writeAvroReport(row: AvroRow): void {
  writeBenchmarkSection({ start, end }, avroMarkdown(row));
}
