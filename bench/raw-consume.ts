// The raw consume limit: a client reading the whole topic and discarding it, with nothing else
// to do. kafkajs is the client Streamdrop uses; kcat (librdkafka, C) shows what the broker gives.
import { spawn } from "node:child_process";
import { Kafka, logLevel } from "kafkajs";
import { CpuSpan, ownCpuMs, readerCpuMs, type CpuPerEvent } from "./cpu.js";

/** A raw read: events per second, and the CPU it took per event (the reader's and the broker's). */
export interface RawRead {
  rate: number;
  cpu: CpuPerEvent;
}

/** kafkajs in a throwaway group, timed from the first batch to the last event. */
export async function kafkajsRawRead(brokers: string, topic: string, events: number): Promise<RawRead> {
  const consumer = new Kafka({ brokers: [brokers], logLevel: logLevel.NOTHING }).consumer({ groupId: `bench-raw-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const cpu = new CpuSpan({ reader: ownCpuMs });
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
  const perEvent = cpu.perEvent(events);
  await consumer.disconnect();
  return { rate: Math.round(events / (ms / 1000)), cpu: perEvent };
}

/**
 * kcat reading every partition from the beginning to the end (`-e`), printing two bytes per
 * message so we can count them; timed from the first message to the exit.
 */
export async function kcatRawRead(brokers: string, topic: string, events: number): Promise<RawRead> {
  const cpu = new CpuSpan({ reader: readerCpuMs() });
  const kcat = spawn("kcat", ["-C", "-q", "-e", "-b", brokers, "-t", topic, "-o", "beginning", "-f", ".\n"], { stdio: ["ignore", "pipe", "inherit"] });
  // Node reaps kcat before "exit": its CPU then counts in the bench's children.
  const exited = new Promise((resolve) => kcat.once("exit", resolve));
  let bytes = 0;
  let started = 0;
  for await (const chunk of kcat.stdout as AsyncIterable<Buffer>) {
    started ||= Date.now();
    bytes += chunk.length;
  }
  const ms = Date.now() - started;
  await exited;
  const seen = bytes / 2;
  if (seen !== events) throw new Error(`kcat read ${seen} events of ${events}.`);
  return { rate: Math.round(events / (ms / 1000)), cpu: cpu.perEvent(events) };
}
