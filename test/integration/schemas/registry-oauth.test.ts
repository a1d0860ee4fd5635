// A Schema Registry that demands OAuth bearer tokens (Apicurio with its OIDC login on, trusting the
// stack's OpenID provider): a stream that logs in to Kafka with an OIDC client logs in to the
// registry with the same client, and an exporter decodes Avro values through it. Without a login
// the registry's refusal is named.
import avro from "avsc";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { requestOidcToken, setOidcClient } from "../../../stack/oidc.js";
import { stopProcessGroup } from "../../../stack/processes.js";
import { startAuthenticatedRegistry } from "../../../stack/registry.js";
import { uniqueName } from "../../support/clients.js";
import { testCore } from "../../support/core.js";
import { duplicatesAndMissing, ExportHarness } from "../../support/export-harness.js";
import { freePort } from "../../support/ports.js";

const clientId = uniqueName("registry-client");
const secret = uniqueName("registry-secret");
const schema = {
  type: "record",
  name: "Order",
  fields: [
    { name: "id", type: "string" },
    { name: "total", type: "long" },
  ],
} as const;
const orderType = avro.Type.forSchema(schema as unknown as avro.Schema);
let registry: { pid: number; url: string } | undefined;

const login = () => ({
  mechanism: "oauthbearer" as const,
  tokenEndpoint: inject("oidcTokenEndpoint"),
  clientId,
  clientSecret: { from: "value" as const, value: secret },
  scope: "kafka",
});

beforeAll(async () => {
  await setOidcClient(clientId, { clientSecret: secret, ttlSeconds: 120 });
  registry = await startAuthenticatedRegistry({ port: await freePort(), issuer: inject("oidcIssuer"), logFile: `/tmp/${uniqueName("registry-oauth")}.log` });
}, 150_000);
afterAll(async () => {
  if (registry) await stopProcessGroup(registry.pid);
});

async function register(subject: string): Promise<number> {
  const token = await requestOidcToken({ clientId, clientSecret: secret }, { tokenEndpoint: inject("oidcTokenEndpoint") });
  const response = await fetch(`${registry!.url}/subjects/${subject}/versions`, {
    method: "POST",
    headers: { authorization: `Bearer ${String(token.body.access_token)}`, "content-type": "application/vnd.schemaregistry.v1+json" },
    body: JSON.stringify({ schema: JSON.stringify(schema) }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: number }).id;
}

describe("a registry behind OAuth", () => {
  let harness: ExportHarness;
  beforeAll(async () => {
    harness = new ExportHarness({
      kafkaBrokers: inject("kafkaBrokers"),
      s3Endpoint: inject("s3Endpoint"),
      partitions: 1,
      intervalSeconds: 1,
      fields: ["value", "valueSchemaId"],
      schemaRegistry: registry!.url,
      registryOauth: true,
      login: { brokers: inject("kafkaOauthBrokers"), caFile: inject("kafkaClientCerts").ca, sasl: login() },
    });
    await harness.setUp();
  }, 60_000);
  afterAll(() => harness?.tearDown());

  it("is read with the stream's OIDC client, and every value decodes", { timeout: 90_000 }, async () => {
    const id = await register(`${harness.topic}-value`);
    // Confluent's wire format: magic byte 0, the schema id, then the Avro binary.
    const messages = Array.from({ length: 20 }, (_, n) => {
      const header = Buffer.alloc(5);
      header.writeInt32BE(id, 1);
      return { value: Buffer.concat([header, orderType.toBuffer({ id: `o-${n}`, total: n * 100 })]) };
    });
    await harness.produceRaw(messages);
    await harness.startEngine();
    const deadline = Date.now() + 60_000;
    let lines: Array<{ value: { id: string; total: number }; valueSchemaId: number }> = [];
    while (lines.length < 20 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      lines = (await harness.objects())
        .filter((object) => !object.key.includes(".strm_test_") && !object.key.includes("-invalid"))
        .flatMap((object) => object.body.split("\n").filter(Boolean))
        .map((line) => JSON.parse(line) as (typeof lines)[number]);
    }
    expect(
      duplicatesAndMissing(
        messages.map((_, n) => `o-${n}`),
        lines.map((line) => line.value.id),
      ),
    ).toEqual({ missing: [], doubled: [], unexpected: [] });
    expect(lines.every((line) => line.valueSchemaId === id && line.value.total === Number(line.value.id.slice(2)) * 100)).toBe(true);
  });

  it("names the registry's refusal when the stream gives it no login", async () => {
    const core = testCore();
    await expect(
      core.streams.create({
        name: "no-login",
        bootstrapServers: inject("kafkaOauthBrokers"),
        topic: harness.topic,
        caFile: inject("kafkaClientCerts").ca,
        sasl: login(),
        schemaRegistry: { url: registry!.url },
      }),
    ).rejects.toThrow(`The Schema Registry at ${registry!.url} refused a request without credentials (HTTP 401)`);
    await expect(
      core.streams.create({
        name: "password-login",
        bootstrapServers: inject("kafkaBrokers"),
        topic: harness.topic,
        schemaRegistry: { url: registry!.url, oauth: {} },
      }),
    ).rejects.toThrow("The Schema Registry is to log in with the stream's OAuth client, and the stream does not log in with OAuth.");
  });
});
