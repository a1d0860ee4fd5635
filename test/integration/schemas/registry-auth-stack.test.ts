// The stack's means for registry logins: a private Apicurio Registry that requires bearer tokens
// from a private OpenID provider, the same kind of client-credentials token (RS256 `at+jwt`,
// `aud: kafka-broker`, scope `kafka`) that a stream's OAUTHBEARER login gets for Kafka. Without a
// token, or with one another provider signed, it refuses; with the provider's token it reads and
// registers schemas.
import { afterAll, beforeAll, expect, it } from "vitest";
import { requestOidcToken, setOidcClient, stackOidcAudience, stackOidcScope } from "../../../stack/oidc.js";
import { startPrivateAuthenticatedRegistry, startPrivateOidc, type AuthenticatedRegistry, type PrivateOidc } from "../../support/authenticated-registry.js";
import { uniqueName } from "../../support/clients.js";

let registry: AuthenticatedRegistry;
let stranger: PrivateOidc;

beforeAll(async () => {
  [registry, stranger] = await Promise.all([startPrivateAuthenticatedRegistry(), startPrivateOidc()]);
}, 180_000);
afterAll(async () => {
  await Promise.all([registry?.stop(), stranger?.stop()]);
});

async function token(client: { clientId: string; clientSecret: string }, tokenEndpoint: string): Promise<string> {
  const { status, body } = await requestOidcToken(client, { tokenEndpoint });
  expect(status).toBe(200);
  return body.access_token as string;
}

async function call(path: string, bearer?: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${registry.url}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: {
      accept: "application/vnd.schemaregistry.v1+json",
      ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }),
      ...(body === undefined ? {} : { "content-type": "application/vnd.schemaregistry.v1+json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : (JSON.parse(text) as unknown) };
}

const claims = (jwt: string, part: 0 | 1) => JSON.parse(Buffer.from(jwt.split(".")[part]!, "base64url").toString("utf8")) as Record<string, unknown>;

it("refuses a request without a token", async () => {
  expect((await call("/subjects")).status).toBe(401);
});

it("answers with a token of its provider, the same kind a Kafka OAUTHBEARER login gets", async () => {
  const accessToken = await token(registry, registry.tokenEndpoint);
  expect(claims(accessToken, 0)).toMatchObject({ alg: "RS256", typ: "at+jwt" });
  expect(claims(accessToken, 1)).toMatchObject({ iss: registry.issuer, aud: stackOidcAudience, scope: stackOidcScope, client_id: registry.clientId });
  const subjects = await call("/subjects", accessToken);
  expect(subjects.status).toBe(200);
  expect(subjects.body).toEqual(expect.any(Array));
});

it("registers a schema with the token, and refuses to without", async () => {
  const subject = uniqueName("orders-value");
  const schema = { schema: JSON.stringify({ type: "string" }) };
  expect((await call(`/subjects/${subject}/versions`, undefined, schema)).status).toBe(401);
  const accessToken = await token(registry, registry.tokenEndpoint);
  const registered = await call(`/subjects/${subject}/versions`, accessToken, schema);
  expect(registered).toMatchObject({ status: 200, body: { id: expect.any(Number) } });
  expect((await call("/subjects", accessToken)).body).toContain(subject);
});

it("refuses a token another provider signed", async () => {
  const client = { clientId: registry.clientId, clientSecret: registry.clientSecret };
  await setOidcClient(client.clientId, { clientSecret: client.clientSecret, ttlSeconds: 300 }, stranger.issuer);
  const foreign = await token(client, stranger.tokenEndpoint);
  expect(claims(foreign, 1)).toMatchObject({ iss: stranger.issuer, aud: stackOidcAudience });
  expect((await call("/subjects", foreign)).status).toBe(401);
  expect((await call("/subjects", "not-a-token")).status).toBe(401);
});
