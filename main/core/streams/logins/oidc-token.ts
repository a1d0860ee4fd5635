// OAUTHBEARER tokens from an OIDC provider with the client-credentials grant (RFC 6749 §4.4), as
// Kafka's own OAuth login fetches them: the client's id and secret in a Basic header, the scope in
// the form. A refusal of the client (401, invalid_client, unauthorized_client) needs a person; an
// unreachable or failing provider is transient (refreshing-token.ts decides what that means while a
// token is still good).
import { NeedsPersonError } from "../../exporters/needs-person.js";
import type { OidcClient } from "./kafka-login.js";

const fixes = [{ id: "set", setting: "oidc-client" }] as const;
import { RefreshingToken, type BearerToken } from "./refreshing-token.js";

export interface OidcTokenOptions {
  now?: () => number;
  thresholdMs?: number;
  fetch?: typeof fetch;
}

/** The stream's token source: one per Kafka client, shared by its connections. */
export function oidcTokenSource(client: OidcClient, options: OidcTokenOptions = {}): RefreshingToken {
  const now = options.now ?? Date.now;
  return new RefreshingToken({
    fetch: () => fetchOidcToken(client, { ...options, now }),
    expired: (error) =>
      new NeedsPersonError(
        "sasl",
        `The Kafka login's token has expired and the identity provider at ${client.tokenEndpoint} gives no new one (${(error as Error).message}). Check that the provider is reachable and that OIDC client ${client.clientId} still exists.`,
        { cause: error, fixes },
      ),
    ...(options.thresholdMs !== undefined ? { thresholdMs: options.thresholdMs } : {}),
    now,
  });
}

/** RFC 6749 §2.3.1: the id and secret are form-encoded before they are joined and base64-encoded. */
const basicAuth = (client: OidcClient) =>
  `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString("base64")}`;

export async function fetchOidcToken(client: OidcClient, options: OidcTokenOptions = {}): Promise<BearerToken> {
  const now = options.now ?? Date.now;
  const body = new URLSearchParams({ grant_type: "client_credentials", ...(client.scope ? { scope: client.scope } : {}) });
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(client.tokenEndpoint, {
      method: "POST",
      headers: { authorization: basicAuth(client), "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body,
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new Error(`The identity provider at ${client.tokenEndpoint} did not answer (${causeText(error)}).`, { cause: error });
  }
  const text = await response.text();
  const answer = parseJson(text);
  if (!response.ok) throw refusal(client, response.status, answer);
  const accessToken = answer?.access_token;
  if (typeof accessToken !== "string" || accessToken === "")
    throw new NeedsPersonError(
      "sasl",
      `The identity provider at ${client.tokenEndpoint} answered without an access token. Check that the address is the provider's token endpoint (it usually ends in /token).`,
      { fixes },
    );
  const expiresIn = typeof answer?.expires_in === "number" ? answer.expires_in : Number(answer?.expires_in);
  const expiresAt = Number.isFinite(expiresIn) && expiresIn > 0 ? now() + expiresIn * 1000 : jwtExpiry(accessToken);
  if (expiresAt === undefined)
    throw new NeedsPersonError(
      "sasl",
      `The identity provider at ${client.tokenEndpoint} gave a token without saying when it expires (no expires_in, and not a JWT with exp). Streamdrop needs to know, to renew it in time.`,
      { fixes },
    );
  return { value: accessToken, expiresAt };
}

function refusal(client: OidcClient, status: number, answer: Record<string, unknown> | undefined): Error {
  const code = typeof answer?.error === "string" ? answer.error : undefined;
  const said = [code, typeof answer?.error_description === "string" ? answer.error_description : undefined].filter(Boolean).join(": ");
  const detail = said ? ` (${said})` : "";
  if (status === 401 || code === "invalid_client" || code === "unauthorized_client")
    return new NeedsPersonError(
      "sasl",
      `The identity provider at ${client.tokenEndpoint} refused OIDC client ${client.clientId}${detail}. The client secret may have been changed or revoked: give the stream the client's current secret.`,
      { fixes },
    );
  if (code === "invalid_scope")
    return new NeedsPersonError(
      "sasl",
      `The identity provider at ${client.tokenEndpoint} refused the scope ${JSON.stringify(client.scope ?? "")}${detail}. Use a scope the provider grants to client ${client.clientId}, or none.`,
      { fixes },
    );
  if (status === 404 || status === 405 || (status >= 400 && status < 500 && status !== 408 && status !== 429))
    return new NeedsPersonError(
      "sasl",
      `The identity provider at ${client.tokenEndpoint} answered ${status}${detail}. Check the token endpoint's address and that client ${client.clientId} may use the client-credentials grant.`,
      { fixes },
    );
  return new Error(`The identity provider at ${client.tokenEndpoint} answered ${status}${detail}.`);
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A JWT's `exp`, in ms; undefined for a token that is not a JWT or has none. */
function jwtExpiry(token: string): number | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  const claims = parseJson(Buffer.from(payload, "base64url").toString("utf8"));
  return typeof claims?.exp === "number" ? claims.exp * 1000 : undefined;
}

const causeText = (error: unknown) => {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
};
