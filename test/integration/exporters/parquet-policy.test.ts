// Under moto's IAM enforcement, the permission a Parquet exporter needs is the one its policy
// grants: the JSON Lines policy (s3:PutObject on *.jsonl) refuses it, before it is saved, naming
// the pattern to allow; the policy made for Parquet (`policy --format parquet`) lets it export.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { leastPrivilegePolicy } from "../../../main/core/stores/s3/aws/policy.js";
import { kafka, s3Client, uniqueName } from "../../support/clients.js";
import { testCore } from "../../support/core.js";
import { createUser, iamClient } from "../../support/iam.js";
import { startPrivateMoto, type PrivateMoto } from "../../support/moto-private.js";
import { waitFor } from "../../support/wait-for.js";

let moto: PrivateMoto;
const core = testCore();
const topic = uniqueName("parquet-policy");
const bucket = "parquet-policy-bucket";
const setup = { accessKeyId: "AKIASETUPSETUPSETUP0", secretAccessKey: "setup-only" };
const columns = "id int64, name string";
/** Reads the bucket once IAM is enforced. */
let reader: { accessKeyId: string; secretAccessKey: string };

beforeAll(async () => {
  moto = await startPrivateMoto();
  await s3Client(moto.endpoint, setup).send(new CreateBucketCommand({ Bucket: bucket }));
  const iam = iamClient(moto.endpoint, setup);
  const dir = mkdtempSync(join(tmpdir(), "streamdrop-parquet-policy-"));
  reader = (await createUser(iam, dir, "reader", [{ Effect: "Allow", Action: "*", Resource: "*" }])).key;
  const jsonl = await createUser(iam, dir, "jsonl-writer", leastPrivilegePolicy(bucket, "events").Statement);
  const parquet = await createUser(iam, dir, "parquet-writer", leastPrivilegePolicy(bucket, "events", ["none", "parquet"]).Statement);
  await moto.enforceIam();
  const admin = kafka(inject("kafkaBrokers")).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  await core.streams.create({ name: "orders", bootstrapServers: inject("kafkaBrokers"), topic });
  for (const [name, user] of [
    ["jsonl-only", jsonl],
    ["parquet-too", parquet],
  ] as const)
    await core.sinks.create({ name, bucket, credentials: { from: "file", path: user.credentialsFile }, endpoint: moto.endpoint, pathPrefix: "events" });
}, 60_000);

afterAll(() => moto?.stop());

it("is refused with the JSON Lines policy, before it is saved, naming the *.parquet permission", async () => {
  await expect(core.exporters.create({ streamName: "orders", sinkName: "jsonl-only", format: "parquet", columns })).rejects.toThrow(
    /s3:PutObject.*\*\.parquet/s,
  );
  expect(await core.exporters.list()).toEqual([]);
  // JSON Lines files are what that policy allows.
  await expect(core.exporters.create({ streamName: "orders", sinkName: "jsonl-only", name: "lines" })).resolves.toMatchObject({ name: "lines" });
});

it("exports with the policy made for Parquet", { timeout: 60_000 }, async () => {
  const exporter = await core.exporters.create({
    streamName: "orders",
    sinkName: "parquet-too",
    name: "columns",
    format: "parquet",
    columns,
    pathPrefix: "events/columns",
    includeExistingEvents: true,
    intervalSeconds: 1,
  });
  const producer = kafka(inject("kafkaBrokers")).producer();
  await producer.connect();
  await producer.send({ topic, messages: Array.from({ length: 20 }, (_, id) => ({ value: JSON.stringify({ id, name: `n${id}` }) })) });
  await producer.disconnect();
  const engine = core.engine({ restartBackoff: { initialMs: 300, maxMs: 1000 } });
  await engine.start();
  try {
    await waitFor(
      "the events",
      async () => ((engine.statuses().find((status) => status.name === exporter.name)?.eventsExported ?? 0) >= 20 ? true : undefined),
      45_000,
    );
  } finally {
    await engine.stop();
  }
  const listed = await s3Client(moto.endpoint, reader).send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "events/columns/" }));
  const keys = (listed.Contents ?? []).map((object) => object.Key!);
  expect(keys.some((key) => /\/\d{4}-\d\d-\d\dT[^/]*\.parquet$/.test(key))).toBe(true);
});
