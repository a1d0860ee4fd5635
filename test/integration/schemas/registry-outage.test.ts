// The Schema Registry down for 30 s in the middle of a run, and the worker killed -9 meanwhile and
// after: records whose schema the worker has not seen wait (the exporter says it is retrying, and
// why), nothing is stored undecoded, and once the registry answers every event is exported
// exactly once. The registry is Apicurio behind a TCP proxy that goes down; the values are what
// confluent-kafka's AvroSerializer wrote, a new schema version at each round.
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { duplicatesAndMissing, ExportHarness } from "../../support/export-harness.js";
import { produceAvro } from "../../support/schema-producers.js";
import { startTcpProxy, type TcpProxy } from "../../support/tcp-proxy.js";

const registry = inject("schemaRegistryUrl");
const brokers = inject("kafkaBrokers");
let proxy: TcpProxy;
let harness: ExportHarness;

beforeAll(async () => {
  const target = new URL(registry);
  proxy = await startTcpProxy(Number(target.port));
  harness = new ExportHarness({
    kafkaBrokers: brokers,
    s3Endpoint: inject("s3Endpoint"),
    partitions: 2,
    intervalSeconds: 1,
    maxBatchMb: 1,
    schemaRegistry: `${proxy.url}${target.pathname}`,
  });
  await harness.setUp();
}, 60_000);
afterAll(async () => {
  await harness.tearDown();
  await proxy.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A schema version of its own per round (a field more each time), so the worker must ask the registry for each. */
const schemaOf = (round: number) => ({
  type: "record",
  name: "Visit",
  namespace: "web",
  fields: [
    { name: "id", type: "string" },
    { name: "amount", type: { type: "bytes", logicalType: "decimal", precision: 9, scale: 2 } },
    ...Array.from({ length: round }, (_, n) => ({ name: `extra${n}`, type: ["null", "long"], default: null })),
  ],
});

async function produceRound(round: number, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, n) => `${harness.topic}-r${round}-${n}`);
  await produceAvro({
    brokers,
    registry,
    topic: harness.topic,
    schema: schemaOf(round),
    records: ids.map((id, n) => ({ value: { id, amount: { $decimal: `${n}.25` } } })),
  });
  return ids;
}

async function killWorker(): Promise<void> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(100)) {
    const pid = harness.engine!.workerPids()[harness.exporter.name]?.[0];
    if (pid === undefined) continue;
    process.kill(pid, "SIGKILL");
    return;
  }
  throw new Error("no worker to kill");
}

it("waits out the registry down for 30 s and a worker killed -9 meanwhile, then exports every event exactly once", { timeout: 300_000 }, async () => {
  await harness.startEngine(6000);
  const produced = await produceRound(0, 300);
  await harness.waitForIds(produced, 60_000);

  await proxy.down();
  const during = await produceRound(1, 300);
  produced.push(...during);
  await sleep(8000);
  const waiting = harness.engine!.statuses()[0]!;
  expect(waiting.state, JSON.stringify(waiting)).toBe("retrying");
  expect(waiting.lastError).toContain("Schema Registry");
  await killWorker();
  await sleep(22_000);
  // Nothing of the new schema stored meanwhile, decoded or not.
  const meanwhile = await harness.objects();
  expect(ExportHarness.eventIds(meanwhile).filter((id) => during.includes(id))).toEqual([]);
  expect(meanwhile.filter((object) => object.key.includes("-invalid"))).toEqual([]);
  expect(harness.engine!.statuses()[0]!.state).toBe("retrying");

  await proxy.up();
  produced.push(...(await produceRound(2, 300)));
  await sleep(1500);
  await killWorker();
  const objects = await harness.waitForIds(produced, 120_000);
  const exported = ExportHarness.eventIds(objects);
  expect(duplicatesAndMissing(produced, exported)).toEqual({ missing: [], doubled: [], unexpected: [] });
  expect(objects.filter((object) => object.key.includes("-invalid"))).toEqual([]);
  // Each line has its own writer schema's fields, exact decimals included.
  const line = objects.flatMap((object) => object.body.split("\n")).find((text) => text.includes(`"${harness.topic}-r2-7"`));
  expect(line).toBe(`{"id":"${harness.topic}-r2-7","amount":7.25,"extra0":null,"extra1":null}`);
});
