// `streamdrop inspect stream`: the topic check on a topic of mixed content that Java's client
// wrote, on an empty topic and on a missing one, through the built CLI.
import { beforeAll, expect, inject, it } from "vitest";
import { kafka, uniqueName } from "../support/clients.js";
import { CliEnv } from "../support/cli.js";
import { javaProduce, type ForeignRecord } from "../support/foreign-producers.js";

const cliEnv = new CliEnv("inspect");
const cli = (...args: string[]) => cliEnv.run(args);
const mixed = uniqueName("mixed");
const empty = uniqueName("empty");

const confluent = (schemaId: number, payload: Buffer) => Buffer.concat([Buffer.from([0]), Buffer.from([0, 0, 0, schemaId]), payload]);

beforeAll(async () => {
  const admin = kafka(inject("kafkaBrokers")).admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic: mixed, numPartitions: 2 },
      { topic: empty, numPartitions: 3 },
    ],
    waitForLeaders: true,
  });
  await admin.disconnect();
  const records: ForeignRecord[] = [
    ...Array.from({ length: 6 }, (_, i) => ({ partition: i % 2, key: `k${i}`, value: JSON.stringify({ id: i }), headers: [{ key: "source", value: "web" }] })),
    { partition: 0, value: "[1,2]" },
    { partition: 1, value: "42" },
    ...Array.from({ length: 3 }, (_, i) => ({ partition: i % 2, key: `avro-${i}`, value: confluent(7, Buffer.from([0x02, 0x06, 0x61, 0x62, 0x63])) })),
    { partition: 0, value: "just some text" },
    { partition: 1, value: Buffer.from([0xff, 0xfe, 0x01]) },
    ...Array.from({ length: 2 }, (_, i) => ({ partition: i % 2, key: `gone-${i}`, value: null })),
  ];
  await javaProduce({ brokers: inject("kafkaBrokers"), topic: mixed, compression: "gzip", records });
  for (const [name, topic] of [
    ["mixed", mixed],
    ["empty", empty],
  ]) {
    const created = await cli("create", "stream", name!, "--bootstrap-servers", inject("kafkaBrokers"), "--topic", topic!);
    expect(created.code, created.stderr).toBe(0);
  }
}, 90_000);

it("counts what a topic of mixed content holds, and shows what the exporter would write", { timeout: 60_000 }, async () => {
  const run = await cli("inspect", "stream", "mixed", "--sample", "50", "--path-prefix", "events", "--fields", "key,value", "-o", "json");
  expect(run.code, run.stderr).toBe(0);
  const check = JSON.parse(run.stdout);
  expect(check.partitions.map((p: { partition: number; leader: number }) => [p.partition, p.leader !== null])).toEqual([
    [0, true],
    [1, true],
  ]);
  expect(check.sampled).toBe(15);
  expect(check.codecs).toEqual({ gzip: 15 });
  expect(check.values).toEqual({ jsonObject: 6, otherJson: 2, confluentWire: 3, text: 1, binary: 1, tombstone: 2 });
  expect(check).toMatchObject({ withKey: 11, withHeaders: 6, headerKeys: ["source"] });
  expect(check.retentionMs).toBe(7 * 24 * 3600 * 1000);
  expect(check.preview.nextKey).toMatch(new RegExp(`^events/\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d-${mixed}---0-1\\.jsonl$`));
  // key,value: every record but the two tombstones (to the -invalid file by default) is a line.
  expect(check.preview).toMatchObject({ events: 13, invalid: 2, skipped: 0 });
  expect(check.preview.lines[0]).toBe('{"key":"k0","value":{"id":0}}');
  // Its wire-format values need the stream's registry to be decoded (here they stay base64 in the envelope).
  expect(check.recommendations.map((advice: { code: string }) => advice.code)).toEqual(["skip-tombstones", "keep-tombstones", "no-registry"]);
});

it("says in words what the value alone would lose, with the flags that keep it", { timeout: 60_000 }, async () => {
  const run = await cli("inspect", "stream", "mixed");
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toContain(`Topic ${mixed}: 2 partitions, retention 168 h`);
  expect(run.stdout).toContain("values: 6 JSON objects, 2 other JSON, 3 Confluent wire format");
  expect(run.stdout).toContain("of the values are in Confluent's wire format");
  expect(run.stdout).toMatch(
    /13% of the sampled records are tombstones \(deleted keys\): skip them, rather than send them to the -invalid file\? \(--tombstones skip\)/,
  );
  expect(run.stdout).toContain("(--fields key,value)");
  // The sample is what the topic holds now, which a new exporter skips unless told otherwise.
  expect(run.stdout).toContain("The topic holds 15 events now, which the sample is read from.");
  expect(run.stdout).toContain("unless created with --include-existing-events");
});

it("says plainly that a topic is empty, and that a stream's topic is missing", { timeout: 60_000 }, async () => {
  const run = await cli("inspect", "stream", "empty");
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toContain(`Topic ${empty} holds no records yet. An exporter starts with the next record produced.`);
  expect(run.stdout).toContain("partition 2: offsets 0-0 (empty)");

  const admin = kafka(inject("kafkaBrokers")).admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [empty] });
  await admin.disconnect();
  const missing = await cli("inspect", "stream", "empty");
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain(`Topic ${empty} of stream empty does not exist on ${inject("kafkaBrokers")}.`);
  expect((await cli("inspect", "stream", "mixed", "--fields", "value,nope")).stderr).toContain('Unknown field "nope"');
});
