// The benchmark's workload: clickstream events of about 500 bytes, each with a unique `id` (the
// exactly-once check counts them) and, for the latency run, the time it was produced.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { CompressionTypes, Kafka, logLevel } from "kafkajs";

export const partitions = 6;
const padding = "x".repeat(105);

export function clickstreamEvent(id: number, producedAt = 0): string {
  return JSON.stringify({
    id,
    producedAt,
    strmMeta: {
      schemaId: "clickstream",
      nonce: id * 7919,
      timestamp: 1_764_000_000_000 + id,
      keyLink: "04d243ba-2cc9-4def-b406-7241d4fce7d1",
      billingId: "bench",
      consentLevels: [0, 1],
    },
    producerSessionId: "ATqVzbsw2qN3XDj+3D0SABPPVjb2nIqCcdFcG1irE6w=",
    url: "https://www.example.com/rules",
    customer: { id: "ATqVzbsKWvI9GH/rTwcI78Behpe5zo30EJMXGyEbP+u0FEZcBRwdP+A=" },
    abTests: [],
    padding,
  });
}

/**
 * The Parquet columns of `clickstreamEvent`'s fields, as `--columns` takes them: every field a
 * column (a field the columns lacked would send each event to `-invalid`), whole numbers int64,
 * the event's time in epoch milliseconds a timestamp, the objects structs, the arrays lists.
 */
export const clickstreamColumns =
  "id int64, producedAt int64, " +
  "strmMeta struct<schemaId string, nonce int64, timestamp timestamp(millis), keyLink string, billingId string, consentLevels list<int32>>, " +
  "producerSessionId string, url string, customer struct<id string>, abTests list<string>, padding string";

/** The `id` of an event line (the first field, so a prefix match suffices). */
export function idOf(line: string): number {
  return Number(/^\{"id":(\d+)/.exec(line)?.[1] ?? -1);
}

export async function createTopic(brokers: string, topic: string): Promise<void> {
  const admin = new Kafka({ brokers: [brokers], logLevel: logLevel.ERROR }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/**
 * Preloads `count` events with kcat (librdkafka, a fast C producer), keyed by id so they spread
 * over the partitions. Kafka's producer-perf tool would be as fast but repeats payloads at
 * random, and the exactly-once check needs every event to be unique. `codec` is the batches'
 * compression (librdkafka's compression.codec). Returns the bytes sent.
 */
export async function preload(brokers: string, topic: string, count: number, codec = "none"): Promise<number> {
  await createTopic(brokers, topic);
  const kcat = spawn(
    "kcat",
    ["-P", "-q", "-b", brokers, "-t", topic, "-K", "\t", "-X", "linger.ms=20", "-X", "batch.size=1000000", "-X", `compression.codec=${codec}`, "-X", "acks=1"],
    { stdio: ["pipe", "inherit", "inherit"] },
  );
  const exited = once(kcat, "exit");
  let bytes = 0;
  const chunk = 2000;
  for (let start = 0; start < count; start += chunk) {
    let text = "";
    for (let id = start; id < Math.min(count, start + chunk); id += 1) {
      const value = clickstreamEvent(id);
      bytes += value.length;
      text += `${id}\t${value}\n`;
    }
    if (!kcat.stdin.write(text)) await once(kcat.stdin, "drain");
  }
  kcat.stdin.end();
  const [code] = (await exited) as [number | null];
  if (code !== 0) throw new Error(`kcat could not preload ${topic} with ${codec} (exit ${code}).`);
  return bytes;
}

/**
 * Produces `rate * seconds` events at a steady `rate` per second (kafkajs, in 50 ms slices),
 * stamping each with the time it was handed to the producer. Resolves with the count sent.
 */
export async function produceSteadily(brokers: string, topic: string, rate: number, seconds: number): Promise<number> {
  const producer = new Kafka({ brokers: [brokers], logLevel: logLevel.ERROR }).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const sliceMs = 50;
  const total = rate * seconds;
  const started = Date.now();
  let sent = 0;
  const pending: Promise<unknown>[] = [];
  try {
    while (sent < total) {
      const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * rate));
      const now = Date.now();
      const messages = [];
      for (; sent < due; sent += 1) messages.push({ value: clickstreamEvent(sent, now), partition: sent % partitions });
      if (messages.length > 0) pending.push(producer.send({ topic, messages, acks: 1, compression: CompressionTypes.None }));
      if (pending.length > 16) await Promise.all(pending.splice(0, 8));
      await new Promise((resolve) => setTimeout(resolve, sliceMs));
    }
    await Promise.all(pending);
  } finally {
    await producer.disconnect();
  }
  return sent;
}
