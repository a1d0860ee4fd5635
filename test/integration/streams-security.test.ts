// Streams on the SASL/SCRAM and TLS listeners of the real broker: the password typed on stdin goes to the
// keychain only, or stays in an environment variable; wrong ones are named clearly.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import keytar from "keytar";
import { expect, inject, it } from "vitest";
import { stackScramUser } from "../../stack/kafka.js";
import { kafka, uniqueName } from "../support/clients.js";
import { CliEnv, runCli } from "../support/cli.js";

const { dataDir: home, keychainService: service, env } = new CliEnv("sasl");
const topic = uniqueName("secure");

async function messagesIn(name: string): Promise<number> {
  const admin = kafka(inject("kafkaBrokers")).admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(name);
  await admin.disconnect();
  return offsets.reduce((total, partition) => total + Number(partition.high), 0);
}

it("keeps a SCRAM password typed on stdin in the keychain only, and uses it", async () => {
  const created = await runCli(
    [
      "create",
      "stream",
      "secure",
      "--bootstrap-servers",
      inject("kafkaSaslBrokers"),
      "--topic",
      topic,
      "--create-topic",
      "--sasl-mechanism",
      "scram-sha-256",
      "--username",
      stackScramUser.username,
    ],
    env,
    [],
    `${stackScramUser.password}\n`,
  );
  expect(created.code, created.stderr).toBe(0);
  expect(JSON.parse(created.stdout)).toMatchObject({
    ref: { name: "secure" },
    sasl: { mechanism: "scram-sha-256", username: "streamdrop", password: "keychain" },
  });
  expect((await keytar.findCredentials(service)).map((entry) => entry.password)).toEqual([stackScramUser.password]);
  expect(readFileSync(join(home, "config.json"), "utf8")).not.toContain(stackScramUser.password);
  expect(created.stdout + created.stderr).not.toContain(stackScramUser.password);

  const simulated = await runCli(["simulate", "random-events", "secure", "--rate", "1000", "--count", "100"], env);
  expect(simulated.code, simulated.stderr).toBe(0);
  expect(await messagesIn(topic)).toBe(100);
});

it("names refused SASL credentials", async () => {
  const refused = await runCli(
    [
      "create",
      "stream",
      "wrong",
      "--bootstrap-servers",
      inject("kafkaSaslBrokers"),
      "--topic",
      topic,
      "--sasl-mechanism",
      "scram-sha-512",
      "--username",
      "streamdrop",
    ],
    env,
    [],
    "not-the-password\n",
  );
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain(`streamdrop: Kafka at ${inject("kafkaSaslBrokers")} refused the SASL credentials of user streamdrop`);
  expect(refused.stderr).not.toContain("not-the-password");
});

it("reads the password from an environment variable at run time with --password-env, storing nothing", async () => {
  const withPassword = { ...env, STREAMDROP_TEST_KAFKA_PASSWORD: stackScramUser.password };
  const created = await runCli(
    [
      "create",
      "stream",
      "from-env",
      "--bootstrap-servers",
      inject("kafkaSaslBrokers"),
      "--topic",
      topic,
      "--sasl-mechanism",
      "scram-sha-512",
      "--username",
      "streamdrop",
      "--password-env",
      "STREAMDROP_TEST_KAFKA_PASSWORD",
    ],
    withPassword,
  );
  expect(created.code, created.stderr).toBe(0);
  expect(JSON.parse(created.stdout).sasl.password).toBe("env:STREAMDROP_TEST_KAFKA_PASSWORD");
  expect((await keytar.findCredentials(service)).map((entry) => entry.account).filter((account) => account.includes("from-env"))).toEqual([]);

  const before = await messagesIn(topic);
  expect((await runCli(["simulate", "random-events", "from-env", "--count", "10"], withPassword)).code).toBe(0);
  expect(await messagesIn(topic)).toBe(before + 10);
  const missing = await runCli(["simulate", "random-events", "from-env", "--count", "10"], env);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain(
    "The SASL password of stream from-env comes from the environment variable STREAMDROP_TEST_KAFKA_PASSWORD, which is not set.",
  );
});

it("connects over TLS to a broker whose certificate a private CA signs, with --ca-file", async () => {
  const untrusted = await runCli(["create", "stream", "tls-untrusted", "--bootstrap-servers", inject("kafkaTlsBrokers"), "--topic", topic, "--ssl"], env);
  expect(untrusted.code).toBe(1);
  expect(untrusted.stderr).toContain(
    `streamdrop: Kafka at ${inject("kafkaTlsBrokers")} presented a certificate that the system's trusted authorities (the stream has no CA certificate of its own for the cluster) cannot verify. Choose the cluster's CA certificate file`,
  );
  expect(untrusted.stderr).toContain("--ca-file");
  // Node's own advice names an option of Node's: no front end passes it on.
  expect(untrusted.stderr).not.toContain("--use-system-ca");

  const created = await runCli(
    ["create", "stream", "tls", "--bootstrap-servers", inject("kafkaTlsBrokers"), "--topic", topic, "--ca-file", inject("kafkaCaFile")],
    env,
  );
  expect(created.code, created.stderr).toBe(0);
  expect(JSON.parse(created.stdout)).toMatchObject({ ref: { name: "tls" }, ssl: true });
  const before = await messagesIn(topic);
  const simulated = await runCli(["simulate", "random-events", "tls", "--count", "20"], env);
  expect(simulated.code, simulated.stderr).toBe(0);
  expect(await messagesIn(topic)).toBe(before + 20);
});

it("connects with SASL PLAIN too", async () => {
  const created = await runCli(
    [
      "create",
      "stream",
      "plain",
      "--bootstrap-servers",
      inject("kafkaSaslBrokers"),
      "--topic",
      topic,
      "--sasl-mechanism",
      "plain",
      "--username",
      stackScramUser.username,
    ],
    env,
    [],
    stackScramUser.password,
  );
  expect(created.code, created.stderr).toBe(0);
  const before = await messagesIn(topic);
  expect((await runCli(["simulate", "random-events", "plain", "--count", "5"], env)).code).toBe(0);
  expect(await messagesIn(topic)).toBe(before + 5);
});
