// A revoked key: the exporter goes into an error state that says what is wrong, and nothing is
// committed, so the events wait in Kafka for a working key.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeleteAccessKeyCommand } from "@aws-sdk/client-iam";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { leastPrivilegePolicy } from "../../../main/core/stores/s3/aws/policy.js";
import { consumerGroupId } from "../../../main/core/exporters/control/exporter-service.js";
import { kafka, s3Client, uniqueName } from "../../support/clients.js";
import { testCore } from "../../support/core.js";
import { createUser, iamClient } from "../../support/iam.js";
import { startPrivateMoto, type PrivateMoto } from "../../support/moto-private.js";

let moto: PrivateMoto;
const core = testCore();
const topic = uniqueName("revoked");
const bucket = "revoked-key-bucket";

beforeAll(async () => {
  moto = await startPrivateMoto();
  const setup = { accessKeyId: "AKIASETUPSETUPSETUP0", secretAccessKey: "setup-only" };
  await s3Client(moto.endpoint, setup).send(new CreateBucketCommand({ Bucket: bucket }));
  const iam = iamClient(moto.endpoint, setup);
  const dir = mkdtempSync(join(tmpdir(), "streamdrop-revoked-"));
  const admin = await createUser(iam, dir, "admin", [{ Effect: "Allow", Action: "*", Resource: "*" }]);
  const writer = await createUser(iam, dir, "writer", leastPrivilegePolicy(bucket, "events").Statement);
  await moto.enforceIam();

  const admin0 = kafka(inject("kafkaBrokers")).admin();
  await admin0.connect();
  await admin0.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
  await admin0.disconnect();
  await core.sinks.create({ name: "s3", bucket, credentials: { from: "file", path: writer.credentialsFile }, endpoint: moto.endpoint, pathPrefix: "events" });
  await core.streams.create({ name: "clicks", bootstrapServers: inject("kafkaBrokers"), topic });
  await core.exporters.create({ streamName: "clicks", sinkName: "s3", intervalSeconds: 1, includeExistingEvents: true });
  // The key is revoked after setup: the exporter's next write is refused.
  await iamClient(moto.endpoint, admin.key).send(new DeleteAccessKeyCommand({ UserName: "writer", AccessKeyId: writer.key.accessKeyId }));
}, 60_000);

afterAll(() => moto?.stop());

it("puts the exporter in an error state with a clear message and commits nothing", { timeout: 60_000 }, async () => {
  const producer = kafka(inject("kafkaBrokers")).producer();
  await producer.connect();
  await producer.send({ topic, messages: Array.from({ length: 50 }, (_, i) => ({ value: JSON.stringify({ id: i }) })) });
  await producer.disconnect();

  const engine = core.engine({ restartBackoff: { initialMs: 300, maxMs: 1000 } });
  await engine.start();
  try {
    const deadline = Date.now() + 30_000;
    let status = engine.statuses()[0];
    // The worker says it needs a person; its supervisor then adds when it tries again.
    while (!(status?.state === "error" && /tries again/.test(status.lastError ?? "")) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = engine.statuses()[0];
    }
    expect(status?.state).toBe("error");
    expect(status?.lastError).toContain("The access key ID is not known to S3: it may have been deleted or revoked.");
    // It needs a person: it says so, and tries again only slowly.
    expect(status?.problem).toBe("storage-refused");
    expect(status?.lastError).toMatch(/Streamdrop tries again in \d+ s\.$/);
  } finally {
    await engine.stop();
  }
  const admin = kafka(inject("kafkaBrokers")).admin();
  await admin.connect();
  const [committed] = await admin.fetchOffsets({ groupId: consumerGroupId((await core.exporters.list())[0]!), topics: [topic] });
  await admin.disconnect();
  // Nothing past the first event: at most the intent of the first file, committed (as the protocol
  // does) at the offset that file starts from, before the store refused it.
  expect(
    committed!.partitions.every((partition) => partition.offset === "-1" || partition.offset === "0"),
    JSON.stringify(committed),
  ).toBe(true);
});
