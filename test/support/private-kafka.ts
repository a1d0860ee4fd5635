// A private Kafka broker for tests that restart it (the shared one serves other tests meanwhile).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startKafka, type KafkaNode } from "../../stack/kafka.js";
import { stopProcessGroup } from "../../stack/processes.js";
import { freePort } from "./ports.js";

export interface PrivateKafka {
  brokers: string;
  /** Stops the broker (SIGTERM, its data kept) and starts it again on the same ports. */
  restart(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrivateKafka(): Promise<PrivateKafka> {
  const dir = mkdtempSync(join(tmpdir(), "streamdrop-kafka-"));
  const node: KafkaNode = { port: await freePort(), controllerPort: await freePort(), dataDir: join(dir, "data"), logFile: join(dir, "kafka.log") };
  let running = await startKafka(node, { fresh: true });
  return {
    brokers: `127.0.0.1:${node.port}`,
    async restart(downMs) {
      await stopProcessGroup(running.pid);
      await new Promise((resolve) => setTimeout(resolve, downMs));
      running = await startKafka(node, { fresh: false });
    },
    async stop() {
      await stopProcessGroup(running.pid);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
