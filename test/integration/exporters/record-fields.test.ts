// Lines with record fields, from records Java's own client wrote (keys, repeated and binary
// headers, JSON, text and binary values), a file with headers re-created by recovery byte for
// byte, and each tombstone policy.
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { ExportLogEntry } from "../../../main/core/exporters/worker-protocol.js";
import { ExportHarness, isInvalidFile, isValidationFile } from "../../support/export-harness.js";
import { invalidBytes } from "../../support/file-lines.js";
import { javaProduce, type ForeignRecord } from "../../support/foreign-producers.js";
import { waitFor } from "../../support/wait-for.js";

const brokers = inject("kafkaBrokers");
const allFields = ["topic", "partition", "offset", "timestamp", "key", "headers", "value"];
const at = 1_700_000_000_000;

describe("lines with every record field", () => {
  const harness = new ExportHarness({ kafkaBrokers: brokers, s3Endpoint: inject("s3Endpoint"), partitions: 1, intervalSeconds: 2, fields: allFields });
  const records: ForeignRecord[] = [
    {
      partition: 0,
      key: "k-json",
      value: '{"id":"json-1","big":12345678901234567890}',
      timestamp: at,
      headers: [
        { key: "trace", value: "t-1" },
        { key: "bin", value: Buffer.from([0xff, 0x00, 0x80]) },
        { key: "trace", value: "t-2" },
        { key: "empty", value: null },
      ],
    },
    { partition: 0, key: null, value: "hello, world", timestamp: at + 1 },
    { partition: 0, key: Buffer.from([0xc3, 0x28]), value: Buffer.from([0x00, 0x01, 0xfe, 0xff, 0x10, 0x20]), timestamp: at + 2 },
    {
      partition: 0,
      key: '{"user":7}',
      value: "[1, 2,\n 3]",
      timestamp: at + 3,
      headers: [
        { key: "10", value: "ten" },
        { key: "2", value: '{"n":2}' },
      ],
    },
  ];
  let file: ExportLogEntry;
  let body: Buffer;

  beforeAll(() => harness.setUp(), 60_000);
  afterAll(() => harness.tearDown());

  it(
    "writes each record as one JSON object of the fields in order: JSON nested, text as strings, bytes base64, headers as a list",
    { timeout: 90_000 },
    async () => {
      await javaProduce({ brokers, topic: harness.topic, compression: "zstd", records });
      const engine = await harness.startEngine();
      file = await waitFor("the data file", async () => (await harness.core.exportLog.read(harness.exporter.id)).find((entry) => entry.kind === "events"));
      await engine.stop();
      body = await objectBytes(harness, file.key);
      const lines = body.toString("utf8").trimEnd().split("\n");
      const topic = harness.topic;
      expect(lines).toEqual([
        `{"topic":${JSON.stringify(topic)},"partition":0,"offset":0,"timestamp":${at},"key":"k-json","headers":[{"key":"trace","value":"t-1"},{"key":"bin","value":"/wCA","valueEncoding":"base64"},{"key":"trace","value":"t-2"},{"key":"empty","value":null}],"value":{"id":"json-1","big":12345678901234567890}}`,
        `{"topic":${JSON.stringify(topic)},"partition":0,"offset":1,"timestamp":${at + 1},"key":null,"headers":[],"value":"hello, world"}`,
        `{"topic":${JSON.stringify(topic)},"partition":0,"offset":2,"timestamp":${at + 2},"key":"wyg=","keyEncoding":"base64","headers":[],"value":"AAH+/xAg","valueEncoding":"base64"}`,
        `{"topic":${JSON.stringify(topic)},"partition":0,"offset":3,"timestamp":${at + 3},"key":{"user":7},"headers":[{"key":"10","value":"ten"},{"key":"2","value":{"n":2}}],"value":[1,2,3]}`,
      ]);
      for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    },
  );

  it("re-creates that file after a crash byte for byte, headers included", { timeout: 90_000 }, async () => {
    // The crash, made deterministic (the file's intent committed again at its start).
    await harness.pendAgain(file);
    expect((await harness.core.exportLog.read(harness.exporter.id)).find((entry) => entry.key === file.key)?.recovered).toBeUndefined();
    await harness.startEngine();
    // Listed once, where first logged, and now marked as re-created.
    const recovered = await waitFor("the re-created file", async () =>
      (await harness.core.exportLog.read(harness.exporter.id)).find((entry) => entry.recovered && entry.key === file.key),
    );
    expect(recovered).toMatchObject({ records: records.length, partitions: file.partitions });
    expect((await objectBytes(harness, file.key)).equals(body)).toBe(true);
    // And nothing else was written for those offsets.
    const data = (await harness.objects()).filter((object) => !isValidationFile(object.key) && !isInvalidFile(object.key));
    expect(data.map((object) => object.key)).toEqual([file.key]);
  });
});

describe("tombstones", () => {
  const harness = new ExportHarness({
    kafkaBrokers: brokers,
    s3Endpoint: inject("s3Endpoint"),
    partitions: 1,
    intervalSeconds: 2,
    prefix: "events",
    fields: ["value"],
    tombstones: "invalid",
  });

  beforeAll(async () => {
    await harness.setUp();
    await harness.core.exporters.create({
      streamName: "clicks",
      sinkName: "s3",
      name: "skip",
      pathPrefix: "events/skip",
      tombstones: "skip",
      includeExistingEvents: true,
      intervalSeconds: 2,
    });
    await harness.core.exporters.create({
      streamName: "clicks",
      sinkName: "s3",
      name: "keep",
      pathPrefix: "events/keep",
      fields: ["key", "value"],
      tombstones: "keep",
      includeExistingEvents: true,
      intervalSeconds: 2,
    });
  }, 60_000);
  afterAll(() => harness.tearDown());

  it("go to the -invalid file, are skipped and counted, or are kept with value null", { timeout: 90_000 }, async () => {
    const records: ForeignRecord[] = Array.from({ length: 25 }, (_, i) => ({
      partition: 0,
      key: `user-${i}`,
      value: i % 5 === 4 ? null : JSON.stringify({ id: `e-${i}` }),
    }));
    await javaProduce({ brokers, topic: harness.topic, compression: "snappy", records });
    const engine = await harness.startEngine();
    const ids = Array.from({ length: 25 }, (_, i) => i)
      .filter((i) => i % 5 !== 4)
      .map((i) => `e-${i}`);
    const lines = (objects: Awaited<ReturnType<ExportHarness["objects"]>>, folder: string, invalid: boolean) =>
      objects
        .filter(
          (object) =>
            object.key.startsWith(folder) &&
            object.key.slice(folder.length).indexOf("/") === -1 &&
            !isValidationFile(object.key) &&
            isInvalidFile(object.key) === invalid,
        )
        .flatMap((object) =>
          object.body
            .trimEnd()
            .split("\n")
            .map((line) => JSON.parse(line)),
        );
    const objects = await waitFor("every exporter's files", async () => {
      const all = await harness.objects();
      return lines(all, "events/", false).length === 20 &&
        lines(all, "events/", true).length === 5 &&
        lines(all, "events/skip/", false).length === 20 &&
        lines(all, "events/keep/", false).length === 25
        ? all
        : undefined;
    });
    // invalid: the events, and the tombstones in the -invalid file with their key and a null value.
    expect(lines(objects, "events/", false).map((line) => line.id)).toEqual(ids);
    expect(lines(objects, "events/", true).map((line) => [invalidBytes(line, "key")!.toString(), line.value])).toEqual(
      [4, 9, 14, 19, 24].map((i) => [`user-${i}`, null]),
    );
    // skip: the events only, the tombstones counted.
    expect(lines(objects, "events/skip/", false).map((line) => line.id)).toEqual(ids);
    expect(lines(objects, "events/skip/", true)).toEqual([]);
    await waitFor("the skipped count", async () => (engine.statuses().find((status) => status.name === "skip")?.tombstonesSkipped === 5 ? true : undefined));
    // keep: every record, the tombstones with value null.
    expect(lines(objects, "events/keep/", false)).toEqual(
      records.map((record) => ({ key: record.key, value: record.value === null ? null : JSON.parse(record.value as string) })),
    );
  });
});

async function objectBytes(harness: ExportHarness, key: string): Promise<Buffer> {
  const object = await harness.s3.send(new GetObjectCommand({ Bucket: harness.bucket, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}
