// `create stream --schema-registry` against the stack's Apicurio: tested before the stream is saved,
// the registry's password typed on stdin kept in the keychain only and gone with the stream; an
// address that is no registry, one that does not answer, and one that holds credentials refused
// with what is wrong and nothing saved.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import keytar from "keytar";
import { expect, inject, it } from "vitest";
import { kafka, uniqueName } from "../../support/clients.js";
import { CliEnv, runCli } from "../../support/cli.js";

const { dataDir, keychainService, env } = new CliEnv("registry");
const topic = uniqueName("registry-stream");
const password = uniqueName("registry-password");

const createStream = (name: string, registryArgs: string[], input?: string) =>
  runCli(["create", "stream", name, "--bootstrap-servers", inject("kafkaBrokers"), "--topic", topic, ...registryArgs], env, [], input);

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

it("refuses the registry's options without a registry", async () => {
  const refused = await createStream(uniqueName("lonely"), ["--registry-username", "reader"]);
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toContain("need --schema-registry <url>");
});
