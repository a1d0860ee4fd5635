// The foreign producers (Java's client, librdkafka through kcat) against the real broker: what they
// write, in every codec, kafkajs reads back exactly, so tests built on them prove what they claim.
import type { Kafka, KafkaMessage } from "kafkajs";
import { beforeAll, expect, inject, it } from "vitest";
import { codecNames, registerCodecs, type CodecName } from "../../main/core/streams/codecs.js";
import { kafka, uniqueName } from "../support/clients.js";
import { javaProduce, kcatAvailable, kcatProduce, type ForeignHeader } from "../support/foreign-producers.js";

/** What patches/kafkajs+2.2.4.patch adds to every message. */
type PatchedMessage = KafkaMessage & {
  headerList: { key: string; value: Buffer | null }[];
  batchContext: { firstOffset: string; compressionCodec: number; inTransaction: boolean };
};

const brokers = inject("kafkaBrokers");
let client: Kafka;

beforeAll(() => {
  registerCodecs();
  client = kafka(brokers);
});

async function createTopic(topic: string): Promise<void> {
  const admin = client.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/** The topic's first `count` messages, read from the beginning by a fresh group. */
async function consume(topic: string, count: number, readUncommitted = false): Promise<PatchedMessage[]> {
  const consumer = client.consumer({ groupId: uniqueName("foreign-group"), readUncommitted });
  const messages: PatchedMessage[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          messages.push(message as PatchedMessage);
          if (messages.length === count) resolve();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

// Values repeat themselves so every codec shrinks them: librdkafka sends a batch uncompressed
// when compressing would not make it smaller, which would hide the codec under test.
const text = (label: string) => `${label} `.repeat(8).trim();
const binary = Buffer.from([0x00, 0xff, 0x0a, 0x80, 0x0d, 0x0a, 0x00]);

const javaHeaders: ForeignHeader[] = [
  { key: "trace", value: "first" },
  { key: "binary", value: binary },
  { key: "trace", value: "second" },
  { key: "absent", value: null },
];
const kcatHeaders = [
  { key: "producer", value: "kcat" },
  { key: "producer", value: "librdkafka" },
  { key: "absent", value: null },
];

interface Expected {
  run: string;
  codec: CodecName;
  key: Buffer | null;
  value: Buffer | null;
  headers: { key: string; value: Buffer | null }[];
}

const asBuffer = (value: Buffer | string | null | undefined) => (value === null || value === undefined ? null : Buffer.from(value));

it("reads what Java's client and librdkafka write, in every codec, interleaved in one partition", async () => {
  await kcatAvailable();
  const topic = uniqueName("foreign-codecs");
  await createTopic(topic);
  const expected: Expected[] = [];
  for (const codec of codecNames) {
    const javaRecords = [
      { partition: 0, key: `java-${codec}-0`, value: text(`java ${codec} zero`), headers: javaHeaders },
      { partition: 0, key: null, value: Buffer.concat([binary, Buffer.from(text(`java ${codec} one`))]), headers: javaHeaders },
      { partition: 0, key: binary, value: null, headers: javaHeaders },
    ];
    await javaProduce({ brokers, topic, compression: codec, records: javaRecords });
    for (const { key, value } of javaRecords) {
      expected.push({
        run: `java-${codec}`,
        codec,
        key: asBuffer(key),
        value: asBuffer(value),
        headers: javaHeaders.map((h) => ({ key: h.key, value: asBuffer(h.value) })),
      });
    }

    const kcatRecords = [
      { key: `kcat-${codec}-0`, value: text(`kcat ${codec} zero`) },
      { key: null, value: Buffer.concat([Buffer.from(text(`kcat ${codec}\nline`)), binary]) },
      { key: binary, value: null },
    ];
    await kcatProduce({ brokers, topic, compression: codec, partition: 0, headers: kcatHeaders, records: kcatRecords });
    for (const { key, value } of kcatRecords) {
      expected.push({
        run: `kcat-${codec}`,
        codec,
        key: asBuffer(key),
        value: asBuffer(value),
        headers: kcatHeaders.map((h) => ({ key: h.key, value: asBuffer(h.value) })),
      });
    }
  }

  const messages = await consume(topic, expected.length);
  const seen = messages.map((message, index) => ({
    run: expected[index]!.run,
    codec: codecNames[message.batchContext.compressionCodec],
    key: message.key,
    value: message.value,
    headers: message.headerList,
  }));
  expect(seen).toEqual(expected);

  // Each run's records share one batch, so each batch really went through its codec.
  const batchesByRun = new Map<string, Set<string>>();
  messages.forEach((message, index) => {
    const run = expected[index]!.run;
    batchesByRun.set(run, (batchesByRun.get(run) ?? new Set()).add(message.batchContext.firstOffset));
  });
  for (const [run, batches] of batchesByRun) expect([run, batches.size]).toEqual([run, 1]);
});

it("hides aborted Java transactions from a read_committed kafkajs consumer", async () => {
  const topic = uniqueName("foreign-transactions");
  await createTopic(topic);
  const records = (label: string, count: number) =>
    Array.from({ length: count }, (_, i) => ({ partition: 0, key: `${label}-${i}`, value: text(`${label} ${i}`) }));
  const acks = await javaProduce({
    brokers,
    topic,
    compression: "lz4",
    transactions: [
      { records: records("first", 2), outcome: "commit" },
      { records: records("aborted", 2), outcome: "abort" },
      { records: records("second", 2), outcome: "commit" },
    ],
  });
  expect(acks).toHaveLength(6);

  const committed = await consume(topic, 4);
  expect(committed.map((message) => message.key!.toString())).toEqual(["first-0", "first-1", "second-0", "second-1"]);
  expect(committed.map(({ batchContext }) => [batchContext.inTransaction, codecNames[batchContext.compressionCodec]])).toEqual(Array(4).fill([true, "lz4"]));

  // And a read_uncommitted consumer does get them: the abort, not a lost send, hid them above.
  const everything = await consume(topic, 6, true);
  expect(everything.map((message) => message.key!.toString())).toEqual(["first-0", "first-1", "aborted-0", "aborted-1", "second-0", "second-1"]);
});
