// A stream's registry as a person gives it: its address checked before anything is asked, and the
// connection test's failures worded for a person (a local HTTP server stands in for the registry;
// the real one, Apicurio, is in test/integration/schemas/registry-export.test.ts and cli-registry).
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import { checkRegistryUrl, testRegistry } from "../../../main/core/schemas/registry-settings.js";

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === "/ok/subjects") return response.writeHead(200, { "Content-Type": "application/json" }).end('["a-value","b-value"]');
    if (request.url === "/locked/subjects") return response.writeHead(401).end("Unauthorized");
    if (request.url === "/html/subjects") return response.writeHead(200).end("<html>a web page</html>");
    if (request.url === "/object/subjects") return response.writeHead(200).end('{"subjects":1}');
    response.writeHead(404).end("Not Found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it("takes an http(s) address, without its trailing slash", () => {
  expect(checkRegistryUrl(" https://psrc-x.europe-west3.gcp.confluent.cloud/ ")).toBe("https://psrc-x.europe-west3.gcp.confluent.cloud");
  expect(checkRegistryUrl("http://127.0.0.1:18081/apis/ccompat/v7")).toBe("http://127.0.0.1:18081/apis/ccompat/v7");
});

it.each([
  ["not a url", "is not a URL"],
  ["registry.example:8081", "must start with http:// or https://"],
  ["ftp://registry.example", "must start with http:// or https://"],
  ["https://key:secret@registry.example", "holds credentials"],
  ["https://registry.example/?token=abc", "has a query or a fragment"],
])("refuses %s, saying what is wrong", (url, problem) => {
  expect(() => checkRegistryUrl(url)).toThrow(problem);
});

it("never echoes an address that holds credentials", () => {
  expect(() => checkRegistryUrl("https://key:s3cr3t-value@registry.example")).toThrow(
    expect.objectContaining({ message: expect.not.stringContaining("s3cr3t-value") }),
  );
});

it("counts the subjects of a registry that answers", async () => {
  await expect(testRegistry({ url: `${base}/ok` })).resolves.toEqual({ subjects: 2 });
});

it.each([
  ["/locked", "credentials", "refused a request without credentials (HTTP 401)"],
  ["/nothing", "invalid-input", "has no Schema Registry API"],
  ["/html", "invalid-input", "something other than JSON"],
  ["/object", "invalid-input", "something other than a list of names"],
])("says what is wrong with %s", async (path, code, message) => {
  const error = await testRegistry({ url: `${base}${path}` }).catch((caught: unknown) => caught);
  expect(error).toMatchObject({ code, message: expect.stringContaining(message) });
});

it("says a registry that cannot be reached cannot be reached", async () => {
  const error = await testRegistry({ url: "http://127.0.0.1:1" }).catch((caught: unknown) => caught);
  expect(error).toMatchObject({ code: "invalid-input", message: expect.stringContaining("Cannot reach the Schema Registry at http://127.0.0.1:1") });
});
