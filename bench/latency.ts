// End-to-end latency at a steady rate: from the time an event was handed to the producer to the
// time the file holding it was stored (the worker's export-log entry, written when the upload
// returned). Every event's latency counts, so p95 includes the wait for the interval boundary.
import { drain } from "./streamdrop-drain.js";
import { assertExactlyOnce, createBucket, readBack, type S3Server } from "./s3-servers.js";
import { createTopic, produceSteadily } from "./workload.js";

export interface LatencyResult {
  rate: number;
  seconds: number;
  intervalSeconds: number;
  events: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  peakRss: number;
}

export async function measureLatency(opts: {
  brokers: string;
  server: S3Server;
  topic: string;
  rate: number;
  seconds: number;
  intervalSeconds: number;
  maxBatchMb: number;
}): Promise<LatencyResult> {
  const events = opts.rate * opts.seconds;
  await createTopic(opts.brokers, opts.topic);
  await createBucket(opts.server, opts.topic);
  const result = await drain({
    brokers: opts.brokers,
    topic: opts.topic,
    server: opts.server,
    bucket: opts.topic,
    events,
    workers: 1,
    intervalSeconds: opts.intervalSeconds,
    maxBatchMb: opts.maxBatchMb,
    whileRunning: () => produceSteadily(opts.brokers, opts.topic, opts.rate, opts.seconds),
  });
  const storedAt = new Map(result.stored.map((entry) => [entry.key, Date.parse(entry.at)]));
  const latencies = new Float64Array(events);
  let index = 0;
  const delivered = await readBack(opts.server, opts.topic, "", events, (line, key) => {
    const producedAt = Number(/"producedAt":(\d+)/.exec(line)?.[1]);
    const at = storedAt.get(key);
    if (at === undefined || !producedAt) throw new Error(`No store time or produce time for an event in ${key}.`);
    if (index < events) latencies[index++] = at - producedAt;
  });
  assertExactlyOnce("The latency run", delivered, events);
  latencies.sort();
  const percentile = (p: number) => Math.round(latencies[Math.min(events - 1, Math.floor((p / 100) * events))]!);
  return {
    rate: opts.rate,
    seconds: opts.seconds,
    intervalSeconds: opts.intervalSeconds,
    events,
    p50Ms: percentile(50),
    p95Ms: percentile(95),
    maxMs: percentile(100),
    peakRss: result.peakRss,
  };
}
