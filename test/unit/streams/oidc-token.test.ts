// The client-credentials request, and how each answer of an identity provider is sorted: refusals
// of the client need a person, an unreachable provider is transient.
import { describe, expect, it } from "vitest";
import { NeedsPersonError } from "../../../main/core/exporters/needs-person.js";
import { fetchOidcToken } from "../../../main/core/streams/logins/oidc-token.js";

const client = { tokenEndpoint: "https://idp.example/token", clientId: "exporter:1", clientSecret: "s3cr=t", scope: "kafka" };

function answering(status: number, body: unknown) {
  const requests: Array<{ url: string; init: RequestInit }> = [];
  const fake = (async (url: string, init: RequestInit) => {
    requests.push({ url, init });
    return new Response(typeof body === "string" ? body : JSON.stringify(body), { status });
  }) as unknown as typeof fetch;
  return { fake, requests };
}

describe("fetchOidcToken", () => {
  it("asks with the client's id and secret form-encoded in a Basic header, and the scope in the form", async () => {
    const { fake, requests } = answering(200, { access_token: "abc", expires_in: 300, token_type: "Bearer" });
    const token = await fetchOidcToken(client, { fetch: fake, now: () => 1_000 });
    expect(token).toEqual({ value: "abc", expiresAt: 301_000 });
    const { url, init } = requests[0]!;
    expect(url).toBe(client.tokenEndpoint);
    const headers = init.headers as Record<string, string>;
    expect(Buffer.from(headers.authorization!.replace("Basic ", ""), "base64").toString()).toBe("exporter%3A1:s3cr%3Dt");
    expect(String(init.body)).toBe("grant_type=client_credentials&scope=kafka");
  });

  it("takes the expiry from the JWT when the answer has no expires_in", async () => {
    const payload = Buffer.from(JSON.stringify({ exp: 2_000 })).toString("base64url");
    const { fake } = answering(200, { access_token: `h.${payload}.s` });
    expect(await fetchOidcToken(client, { fetch: fake })).toEqual({ value: `h.${payload}.s`, expiresAt: 2_000_000 });
  });

  it("says a revoked secret needs a person, naming the client and never the secret", async () => {
    const { fake } = answering(401, { error: "invalid_client", error_description: "client authentication failed" });
    const error = await fetchOidcToken(client, { fetch: fake }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NeedsPersonError);
    expect((error as Error).message).toContain("refused OIDC client exporter:1 (invalid_client: client authentication failed)");
    expect((error as Error).message).not.toContain("s3cr=t");
  });

  it("says a refused scope, and a wrong address, need a person", async () => {
    await expect(fetchOidcToken(client, { fetch: answering(400, { error: "invalid_scope" }).fake })).rejects.toThrow(/refused the scope "kafka"/);
    await expect(fetchOidcToken(client, { fetch: answering(404, "not here").fake })).rejects.toBeInstanceOf(NeedsPersonError);
    await expect(fetchOidcToken(client, { fetch: answering(200, { token_type: "Bearer" }).fake })).rejects.toThrow(/without an access token/);
  });

  it("leaves an unreachable or failing provider transient", async () => {
    const down = (async () => {
      throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
    }) as unknown as typeof fetch;
    const error = await fetchOidcToken(client, { fetch: down }).catch((caught: unknown) => caught);
    expect(error).not.toBeInstanceOf(NeedsPersonError);
    expect((error as Error).message).toContain("did not answer (ECONNREFUSED)");
    await expect(fetchOidcToken(client, { fetch: answering(503, "busy").fake })).rejects.not.toBeInstanceOf(NeedsPersonError);
  });
});
