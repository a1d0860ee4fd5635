// The exactly-once scenario every store's integration test runs: events from another producer,
// an exporter whose workers are SIGKILLed after their first file, more events, and then every
// event stored once under the S3 naming scheme, with `files` listing the store's own URIs.
import { expect, inject } from "vitest";
import { CliEnv } from "./cli.js";
import { kafka } from "./clients.js";
import type { TestCore } from "./core.js";
import { isValidationFile } from "./export-harness.js";

export interface StoredObject {
  key: string;
  body: string;
}

export async function createTopic(topic: string, partitions = 3): Promise<void> {
  const admin = kafka(inject("kafkaBrokers")).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  await admin.disconnect();
}

/** Runs the scenario and asserts it; `objects` lists what the store holds. */
export async function exportAcrossWorkerKill(
  core: TestCore,
  options: { topic: string; streamName: string; sinkName: string; prefix: string; uriPrefix: string; objects: () => Promise<StoredObject[]> },
): Promise<void> {
  const { topic, prefix } = options;
  const ids: string[] = [];
  const produce = async (count: number) => {
    const producer = kafka(inject("kafkaBrokers")).producer();
    await producer.connect();
    const messages = Array.from({ length: count }, () => {
      const id = `${topic}-${ids.length}`;
      ids.push(id);
      return { key: id, value: JSON.stringify({ id, url: "https://example.test/" }) };
    });
    await producer.send({ topic, messages });
    await producer.disconnect();
  };
  const exported = async () => {
    const objects = (await options.objects()).filter((object) => object.key.startsWith(`${prefix}/`) && !isValidationFile(object.key));
    return {
      keys: objects.map((object) => object.key),
      ids: objects.flatMap((object) =>
        object.body
          .split("\n")
          .filter(Boolean)
          .map((line) => (JSON.parse(line) as { id: string }).id),
      ),
    };
  };

  const exporter = await core.exporters.create({
    streamName: options.streamName,
    sinkName: options.sinkName,
    intervalSeconds: 1,
    includeExistingEvents: true,
    maxBatchMb: 1,
  });
  await produce(3000);
  const engine = core.engine({ restartBackoff: { initialMs: 300, maxMs: 2000 } });
  await engine.start();
  try {
    const deadline = Date.now() + 60_000;
    while ((engine.statuses()[0]?.eventsExported ?? 0) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    const killed = engine.workerPids()[exporter.name] ?? [];
    expect(killed.length).toBeGreaterThan(0);
    for (const pid of killed) process.kill(pid, "SIGKILL");
    await produce(3000);
    let stored = await exported();
    while (new Set(stored.ids).size < ids.length && Date.now() < deadline + 60_000) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      stored = await exported();
    }
    await new Promise((resolve) => setTimeout(resolve, 2000)); // A doubled file would show by now.
    stored = await exported();
    expect(stored.ids.length).toBe(ids.length);
    expect(new Set(stored.ids)).toEqual(new Set(ids));
    for (const key of stored.keys)
      expect(key).toMatch(new RegExp(`^${prefix}/\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}-${topic}---\\d+(-\\d+)*(\\.\\d+)?\\.jsonl$`));
  } finally {
    await engine.stop();
  }

  // `files` reads the export log the workers wrote, with the store's URIs.
  const files = await new CliEnv("files", { dataDir: core.dataDir, keychainService: core.keychainService }).run(["files", exporter.name, "--output", "json"]);
  const listed = (JSON.parse(files.stdout) as { files: Array<{ uri: string; kind: string }> }).files;
  expect(listed.filter((file) => file.kind === "events").length).toBeGreaterThan(0);
  for (const file of listed) expect(file.uri.startsWith(`${options.uriPrefix}${prefix}/`), file.uri).toBe(true);
}
