// A failure that needs a person, as a user on a server meets it: the topic is deleted while
// `streamdrop run` exports it. The exporter goes into an error state that names the cause, in
// `run`'s progress and in `get batch-exporter`, within 30 s; the slow retries that follow write no
// trail of validation files.
import { spawn } from "node:child_process";
import { CreateBucketCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { expect, inject, it } from "vitest";
import { kafka, s3Client, uniqueName } from "../../support/clients.js";
import { CliEnv, runCli, streamdropBin } from "../../support/cli.js";
import { isValidationFile } from "../../support/export-harness.js";

const { env } = new CliEnv("needs-person", { awsKey: true });
const cli = async (...args: string[]) => {
  const run = await runCli(args, env);
  expect(run.code, `streamdrop ${args.join(" ")}: ${run.stderr}`).toBe(0);
  return run;
};

it("stops with a message naming the deleted topic within 30 s, and retries without a trail of validation files", { timeout: 150_000 }, async () => {
  const bucket = uniqueName("needs-person");
  const topic = uniqueName("deleted");
  await s3Client(inject("s3Endpoint")).send(new CreateBucketCommand({ Bucket: bucket }));
  const admin = kafka(inject("kafkaBrokers")).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
  const producer = kafka(inject("kafkaBrokers")).producer();
  await producer.connect();
  await producer.send({ topic, messages: Array.from({ length: 100 }, (_, i) => ({ value: JSON.stringify({ id: i }) })) });
  await producer.disconnect();
  await cli("create", "sink", "s3", bucket, "--use-default-credentials", "--endpoint", inject("s3Endpoint"), "--path-prefix", "events");
  await cli("create", "stream", "doomed", "--bootstrap-servers", inject("kafkaBrokers"), "--topic", topic);
  await cli("create", "batch-exporter", "doomed", "--sink", "s3", "--interval", "1", "--include-existing-events");

  const run = spawn(process.execPath, [streamdropBin, "run", "--progress-every", "1"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  run.stderr.on("data", (chunk: Buffer) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => run.once("exit", (code) => resolve(code)));
  try {
    const until = async (pattern: RegExp, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
      return pattern.test(output);
    };
    expect(await until(/s3-doomed: running, 100 events/, 60_000), output).toBe(true);

    await admin.deleteTopics({ topics: [topic] });
    const deletedAt = Date.now();
    const message = new RegExp(
      `s3-doomed: error, .*needs attention: Topic ${topic} no longer exists on ${inject("kafkaBrokers")}: it was deleted\\. Re-create it .* or delete the exporter\\. Streamdrop tries again in \\d+ s\\.`,
    );
    expect(await until(message, 30_000), output.slice(-2000)).toBe(true);
    expect(Date.now() - deletedAt).toBeLessThan(30_000);

    const shown = JSON.parse((await cli("get", "batch-exporter", "s3-doomed")).stdout);
    expect(shown.status).toMatchObject({ state: "error", needsAttention: "topic-deleted", eventsExported: 100 });
    expect(shown.status.error).toContain(`Topic ${topic} no longer exists`);

    // The first retry comes 30 s later and fails the same way (the next waits twice as long); it writes no validation file.
    expect(await until(/Streamdrop tries again in 1 min\./, 50_000), output.slice(-2000)).toBe(true);
  } finally {
    run.kill("SIGINT");
    expect(await exited).toBe(0);
    await admin.disconnect();
  }
  const log = JSON.parse((await cli("files", "s3-doomed", "-o", "json")).stdout).files as Array<{ kind: string }>;
  expect(log.filter((file) => file.kind === "validation")).toHaveLength(1);
  // In the bucket: the sink's and the exporter's at creation; the start of `run` changed nothing they prove.
  const listed = await s3Client(inject("s3Endpoint")).send(new ListObjectsV2Command({ Bucket: bucket }));
  expect((listed.Contents ?? []).filter((object) => isValidationFile(object.Key!))).toHaveLength(2);
});
