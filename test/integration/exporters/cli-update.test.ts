// `update batch-exporter` through the built CLI: what a headless server uses to change an exporter
// in place (its consumer group, and so its place in the topic, stays). --dry-run says what the
// change does and changes nothing; without it the settings are saved as the window saves them.
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { beforeAll, expect, inject, it } from "vitest";
import { s3Client, uniqueName } from "../../support/clients.js";
import { CliEnv, cliIn } from "../../support/cli.js";

const { env } = new CliEnv("cli-update", { awsKey: true });
const bucket = uniqueName("cli-update");
const topic = uniqueName("updated");
const { cli, ok } = cliIn(env);

beforeAll(async () => {
  await s3Client(inject("s3Endpoint")).send(new CreateBucketCommand({ Bucket: bucket }));
  await ok("create", "sink", "s3", bucket, "--use-default-credentials", "--endpoint", inject("s3Endpoint"), "--path-prefix", "events");
  await ok("create", "stream", "demo", "--bootstrap-servers", inject("kafkaBrokers"), "--topic", topic, "--create-topic");
  await ok("create", "batch-exporter", "demo", "--sink", "s3", "--interval", "60");
}, 60_000);

it("says what a change does with --dry-run and changes nothing, then saves it", async () => {
  const change = ["update", "batch-exporter", "s3-demo", "--interval", "5", "--compression", "gzip", "--path-template", "dt={date}"];
  const dry = await ok(...change, "--dry-run");
  expect(dry.stderr).toContain("New files end in .jsonl.gz instead of .jsonl");
  expect(dry.stderr).toContain("Files are cut every 5 s instead of every 60 s");
  expect(dry.stderr).toContain("Dry run: batch exporter s3-demo is unchanged.");
  expect(JSON.parse(dry.stdout)).toMatchObject({
    before: { interval: "60s", compression: "none" },
    after: { interval: "5s", compression: "gzip", pathTemplate: "dt={date}" },
  });
  expect(JSON.parse((await ok("get", "batch-exporter", "s3-demo")).stdout)).toMatchObject({ interval: "60s", compression: "none" });

  const saved = await ok(...change);
  expect(JSON.parse(saved.stdout)).toMatchObject({ interval: "5s", compression: "gzip", pathTemplate: "dt={date}" });
  expect(JSON.parse((await ok("get", "batch-exporter", "s3-demo")).stdout)).toMatchObject({ interval: "5s", compression: "gzip", pathTemplate: "dt={date}" });
  // Back to no folders with "", and the prefix back to the sink's.
  expect(JSON.parse((await ok("update", "batch-exporter", "s3-demo", "--path-template", "")).stdout)).not.toHaveProperty("pathTemplate");
});

it("refuses nothing to change, and bad values, naming them", async () => {
  const nothing = await cli("update", "batch-exporter", "s3-demo");
  expect(nothing.code).not.toBe(0);
  expect(nothing.stderr).toContain("Nothing to change: give at least one setting, such as --interval 60.");
  const bad = await cli("update", "batch-exporter", "s3-demo", "--compression", "brotli");
  expect(bad.code).not.toBe(0);
  expect(bad.stderr).toContain('Unknown compression "brotli"');
  const missing = await cli("update", "batch-exporter", "nope", "--interval", "5");
  expect(missing.stderr).toContain("There is no batch exporter named nope.");
});
