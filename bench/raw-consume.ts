// The raw consume limit: a client reading the whole topic and discarding it, with nothing else
// to do. kafkajs is the client Streamdrop uses; kcat (librdkafka, C) shows what the broker gives.
import { spawn } from "node:child_process";
import { Kafka, logLevel } from "kafkajs";

/** kafkajs in a throwaway group, timed from the first batch to the last event; events per second. */
export async function kafkajsRawRate(brokers: string, topic: string, events: number): Promise<number> {
  const consumer = new Kafka({ brokers: [brokers], logLevel: logLevel.NOTHING }).consumer({ groupId: `bench-raw-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let started = 0;
  const elapsed = new Promise<number>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        started ||= Date.now();
        seen += batch.messages.length;
        if (seen >= events) resolve(Date.now() - started);
      },
    });
  });
  const ms = await elapsed;
  await consumer.disconnect();
  return Math.round(events / (ms / 1000));
}

/**
 * kcat reading every partition from the beginning to the end (`-e`), printing two bytes per
 * message so we can count them; timed from the first message to the exit.
 */
export async function kcatRawRate(brokers: string, topic: string, events: number): Promise<number> {
  const kcat = spawn("kcat", ["-C", "-q", "-e", "-b", brokers, "-t", topic, "-o", "beginning", "-f", ".\n"], { stdio: ["ignore", "pipe", "inherit"] });
  let bytes = 0;
  let started = 0;
  for await (const chunk of kcat.stdout as AsyncIterable<Buffer>) {
    started ||= Date.now();
    bytes += chunk.length;
  }
  const ms = Date.now() - started;
  const seen = bytes / 2;
  if (seen !== events) throw new Error(`kcat read ${seen} events of ${events}.`);
  return Math.round(events / (ms / 1000));
}
