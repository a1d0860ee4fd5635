// The registry client against a small local HTTP server standing in for a registry: what it asks,
// what it keeps, and how each kind of failure comes back. The real registry (Apicurio) is in
// test/integration/schemas/registry-client.test.ts.
import { createServer, type IncomingMessage, type Server } from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import { RegistryClient, RegistryError } from "../../../main/core/schemas/registry-client.js";

const requests: IncomingMessage[] = [];
let server: Server;
let url: string;
let status = 200;

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request);
    const id = /\/schemas\/ids\/(\d+)$/.exec(request.url ?? "")?.[1];
    if (status !== 200) return response.writeHead(status).end("no");
    if (id === "404") return response.writeHead(404).end('{"error_code":40403}');
    if (id === "7") return response.writeHead(200).end("<html>not a registry</html>");
    response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ schema: `{"type":"string","doc":"${id}"}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/apis/ccompat/v7`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const failureOf = async (work: Promise<unknown>) => {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RegistryError);
  return error as RegistryError;
};

it("fetches a schema by id under the API's path, with basic auth, once", async () => {
  requests.length = 0;
  status = 200;
  const client = new RegistryClient({ url, username: "key", password: "not-a-secret" });
  const [first, again] = await Promise.all([client.schema(1), client.schema(1)]);
  expect(first).toEqual({ id: 1, schemaType: "AVRO", schema: '{"type":"string","doc":"1"}', references: [] });
  expect(again).toBe(first);
  expect(await client.schema(1)).toBe(first);
  expect(requests.map((request) => request.url)).toEqual(["/apis/ccompat/v7/schemas/ids/1"]);
  expect(requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from("key:not-a-secret").toString("base64")}`);
});

it("keeps at most cacheSize schemas, the least recently used going first", async () => {
  requests.length = 0;
  status = 200;
  const client = new RegistryClient({ url }, { cacheSize: 2 });
  await client.schema(1);
  await client.schema(2);
  await client.schema(1);
  await client.schema(3); // 2 goes.
  await client.schema(1);
  await client.schema(2);
  expect(requests.map((request) => request.url!.split("/").pop())).toEqual(["1", "2", "3", "2"]);
});

it("tells an unknown id, refused credentials and an unavailable registry apart, and keeps no failure", async () => {
  status = 200;
  const client = new RegistryClient({ url, username: "key", password: "wrong" });
  expect((await failureOf(client.schema(404))).failure).toBe("unknown");
  expect((await failureOf(client.schema(7))).message).toContain("is it a Schema Registry's REST address?");
  status = 401;
  const refused = await failureOf(client.schema(5));
  expect(refused.failure).toBe("refused");
  expect(refused.message).toContain("refused the credentials of key (HTTP 401)");
  expect(refused.message).not.toContain("wrong");
  status = 503;
  expect((await failureOf(client.schema(5))).failure).toBe("unavailable");
  status = 200;
  expect((await client.schema(5)).schema).toContain('"5"');
  const nowhere = new RegistryClient({ url: "http://127.0.0.1:1/" });
  expect((await failureOf(nowhere.schema(1))).message).toMatch(/^Cannot reach the Schema Registry at http:\/\/127\.0\.0\.1:1\/: .*ECONNREFUSED/);
});

it("refuses a URL that is not http or https", () => {
  expect(() => new RegistryClient({ url: "ftp://registry.example/" })).toThrow("is not http or https");
});
