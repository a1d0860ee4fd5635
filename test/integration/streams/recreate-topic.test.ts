// `recreate-topic stream` through the built CLI against the stack's broker (#34): a stream whose
// topic was deleted gets it back, with the partitions asked for; a topic that exists is refused,
// saying there is nothing to re-create.
import { beforeAll, expect, inject, it } from "vitest";
import { kafka, uniqueName } from "../../support/clients.js";
import { CliEnv, cliIn } from "../../support/cli.js";

const { cli, ok } = cliIn(new CliEnv("recreate-topic").env);
const topic = uniqueName("recreated");

async function partitionsOf(name: string): Promise<number | undefined> {
  const admin = kafka(inject("kafkaBrokers")).admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(name)) return undefined;
    return (await admin.fetchTopicMetadata({ topics: [name] })).topics[0]!.partitions.length;
  } finally {
    await admin.disconnect();
  }
}

beforeAll(async () => {
  await ok("create", "stream", "gone", "--bootstrap-servers", inject("kafkaBrokers"), "--topic", topic, "--create-topic");
}, 60_000);

it("creates a deleted topic again with the partitions asked for, and refuses one that exists", { timeout: 60_000 }, async () => {
  const refused = await cli("recreate-topic", "stream", "gone");
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(`Topic ${topic} of stream gone exists on ${inject("kafkaBrokers")}: there is nothing to re-create.`);

  const admin = kafka(inject("kafkaBrokers")).admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
  for (let wait = 0; (await partitionsOf(topic)) !== undefined && wait < 40; wait += 1) await new Promise((resolve) => setTimeout(resolve, 250));

  const bad = await cli("recreate-topic", "stream", "gone", "--partitions", "0");
  expect(bad.code).toBe(1);
  expect(bad.stderr).toContain("--partitions must be from 1 to 10000 (got 0).");

  const created = await ok("recreate-topic", "stream", "gone", "--partitions", "3");
  expect(JSON.parse(created.stdout)).toEqual({ stream: "gone", topic, partitions: 3 });
  expect(created.stderr).toContain(`Created topic ${topic} of stream gone again, with 3 partitions.`);
  expect(await partitionsOf(topic)).toBe(3);
});
