// A change of settings while a file is pending, on any store: the events part of a file is stored,
// its `-invalid` part is held back by a proxy in front of the store, the exporter's settings change,
// and its worker is killed. Recovery must re-create that file as it was planned (the intent's
// shape), so that on create-only stores the events part already there is the very file recovery
// would write. Every record must then be in exactly one line, and the export log must list exactly
// what the store holds, byte for byte in size.
//
// Each case has its own topic, prefix, core, engine and proxy, so a store's cases run concurrently:
// each spends most of its time waiting for the killed worker's group session to end (6 s).
import { gunzipSync, zstdDecompressSync } from "node:zlib";
import { expect, inject } from "vitest";
import type { ExporterChanges } from "../../main/core/exporters/control/exporter-service.js";
import { kafka, uniqueName } from "./clients.js";
import { testCore, type TestCore } from "./core.js";
import { isValidationFile } from "./export-harness.js";
import { createTopic } from "./store-export.js";
import { invalidBytes } from "./file-lines.js";
import { startTcpProxy } from "./tcp-proxy.js";
import { waitFor } from "./wait-for.js";

export interface StoreUnderTest {
  /** The store's port on 127.0.0.1, which the proxy forwards to. */
  port: number;
  /** Creates the sink "sink" with `prefix`, writing to the store through `proxyUrl`. */
  createSink(core: TestCore, proxyUrl: string, prefix: string): Promise<void>;
  /** Every object under `prefix`, as stored. */
  objects(prefix: string): Promise<Array<{ key: string; bytes: Buffer }>>;
}

export interface ShapingChange {
  setting: string;
  /** The exporter's settings before (besides the defaults). */
  initial: { fields?: string[]; tombstones?: string };
  change: (prefix: string) => ExporterChanges;
  /** Whether a file (its key and lines) has the new shape: files planned after the change must. */
  isNewShape: (key: string, lines: string[]) => boolean;
}

/** Every setting that shapes a file's key or bytes (main/core/exporters/file-shape.ts). */
export const shapingChanges: ShapingChange[] = [
  {
    setting: "fields",
    initial: {},
    change: () => ({ fields: ["offset", "value"] }),
    isNewShape: (_, lines) => lines.every((line) => line.startsWith('{"offset":')),
  },
  {
    setting: "tombstones",
    initial: { fields: ["key", "value"] },
    change: () => ({ tombstones: "keep" }),
    isNewShape: (key, lines) => !key.includes("-invalid") && lines.some((line) => line.endsWith('"value":null}')),
  },
  { setting: "compression", initial: {}, change: () => ({ compression: "gzip" }), isNewShape: (key) => key.endsWith(".jsonl.gz") },
  {
    setting: "path template",
    initial: {},
    change: () => ({ pathTemplate: "dt={date}/hour={hour}" }),
    isNewShape: (key) => /\/dt=\d{4}-\d\d-\d\d\/hour=\d\d\//.test(key),
  },
  { setting: "prefix", initial: {}, change: (prefix) => ({ pathPrefix: `${prefix}/v2` }), isNewShape: (key) => key.includes("/v2/") },
];

const recordId = /(?:ev|bad|tomb)#\d+/g;

/** Events with ids, values that are not JSON, and tombstones, interleaved: every cut has both parts. */
async function produce(topic: string, round: number, ids: string[]): Promise<void> {
  const producer = kafka(inject("kafkaBrokers")).producer();
  await producer.connect();
  const messages = Array.from({ length: 30 }, (_, i) => {
    const n = round * 100 + i;
    if (i % 6 === 1) return { key: `bad#${n}`, value: `bad#${n} is not JSON` };
    if (i % 6 === 4) return { key: `tomb#${n}`, value: null };
    return { key: `ev#${n}`, value: JSON.stringify({ id: `ev#${n}`, url: "https://example.test/" }) };
  });
  ids.push(...messages.map((message) => message.key));
  await producer.send({ topic, messages });
  await producer.disconnect();
}

const linesOf = (key: string, bytes: Buffer) =>
  (key.endsWith(".gz") ? gunzipSync(bytes) : key.endsWith(".zst") ? zstdDecompressSync(bytes) : bytes).toString("utf8").split("\n").filter(Boolean);

/** The one record id a line holds, in whatever shape: an event's id, or a key or value, as text or base64. */
function idOf(line: string): string {
  const record = JSON.parse(line) as Record<string, unknown>;
  const texts = [
    line,
    ...(["key", "value"] as const).filter((field) => typeof record[field] === "string").map((field) => invalidBytes(record, field)!.toString("latin1")),
  ];
  const ids = new Set(texts.flatMap((text) => text.match(recordId) ?? []));
  expect([...ids], line).toHaveLength(1);
  return [...ids][0]!;
}

export async function changeWhilePending(store: StoreUnderTest, shaping: ShapingChange): Promise<void> {
  const core = testCore();
  const proxy = await startTcpProxy(store.port);
  const prefix = uniqueName("pending")
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-");
  const topic = uniqueName("pending");
  await createTopic(topic, 1);
  await store.createSink(core, proxy.url, prefix);
  await core.streams.create({ name: "clicks", bootstrapServers: inject("kafkaBrokers"), topic });
  const exporter = await core.exporters.create({ streamName: "clicks", sinkName: "sink", intervalSeconds: 1, includeExistingEvents: true, ...shaping.initial });
  const ids: string[] = [];
  await produce(topic, 0, ids);

  // The first -invalid part to be uploaded is held: its file stays pending with its events part stored.
  proxy.setDelay((chunk) => (chunk.includes("-invalid") ? 600_000 : 0));
  const engine = core.engine({ restartBackoff: { initialMs: 300, maxMs: 2000 }, sessionTimeoutMs: 6000 });
  await engine.start();
  try {
    const dataObjects = async () => (await store.objects(prefix)).filter((object) => !isValidationFile(object.key));
    await waitFor("an events part stored and an -invalid part held", async () =>
      proxy.held > 0 && (await dataObjects()).some((object) => !object.key.includes("-invalid")) ? true : undefined,
    );
    const pids = engine.workerPids()[exporter.name] ?? [];
    expect(pids.length).toBe(1);

    await core.exporters.update(exporter.name, shaping.change(prefix));
    const restarted = engine.nudge();
    for (const pid of pids) process.kill(pid, "SIGKILL");
    // The killed worker's held request never reaches the store.
    await proxy.down();
    proxy.setDelay(undefined);
    await proxy.up();
    await restarted;
    await produce(topic, 1, ids);

    const log = () => core.exportLog.read(exporter.id);
    await waitFor("every record in a file", async () => {
      const stored = new Set((await dataObjects()).flatMap((object) => linesOf(object.key, object.bytes).map(idOf)));
      return ids.every((id) => stored.has(id)) ? true : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 2500)); // A doubled file would show by now.

    const objects = await dataObjects();
    const lines = objects.flatMap((object) => linesOf(object.key, object.bytes));
    expect(lines.map(idOf).sort()).toEqual([...ids].sort());

    // The export log lists exactly what the store holds (the last entry per key counts).
    const entries = (await log()).filter((entry) => entry.kind !== "validation");
    const logged = new Map(entries.map((entry) => [entry.key, entry.bytes]));
    expect(new Map(objects.map((object) => [object.key, object.bytes.length]))).toEqual(logged);

    // The pending file was re-created (in the shape it was planned in); files planned after the change take the new shape.
    const recovered = entries.filter((entry) => entry.recovered);
    expect(recovered.length).toBeGreaterThan(0);
    for (const entry of recovered)
      expect(shaping.isNewShape(entry.key, linesOf(entry.key, objects.find((object) => object.key === entry.key)!.bytes)), entry.key).toBe(false);
    expect(objects.some((object) => shaping.isNewShape(object.key, linesOf(object.key, object.bytes)))).toBe(true);
  } finally {
    await engine.stop();
    await proxy.close();
  }
}
