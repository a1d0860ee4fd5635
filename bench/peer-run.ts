// The peer's run: Kafka Connect 4.3.1 standalone with Apache Iceberg's S3 sink (connect-peer.ts
// says why not Aiven's) draining the same topic into the same kind of S3 server. Timed from the
// moment its tasks run (the JVM's ~10 s start is left out, in the peer's favour) to the table
// commit that holds the last event; every id must be in the table exactly once.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runConnectPeer, readPeerTable } from "./connect-peer.js";
import { peakRssBytes } from "./memory.js";
import type { ThroughputRow } from "./report.js";
import { assertExactlyOnce, benchCredentials, createBucket, type S3Server } from "./s3-servers.js";

export async function runPeer(opts: {
  brokers: string;
  topic: string;
  events: number;
  bytes: number;
  server: S3Server;
  say: (text: string) => void;
}): Promise<{ row: ThroughputRow; notes: string[] }> {
  const workDir = mkdtempSync(join(tmpdir(), "streamdrop-peer-"));
  const bucket = `peer-${opts.topic}`.slice(0, 63);
  await createBucket(opts.server, bucket);
  opts.say(`Peer: Kafka Connect + Iceberg S3 sink into ${opts.server.name}...`);
  const launched = Date.now();
  const peer = await runConnectPeer({
    brokers: opts.brokers,
    topic: opts.topic,
    s3Endpoint: opts.server.endpoint,
    bucket,
    prefix: "peer",
    region: "us-east-1",
    workDir,
    flushMs: 5000,
    ...benchCredentials,
  });
  const running = Date.now();
  let peak = 0;
  const watch = setInterval(() => (peak = Math.max(peak, peakRssBytes(peer.pid))), 200);
  try {
    const committedAt = await peer.waitForRecords(opts.events);
    const seconds = (committedAt - running) / 1000;
    const table = readPeerTable(workDir);
    const counts = new Uint8Array(opts.events);
    for (const id of table.ids) if (id >= 0 && id < opts.events) counts[id] = Math.min(255, counts[id]! + 1);
    assertExactlyOnce("The peer", { files: table.files, lines: table.records, once: counts.filter((times) => times === 1).length }, opts.events);
    opts.say(`  ${Math.round(opts.events / seconds).toLocaleString("en")} events/s (${((running - launched) / 1000).toFixed(1)} s to start), exactly once.`);
    return {
      row: { contender: "Kafka Connect + Iceberg sink", store: opts.server.name, events: opts.events, seconds, bytes: opts.bytes, peakRss: peak },
      notes: [
        `The peer is Kafka Connect 4.3.1 (standalone, 6 tasks) with Apache Iceberg's Kafka Connect sink 1.12.0, 5 s commit interval; its JVM took ${((running - launched) / 1000).toFixed(1)} s to start, left out of its time. Aiven's S3 sink (JSON Lines) is not served by the Maven Central we can reach; Iceberg's sink writes Parquet (${table.files} files), which compresses this padded workload far below JSON Lines' size, in the peer's favour.`,
      ],
    };
  } finally {
    clearInterval(watch);
    await peer.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}
