// OAUTHBEARER against the stack broker's OAUTH listener, whose tokens Kafka's own JWT validator
// checks against the JWKS of the stack's OpenID provider (oidc-provider): tokens shorter-lived than
// the test are renewed while a worker exports (every event once, no storm of token requests); a
// token the cluster does not trust is named; a revoked client secret needs a person once the last
// token has run out.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { oidcTokenEndpoint, oidcTokensIssued, setOidcClient, startOidc } from "../../../stack/oidc.js";
import { stopProcessGroup } from "../../../stack/processes.js";
import { uniqueName } from "../../support/clients.js";
import { testCore } from "../../support/core.js";
import { duplicatesAndMissing, ExportHarness } from "../../support/export-harness.js";
import { freePort } from "../../support/ports.js";

const clientId = uniqueName("exporter");
const secret = uniqueName("secret");
const tokenLife = 40;
const login = (tokenEndpoint: string, clientSecret = secret) => ({
  mechanism: "oauthbearer" as const,
  tokenEndpoint,
  clientId,
  clientSecret: { from: "value" as const, value: clientSecret },
  scope: "kafka",
  extensions: { logicalCluster: "lkc-test12", identityPoolId: "pool-test" },
});

/** Every live process whose parent is `parent` (the engine's forked workers). */
function childPids(parent: number): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[1] === String(parent);
      } catch {
        return false;
      }
    })
    .map(Number);
}

beforeAll(() => setOidcClient(clientId, { clientSecret: secret, ttlSeconds: tokenLife }));

describe("an exporter logging in with OIDC client credentials", () => {
  let harness: ExportHarness;
  beforeAll(async () => {
    harness = new ExportHarness({
      kafkaBrokers: inject("kafkaBrokers"),
      s3Endpoint: inject("s3Endpoint"),
      partitions: 2,
      intervalSeconds: 2,
      login: { brokers: inject("kafkaOauthBrokers"), caFile: inject("kafkaClientCerts").ca, sasl: login(inject("oidcTokenEndpoint")) },
    });
    await harness.setUp();
  }, 60_000);
  afterAll(() => harness?.tearDown());

  it("renews its tokens while it exports, every event once, then needs a person once the secret is revoked", { timeout: 300_000 }, async () => {
    const before = await oidcTokensIssued(clientId);
    const engine = await harness.startEngine();
    const ids: string[] = [];
    // 50 s of events: past the first token's end (40 s), so the worker renews while it reads.
    for (let round = 0; round < 10; round += 1) {
      ids.push(...(await harness.produce(50, 50)));
      await new Promise((resolve) => setTimeout(resolve, 5_000));
    }
    // The secret lives in the workers' memory only: not in their arguments or environment, nor in the status.
    const workers = childPids(process.pid);
    expect(workers.length).toBeGreaterThan(0);
    for (const pid of workers) {
      for (const part of ["cmdline", "environ"]) expect(readFileSync(`/proc/${pid}/${part}`, "utf8")).not.toContain(secret);
    }
    expect(JSON.stringify(engine.statuses())).not.toContain(secret);
    const objects = await harness.waitForIds(ids, 60_000);
    expect(duplicatesAndMissing(ids, ExportHarness.eventIds(objects))).toEqual({ missing: [], doubled: [], unexpected: [] });
    const status = engine.statuses()[0]!;
    expect(status.state).toBe("running");
    expect(status.restarts).toBe(0);
    // The worker renewed its first token (kafkajs re-authenticates with 10 s left, at 30 s), yet no storm: one token per session of 30 s.
    const issued = (await oidcTokensIssued(clientId)) - before;
    expect(issued).toBeGreaterThanOrEqual(2);
    expect(issued).toBeLessThanOrEqual(8);

    // The secret is revoked at the provider: the kept token serves until it runs out, then a person is needed.
    await setOidcClient(clientId, { clientSecret: uniqueName("rotated"), ttlSeconds: tokenLife });
    const deadline = Date.now() + 120_000;
    let now = engine.statuses()[0]!;
    while (!(now.state === "error" && now.problem === "sasl") && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      now = engine.statuses()[0]!;
    }
    expect(now).toMatchObject({ state: "error", problem: "sasl" });
    expect(now.lastError).toContain(`refused OIDC client ${clientId}`);
    expect(now.lastError).toContain("give the stream the client's current secret");
    expect(now.lastError).not.toContain(secret);
  });
});

describe("a token the cluster does not trust", () => {
  const dir = mkdtempSync(join(tmpdir(), "streamdrop-idp-"));
  let other: { pid: number; port: number } | undefined;
  afterAll(async () => {
    if (other) await stopProcessGroup(other.pid);
    rmSync(dir, { recursive: true, force: true });
  });

  it("is named as the cluster's refusal of the token, with the client and the provider", { timeout: 60_000 }, async () => {
    // Another provider (its own signing key and issuer) gives a well-formed token the broker refuses.
    const port = await freePort();
    other = await startOidc({ port, keyFile: join(dir, "key.json"), logFile: join(dir, "oidc.log") });
    await setOidcClient(clientId, { clientSecret: secret, ttlSeconds: tokenLife }, `http://127.0.0.1:${port}`);
    const core = testCore();
    const refused = await core.streams
      .create({
        name: "untrusted",
        bootstrapServers: inject("kafkaOauthBrokers"),
        topic: "anything",
        caFile: inject("kafkaClientCerts").ca,
        sasl: login(oidcTokenEndpoint(port)),
      })
      .then(
        (): Error & { fixes?: unknown } => new Error("created"),
        (error: unknown) => error as Error & { fixes?: unknown },
      );
    expect(refused).toBeInstanceOf(Error);
    expect(refused.message).toContain(`Kafka at ${inject("kafkaOauthBrokers")} refused the token of OIDC client ${clientId}`);
    expect(refused.message).toContain("invalid_token");
    expect(refused.fixes).toEqual([{ id: "set", setting: "oidc-client" }]);
  });

  it("says a refused client secret before connecting to the cluster", async () => {
    const core = testCore();
    await expect(
      core.streams.create({
        name: "wrong-secret",
        bootstrapServers: inject("kafkaOauthBrokers"),
        topic: "anything",
        caFile: inject("kafkaClientCerts").ca,
        sasl: login(inject("oidcTokenEndpoint"), "not-the-secret"),
      }),
    ).rejects.toThrow(`The identity provider at ${inject("oidcTokenEndpoint")} refused OIDC client ${clientId}`);
  });
});
