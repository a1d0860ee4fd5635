// The stack's managed logins, with plain kafkajs: the broker's mutual-TLS listener takes only client
// certificates the stack CA signs and that are in date, and its OAUTHBEARER listener takes only
// tokens of the stack's OpenID provider, checked by Kafka's own JWT validator. The provider's admin
// API changes secrets at once and counts the tokens it issues.
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { Kafka, logLevel, type KafkaConfig } from "kafkajs";
import { afterAll, describe, expect, inject, it } from "vitest";
import { stackClientKeyPassphrase, stackClientP12Passphrase } from "../../stack/kafka.js";
import { deleteOidcClient, oidcTokensIssued, requestOidcToken, setOidcClient, stackOidcClient } from "../../stack/oidc.js";
import { uniqueName } from "../support/clients.js";

const certs = inject("kafkaClientCerts");
const issuer = inject("oidcIssuer");
const tokenEndpoint = inject("oidcTokenEndpoint");
const ca = readFileSync(certs.ca, "utf8");
const read = (file: string) => readFileSync(file, "utf8");

/** Connects an admin client and asks for the cluster: resolves with the broker count, or rejects. */
async function describeCluster(brokers: string, config: Omit<KafkaConfig, "brokers">): Promise<number> {
  const admin = new Kafka({
    clientId: "stack-logins-test",
    logLevel: logLevel.NOTHING,
    connectionTimeout: 5000,
    retry: { retries: 0 },
    ...config,
    brokers: [brokers],
  }).admin();
  try {
    await admin.connect();
    return (await admin.describeCluster()).brokers.length;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Messages and codes of an error and its causes (kafkajs wraps the socket's error). */
function errorChain(error: unknown): string {
  const parts: string[] = [];
  let current = error as { message?: string; code?: string; cause?: unknown; originalError?: unknown } | undefined;
  for (let depth = 0; current && depth < 8; depth += 1) {
    parts.push(`${current.message ?? ""} [${current.code ?? ""}]`);
    current = (current.cause ?? current.originalError) as typeof current;
  }
  return parts.join(" <- ");
}

async function refusal(attempt: Promise<unknown>): Promise<string> {
  const error = await attempt.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, "the broker let the client in").toBeDefined();
  return errorChain(error);
}

const tlsAlert = /ALERT_(BAD_CERTIFICATE|CERTIFICATE_(UNKNOWN|REQUIRED|EXPIRED|REVOKED)|UNKNOWN_CA)\]/;

describe("the mutual-TLS listener", () => {
  const mtls = inject("kafkaMtlsBrokers");

  it("accepts the stack's client certificate: PEM, encrypted PEM and PKCS#12", async () => {
    expect(await describeCluster(mtls, { ssl: { ca, cert: read(certs.cert), key: read(certs.key) } })).toBe(1);
    expect(await describeCluster(mtls, { ssl: { ca, cert: read(certs.cert), key: read(certs.encryptedKey), passphrase: stackClientKeyPassphrase } })).toBe(1);
    expect(await describeCluster(mtls, { ssl: { ca, pfx: readFileSync(certs.p12), passphrase: stackClientP12Passphrase } })).toBe(1);
    const cert = new X509Certificate(read(certs.cert));
    expect(cert.subject).toBe("CN=streamdrop-client");
    expect(cert.checkIssued(new X509Certificate(ca))).toBe(true);
    expect(cert.keyUsage).toContain("1.3.6.1.5.5.7.3.2"); // clientAuth
  });

  it("accepts a certificate that expires within days, which is still in date", async () => {
    const validTo = new X509Certificate(read(certs.soonCert)).validToDate.getTime();
    expect(validTo).toBeGreaterThan(Date.now());
    expect(validTo).toBeLessThanOrEqual(Date.now() + 10 * 24 * 3600_000);
    expect(await describeCluster(mtls, { ssl: { ca, cert: read(certs.soonCert), key: read(certs.soonKey) } })).toBe(1);
  });

  it("refuses a client without a certificate", async () => {
    expect(await refusal(describeCluster(mtls, { ssl: { ca } }))).toMatch(tlsAlert);
  });

  it("refuses a certificate another CA signed", async () => {
    expect(new X509Certificate(read(certs.foreignCert)).checkIssued(new X509Certificate(ca))).toBe(false);
    expect(await refusal(describeCluster(mtls, { ssl: { ca, cert: read(certs.foreignCert), key: read(certs.foreignKey) } }))).toMatch(tlsAlert);
  });

  it("refuses an expired certificate the stack CA signed", async () => {
    const expired = new X509Certificate(read(certs.expiredCert));
    expect(expired.checkIssued(new X509Certificate(ca))).toBe(true);
    expect(expired.validToDate.toISOString()).toBe("2020-02-01T00:00:00.000Z");
    expect(await refusal(describeCluster(mtls, { ssl: { ca, cert: read(certs.expiredCert), key: read(certs.expiredKey) } }))).toMatch(tlsAlert);
  });
});

const decodePart = (token: string, index: number) => JSON.parse(Buffer.from(token.split(".")[index]!, "base64url").toString("utf8")) as Record<string, unknown>;

async function tokenOf(client: { clientId: string; clientSecret: string }): Promise<string> {
  const { status, body } = await requestOidcToken(client, { tokenEndpoint });
  expect(status, JSON.stringify(body)).toBe(200);
  return body.access_token as string;
}

describe("the OAUTHBEARER listener and the OpenID provider", () => {
  const oauth = inject("kafkaOauthBrokers");
  const madeClients: string[] = [];
  afterAll(async () => {
    for (const id of madeClients) await deleteOidcClient(id, issuer).catch(() => undefined);
  });
  const withToken = (value: string) =>
    describeCluster(oauth, { ssl: { ca }, sasl: { mechanism: "oauthbearer", oauthBearerProvider: async () => ({ value }) } });

  it("issues RS256 at+jwt access tokens for Kafka by client credentials", async () => {
    const token = await tokenOf(stackOidcClient);
    const header = decodePart(token, 0);
    const claims = decodePart(token, 1);
    expect(header).toMatchObject({ alg: "RS256", typ: "at+jwt" });
    expect(claims).toMatchObject({ iss: issuer, aud: "kafka-broker", client_id: stackOidcClient.clientId, sub: stackOidcClient.clientId, scope: "kafka" });
    expect((claims.exp as number) - (claims.iat as number)).toBe(300);
    const jwks = (await (await fetch(`${issuer}/jwks`)).json()) as { keys: Array<{ kid: string }> };
    expect(jwks.keys.map((key) => key.kid)).toContain(header.kid);
  });

  it("lets in a client with a token from the provider", async () => {
    expect(await withToken(await tokenOf(stackOidcClient))).toBe(1);
  });

  it("refuses a tampered token", async () => {
    const [header, payload, signature] = (await tokenOf(stackOidcClient)).split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString("utf8")) as Record<string, unknown>;
    const forged = [header, Buffer.from(JSON.stringify({ ...claims, sub: "someone-else" })).toString("base64url"), signature].join(".");
    // Stock kafkajs 2.2.4 fails on the next request (ILLEGAL_SASL_STATE); patched, it names the refusal.
    expect(await refusal(withToken(forged))).toMatch(/OAUTHBEARER|SASL state|ILLEGAL_SASL_STATE/);
  });

  it("refuses the old secret at once when a client's secret changes, and a deleted client", async () => {
    const clientId = uniqueName("rotating");
    madeClients.push(clientId);
    await setOidcClient(clientId, { clientSecret: "first-secret", ttlSeconds: 60 }, issuer);
    expect(decodePart(await tokenOf({ clientId, clientSecret: "first-secret" }), 1)).toMatchObject({ client_id: clientId, aud: "kafka-broker" });

    await setOidcClient(clientId, { clientSecret: "second-secret", ttlSeconds: 60 }, issuer);
    const old = await requestOidcToken({ clientId, clientSecret: "first-secret" }, { tokenEndpoint });
    expect(old).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    await tokenOf({ clientId, clientSecret: "second-secret" });

    await deleteOidcClient(clientId, issuer);
    expect(await requestOidcToken({ clientId, clientSecret: "second-secret" }, { tokenEndpoint })).toMatchObject({
      status: 401,
      body: { error: "invalid_client" },
    });
  });

  it("gives each client's tokens its own lifetime and counts the tokens it issues", async () => {
    const clientId = uniqueName("counted");
    madeClients.push(clientId);
    await setOidcClient(clientId, { clientSecret: "counted-secret", ttlSeconds: 45 }, issuer);
    expect(await oidcTokensIssued(clientId, issuer)).toBe(0);
    const tokens = [];
    for (let index = 0; index < 3; index += 1) tokens.push(await tokenOf({ clientId, clientSecret: "counted-secret" }));
    expect((await requestOidcToken({ clientId, clientSecret: "wrong" }, { tokenEndpoint })).status).toBe(401);
    expect(await oidcTokensIssued(clientId, issuer)).toBe(3);
    const claims = decodePart(tokens[0]!, 1);
    expect((claims.exp as number) - (claims.iat as number)).toBe(45);
    expect(await withToken(tokens[2]!)).toBe(1);
    expect(await oidcTokensIssued(clientId, issuer)).toBe(3);
  });

  it("refuses client lifetimes under 5 s", async () => {
    await expect(setOidcClient(uniqueName("short"), { clientSecret: "x", ttlSeconds: 4 }, issuer)).rejects.toThrow(/HTTP 400/);
  });
});
