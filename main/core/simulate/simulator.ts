// `simulate random-events`: produces clickstream events to a stream at a steady rate.
import { CompressionTypes, Partitioners } from "kafkajs";
import type { KafkaConnection } from "../streams/kafka-client.js";
import { kafkaClient } from "../streams/kafka-client.js";
import { ClickstreamGenerator } from "./clickstream.js";

export interface SimulationOptions {
  topic: string;
  /** Events per second. */
  rate: number;
  /** Stop after this many; unbounded when absent. */
  count?: number;
  sessions: number;
  signal?: AbortSignal;
  onProgress?: (sent: number) => void;
}

export async function simulateRandomEvents(connection: KafkaConnection, options: SimulationOptions): Promise<number> {
  const producer = kafkaClient(connection, "streamdrop-simulator").producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  const generator = new ClickstreamGenerator(options.sessions);
  await producer.connect();
  let sent = 0;
  const started = Date.now();
  try {
    while (!options.signal?.aborted && (options.count === undefined || sent < options.count)) {
      // Send what the rate allows by now, in one request, then sleep a tick.
      const due = Math.floor(((Date.now() - started) / 1000) * options.rate) + 1;
      const size = Math.min(due - sent, options.count === undefined ? Infinity : options.count - sent, 5000);
      if (size > 0) {
        const messages = Array.from({ length: size }, () => {
          const { key, event } = generator.next();
          return { key, value: JSON.stringify(event) };
        });
        await producer.send({ topic: options.topic, messages, compression: CompressionTypes.None });
        sent += size;
        options.onProgress?.(sent);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await producer.disconnect();
  }
  return sent;
}
