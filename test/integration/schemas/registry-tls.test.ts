// A Schema Registry over TLS whose certificate a private CA signs (the stack's own CA and server
// certificate, served here by Node's https): without the CA the failure needs a person and says
// to choose the registry's CA file, in words free of Node's advice; with it, the registry answers.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { RegistryClient, RegistryError } from "../../../main/core/schemas/registry-client.js";

let server: Server;
let url: string;

beforeAll(async () => {
  const tls = dirname(inject("kafkaCaFile"));
  server = createServer({ key: readFileSync(join(tls, "server.key")), cert: readFileSync(join(tls, "server.pem")) }, (_request, response) => {
    response.writeHead(200, { "content-type": "application/vnd.schemaregistry.v1+json" });
    response.end('["orders-value"]');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it("refuses a certificate it cannot verify as needing a person, naming the CA file to choose", async () => {
  const failure = await new RegistryClient({ url }).subjects().catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(RegistryError);
  expect(failure).toMatchObject({ failure: "refused" });
  const { message } = failure as RegistryError;
  expect(message).toBe(
    `The Schema Registry at ${url} presented a certificate that the system's trusted authorities (the stream has no CA certificate of its own for the registry) cannot verify. Choose the registry's CA certificate file for the stream (often ca.pem or ca.crt, from the registry's provider).`,
  );
  expect(message).not.toMatch(/--[a-z]/);
});

it("answers once given the registry's CA certificate", async () => {
  await expect(new RegistryClient({ url, caFile: inject("kafkaCaFile") }).subjects()).resolves.toEqual(["orders-value"]);
});
