// A stream name already taken: the way out offered depends on whether exporters read that stream
// (deleting it is offered only when none does), and the message names them. Refused before any
// connection is made.
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { ConfigStore } from "../../../main/core/config/store.js";
import { silentLogger } from "../../../main/core/log.js";
import { StreamService } from "../../../main/core/streams/stream-service.js";
import type { StreamdropError } from "../../../main/core/errors.js";

async function setUp(readers: string[]) {
  const dataDir = mkdtempSync(join(tmpdir(), "streamdrop-dup-"));
  const config = new ConfigStore(dataDir);
  const at = new Date().toISOString();
  await config.update((c) => {
    c.streams.push({ id: randomUUID(), name: "orders", bootstrapServers: ["127.0.0.1:1"], topic: "orders", ssl: false, createdAt: at });
    for (const name of readers)
      c.batchExporters.push({
        id: randomUUID(),
        name,
        streamName: "orders",
        sinkName: "s3",
        intervalSeconds: 60,
        includeExistingEvents: false,
        workers: 1,
        maxBatchBytes: 1 << 20,
        fields: ["value"],
        tombstones: "invalid",
        compression: "none",
        paused: false,
        createdAt: at,
      });
  });
  const secrets = { getSecret: async () => undefined, setSecret: async () => undefined, deleteSecret: async () => false };
  return new StreamService({ config, secrets, log: silentLogger(), dataDir });
}

const refusal = async (streams: StreamService) =>
  (await streams.create({ name: "orders", bootstrapServers: "127.0.0.1:1", topic: "orders" }).catch((error: unknown) => error)) as StreamdropError;

it("offers deleting the stream of that name only while no exporter reads it", async () => {
  const unused = await refusal(await setUp([]));
  expect(unused.message).toBe("A stream named orders already exists.");
  expect(unused.fixes.map((fix) => fix.id)).toEqual(["delete-stream", "set"]);
});

it("offers only another name when exporters read it, and names them", async () => {
  const used = await refusal(await setUp(["s3-orders", "gcs-orders"]));
  expect(used.message).toBe("A stream named orders already exists (exporters s3-orders, gcs-orders read it).");
  expect(used.fixes).toEqual([{ id: "set", setting: "stream-name" }]);
});
