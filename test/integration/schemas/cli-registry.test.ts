// `create stream --schema-registry` against the stack's Apicurio: tested before the stream is saved,
// the registry's password typed on stdin kept in the keychain only and gone with the stream; an
// address that is no registry, one that does not answer, and one that holds credentials refused
// with what is wrong and nothing saved; `inspect stream` naming the schemas and showing decoded
// lines, or, on a stream without a registry, saying it needs one.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import keytar from "keytar";
import { expect, inject, it } from "vitest";
import { kafka, uniqueName } from "../../support/clients.js";
import { CliEnv, runCli } from "../../support/cli.js";
import { produceAvro } from "../../support/schema-producers.js";

const { dataDir, keychainService, env } = new CliEnv("registry");
const topic = uniqueName("registry-stream");
const password = uniqueName("registry-password");

const createStream = (name: string, registryArgs: string[], input?: string, environment = env) =>
  runCli(["create", "stream", name, "--bootstrap-servers", inject("kafkaBrokers"), "--topic", topic, ...registryArgs], environment, [], input);

it("keeps the registry's password typed on stdin in the keychain only, shows the registry, and forgets it with the stream", { timeout: 60_000 }, async () => {
  const admin = kafka(inject("kafkaBrokers")).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();

  const created = await createStream("orders", ["--schema-registry", `${inject("schemaRegistryUrl")}/`, "--registry-username", "reader"], `${password}\n`);
  expect(created.code, created.stderr).toBe(0);
  expect(JSON.parse(created.stdout)).toMatchObject({ schemaRegistry: { url: inject("schemaRegistryUrl"), username: "reader", password: "keychain" } });
  expect((await keytar.findCredentials(keychainService)).map((entry) => entry.password)).toEqual([password]);
  expect(readFileSync(join(dataDir, "config.json"), "utf8")).not.toContain(password);
  expect(created.stdout + created.stderr).not.toContain(password);

  const shown = await runCli(["get", "stream", "orders"], env);
  expect(JSON.parse(shown.stdout)).toMatchObject({ schemaRegistry: { url: inject("schemaRegistryUrl"), password: "keychain" } });

  const deleted = await runCli(["delete", "stream", "orders"], env);
  expect(deleted.code, deleted.stderr).toBe(0);
  expect(await keytar.findCredentials(keychainService)).toEqual([]);
});

it.each([
  ["an address that is no registry (moto's)", () => [inject("s3Endpoint")], /has no Schema Registry API|other than JSON|other than a list/],
  ["an address that does not answer", () => ["http://127.0.0.1:1"], /Cannot reach the Schema Registry at http:\/\/127\.0\.0\.1:1/],
  ["an address holding credentials", () => ["https://key:hidden-value@registry.example"], /holds credentials/],
])("refuses %s, saving nothing", { timeout: 60_000 }, async (_, url, problem) => {
  const refused = await createStream(uniqueName("refused"), ["--schema-registry", ...url()]);
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toMatch(problem);
  expect(refused.stderr).not.toContain("hidden-value");
  const listed = await runCli(["list", "streams", "--output", "json"], env);
  expect((JSON.parse(listed.stdout) as { streams: unknown[] }).streams).toEqual([]);
});

it("reads the registry's password from an environment variable at run time instead, storing nothing", async () => {
  const name = uniqueName("from-env");
  const fromEnv = (variable: string) => [
    "--schema-registry",
    inject("schemaRegistryUrl"),
    "--registry-username",
    "reader",
    "--registry-password-env",
    variable,
  ];
  const created = await createStream(name, fromEnv("STREAMDROP_TEST_REGISTRY_PASSWORD"), undefined, { ...env, STREAMDROP_TEST_REGISTRY_PASSWORD: password });
  expect(created.code, created.stderr).toBe(0);
  expect(JSON.parse(created.stdout)).toMatchObject({ schemaRegistry: { username: "reader", password: "env:STREAMDROP_TEST_REGISTRY_PASSWORD" } });
  expect(await keytar.findCredentials(keychainService)).toEqual([]);
  expect(readFileSync(join(dataDir, "config.json"), "utf8")).not.toContain(password);
  // Without the variable, the stream cannot be made: the registry is tested with the password it names.
  const unset = await createStream(uniqueName("unset"), fromEnv("STREAMDROP_TEST_UNSET_VARIABLE"));
  expect(unset.code).not.toBe(0);
  expect(unset.stderr).toContain("STREAMDROP_TEST_UNSET_VARIABLE is not set");
  await runCli(["delete", "stream", name], env);
});

it("refuses the registry's options without a registry", async () => {
  const refused = await createStream(uniqueName("lonely"), ["--registry-username", "reader"]);
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toContain("need --schema-registry <url>");
});

it("inspects a stream with its registry: the schemas by subject and version, decoded lines; without one, says it needs it", { timeout: 120_000 }, async () => {
  const registry = inject("schemaRegistryUrl");
  const checked = uniqueName("checked");
  const admin = kafka(inject("kafkaBrokers")).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: checked, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const schema = {
    type: "record",
    name: "Visit",
    fields: [
      { name: "id", type: "long" },
      { name: "page", type: "string" },
    ],
  };
  const keySchema = { type: "record", name: "VisitKey", fields: [{ name: "user", type: "long" }] };
  await produceAvro({
    brokers: inject("kafkaBrokers"),
    registry,
    topic: checked,
    schema,
    keySchema,
    records: [{ key: { user: 1 }, value: { id: 41, page: "/a" } }],
  });
  const make = (name: string, extra: string[]) =>
    runCli(["create", "stream", name, "--bootstrap-servers", inject("kafkaBrokers"), "--topic", checked, ...extra], env);
  expect((await make("decoded", ["--schema-registry", registry])).code).toBe(0);
  expect((await make("raw", [])).code).toBe(0);

  const inspected = await runCli(["inspect", "stream", "decoded", "--fields", "key,value"], env);
  expect(inspected.code, inspected.stderr).toBe(0);
  // A registry gives identical schemas one id, whichever subject registered them first: this topic's subject is among its subjects.
  expect(inspected.stdout).toMatch(new RegExp(`schema id \\d+: AVRO \\([^)]*${checked}-value v1[^)]*\\), 1 values, 0 keys`));
  expect(inspected.stdout).toMatch(new RegExp(`schema id \\d+: AVRO \\([^)]*${checked}-key v1[^)]*\\), 0 values, 1 keys`));
  expect(inspected.stdout).toContain('{"key":{"user":1},"value":{"id":41,"page":"/a"}}');
  const kept = await runCli(["inspect", "stream", "decoded", "--fields", "key,value", "--decode", "none", "--output", "json"], env);
  expect(JSON.parse(kept.stdout)).not.toHaveProperty("schemas");

  const plain = await runCli(["inspect", "stream", "raw"], env);
  expect(plain.code, plain.stderr).toBe(0);
  expect(plain.stdout).toContain("give the stream its Schema Registry, and they are decoded to JSON");
  expect(plain.stdout).toContain("0 lines, 1 to the -invalid file");
});
