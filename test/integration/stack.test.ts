// `stack:up` reuses a running stack, and fails cleanly (clear message, non-zero exit, nothing
// left running) when a port is taken, Java is missing or Maven cannot resolve Kafka's jars.
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, inject, it } from "vitest";
import { portAnswers } from "../../stack/ports.js";
import { readState } from "../../stack/state.js";
import { parseEndpoints, runStackCli } from "../support/stack-setup.js";

const servers: Server[] = [];
afterEach(() => servers.splice(0).forEach((server) => server.close()));

function listen(port = 0): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    servers.push(server);
    server.listen(port, "127.0.0.1", () => resolve((server.address() as { port: number }).port));
  });
}

async function freePort(): Promise<number> {
  const port = await listen();
  servers.pop()!.close();
  return port;
}

/** An isolated stack (own state folder and ports) so failures cannot touch the shared one. */
async function isolatedEnv(extra: NodeJS.ProcessEnv = {}) {
  const stackDir = mkdtempSync(join(tmpdir(), "streamdrop-stack-"));
  const ports = {
    kafka: await freePort(),
    controller: await freePort(),
    sasl: await freePort(),
    ssl: await freePort(),
    mtls: await freePort(),
    oauth: await freePort(),
    oidc: await freePort(),
    moto: await freePort(),
    registry: await freePort(),
  };
  const env = {
    ...process.env,
    STREAMDROP_STACK_DIR: stackDir,
    STREAMDROP_KAFKA_PORT: String(ports.kafka),
    STREAMDROP_KAFKA_CONTROLLER_PORT: String(ports.controller),
    STREAMDROP_KAFKA_SASL_PORT: String(ports.sasl),
    STREAMDROP_KAFKA_SSL_PORT: String(ports.ssl),
    STREAMDROP_KAFKA_MTLS_PORT: String(ports.mtls),
    STREAMDROP_KAFKA_OAUTH_PORT: String(ports.oauth),
    STREAMDROP_OIDC_PORT: String(ports.oidc),
    STREAMDROP_MOTO_PORT: String(ports.moto),
    STREAMDROP_REGISTRY_PORT: String(ports.registry),
    ...extra,
  };
  return { env, ports, stackDir };
}

async function expectNothingRunning(stackDir: string, ports: Record<string, number>) {
  expect(existsSync(join(stackDir, "state.json"))).toBe(false);
  for (const port of Object.values(ports)) expect(await portAnswers(port, 300)).toBe(false);
}

describe("stack:up", () => {
  it("prints the endpoints and starts nothing when the stack already runs", async () => {
    const before = readState();
    const result = await runStackCli("up");
    expect(result.code).toBe(0);
    expect(parseEndpoints(result.stdout)).toEqual({
      kafkaBrokers: inject("kafkaBrokers"),
      s3Endpoint: inject("s3Endpoint"),
      schemaRegistryUrl: inject("schemaRegistryUrl"),
    });
    expect(result.stdout.trim().split("\n")).toHaveLength(3);
    expect(result.stderr).toContain("started nothing");
    expect(readState()).toEqual(before);
  });

  it("says what runs", async () => {
    const result = await runStackCli("status");
    expect(result.stdout).toMatch(/^kafka: running \(pid \d+/m);
    expect(result.stdout).toMatch(/^moto: running \(pid \d+/m);
    expect(result.stdout).toMatch(/^registry: running \(pid \d+/m);
  });

  it("runs a Schema Registry that speaks Confluent's API: a schema registered under a subject comes back by its id", async () => {
    const registry = inject("schemaRegistryUrl");
    const subject = `stack-test-${Date.now()}-value`;
    const schema = JSON.stringify({ type: "record", name: "Click", fields: [{ name: "id", type: "string" }] });
    const registered = await fetch(`${registry}/subjects/${subject}/versions`, {
      method: "POST",
      headers: { "Content-Type": "application/vnd.schemaregistry.v1+json" },
      body: JSON.stringify({ schema }),
    });
    expect(registered.status).toBe(200);
    const { id } = (await registered.json()) as { id: number };
    expect(Number.isInteger(id)).toBe(true);
    const byId = (await (await fetch(`${registry}/schemas/ids/${id}`)).json()) as { schema: string };
    expect(JSON.parse(byId.schema)).toEqual(JSON.parse(schema));
    expect(await (await fetch(`${registry}/subjects`)).json()).toContain(subject);
  });

  it("refuses a taken port, naming it and the variable that moves it", async () => {
    const { env, ports, stackDir } = await isolatedEnv();
    await listen(ports.moto);
    const result = await runStackCli("up", env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Port 127.0.0.1:${ports.moto}, needed for moto server (S3, IAM, STS), is already in use`);
    expect(result.stderr).toContain("STREAMDROP_MOTO_PORT");
    servers.splice(0).forEach((server) => server.close());
    await expectNothingRunning(stackDir, ports);
  });

  it("says Java is missing when it is not on PATH", async () => {
    const bin = mkdtempSync(join(tmpdir(), "streamdrop-path-"));
    symlinkSync(process.execPath, join(bin, "node"));
    const { env, ports, stackDir } = await isolatedEnv({ PATH: bin });
    const result = await runStackCli("up", env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("java is not installed or not on PATH");
    expect(result.stderr).toContain("Install a Java 17+ runtime");
    await expectNothingRunning(stackDir, ports);
  });

  it("says Maven could not resolve Kafka's jars when Maven Central is out of reach", async () => {
    // A fresh cache and Maven repository, with Maven forced offline: the real resolution fails.
    const home = mkdtempSync(join(tmpdir(), "streamdrop-mvn-"));
    mkdirSync(join(home, ".m2"));
    writeFileSync(join(home, ".m2", "settings.xml"), "<settings><offline>true</offline></settings>");
    const { env, ports, stackDir } = await isolatedEnv({
      XDG_CACHE_HOME: join(home, "cache"),
      STREAMDROP_MAVEN_REPO: join(home, "repository"),
      MAVEN_OPTS: `-Duser.home=${home}`,
    });
    const result = await runStackCli("up", env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Maven could not resolve Apache Kafka's jars");
    expect(result.stderr).toContain(join(dirname(dirname(import.meta.dirname)), "stack", "kafka", "pom.xml"));
    await expectNothingRunning(stackDir, ports);
  });
});
