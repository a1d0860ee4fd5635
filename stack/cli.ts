// `npm run stack:up|down|status|install`: the local Kafka + OpenID provider + S3/IAM/STS + Schema Registry stack on 127.0.0.1.
import { StackError } from "./errors.js";
import { fakeGcsBinary } from "./fake-gcs.js";
import { kafkaClasspath } from "./kafka.js";
import { motoServerBinary } from "./moto.js";
import { registryJar } from "./registry.js";
import { down, status, up } from "./stack.js";
import { stackComponents, type Component } from "./state.js";

const commands: Record<string, () => Promise<void>> = {
  async install() {
    kafkaClasspath();
    motoServerBinary();
    fakeGcsBinary();
    registryJar();
    console.error("Kafka's jars, moto server, fake-gcs-server and Apicurio Registry are in the cache.");
  },
  async up() {
    // `up kafka` starts only the broker and the OpenID provider it needs (a test's private stack that needs no S3).
    const only = process.argv.slice(3) as Component[];
    const unknown = only.filter((component) => !(stackComponents as readonly string[]).includes(component));
    if (unknown.length > 0) throw new StackError(`Unknown component ${unknown.join(", ")}: the stack has ${stackComponents.join(", ")}.`);
    const result = await up(only.length > 0 ? only : undefined);
    console.error(result.started.length > 0 ? `Started: ${result.started.join(", ")}.` : "The stack was already running; started nothing.");
    // Bare lines so scripts can `eval` or grep them.
    console.log(`KAFKA_BROKERS=${result.kafkaBrokers}`);
    console.log(`S3_ENDPOINT=${result.s3Endpoint}`);
    console.log(`SCHEMA_REGISTRY_URL=${result.schemaRegistryUrl}`);
  },
  async down() {
    const stopped = await down();
    console.error(stopped.length > 0 ? `Stopped: ${stopped.join(", ")}.` : "Nothing started by stack:up was running.");
  },
  async status() {
    for (const entry of await status()) {
      const where = entry.pid ? `pid ${entry.pid}, port ${entry.port}, log ${entry.logFile}` : `port ${entry.port}`;
      console.log(`${entry.component}: ${entry.serving ? "running" : "not running"} (${where})`);
    }
  },
};

const name = process.argv[2] ?? "";
const command = commands[name];
if (!command) {
  console.error(`Usage: stack <${Object.keys(commands).join("|")}>`);
  process.exit(2);
}
command().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof StackError ? `stack ${name}: ${error.message}` : error);
    process.exit(1);
  },
);
