// An OpenID provider for Kafka's OAUTHBEARER listener: oidc-provider 9.13.3 (npm) in its own
// detached Node process (oidc-server.ts), issuing RS256 `at+jwt` access tokens by the
// client-credentials grant (client_secret_basic) with `aud: kafka-broker` and scope `kafka`. The
// broker's validator fetches the key set at start, so the stack starts this before Kafka. Clients
// live in memory; tests add, change and remove them through a small admin API on the same server.
// Notes: docs/research/managed-logins.md §2.
import { join } from "node:path";
import { StackError } from "./errors.js";
import { logDir, repoRoot, stateDir } from "./paths.js";
import { host, httpAnswers, ports } from "./ports.js";
import { startServer } from "./processes.js";
import type { Running } from "./state.js";

/** The provider's built-in client; a local test account. Its access tokens live `stackOidcTtlSeconds`. */
export const stackOidcClient = { clientId: "streamdrop", clientSecret: "local-stack-oidc-secret" } as const;
export const stackOidcTtlSeconds = 300;
/** The shortest access-token lifetime the admin API accepts. */
export const minimumOidcTtlSeconds = 5;
/** What the broker expects in `aud`, and the scope its tokens carry. */
export const stackOidcAudience = "kafka-broker";
export const stackOidcScope = "kafka";
/** The resource indicator a token request gets when it names none. */
export const stackOidcResource = "urn:kafka:broker";

export interface OidcNode {
  port: number;
  /** The RSA signing key (a private JWK), made on first start and kept across restarts. */
  keyFile: string;
  logFile: string;
}

export const stackOidc = (): OidcNode => ({ port: ports.oidc, keyFile: join(stateDir, "oidc", "signing-key.json"), logFile: join(logDir, "oidc.log") });

/** `http://127.0.0.1:<port>`, the `iss` of its tokens. */
export const oidcIssuer = (port = ports.oidc) => `http://${host}:${port}`;
export const oidcTokenEndpoint = (port = ports.oidc) => `${oidcIssuer(port)}/token`;
export const oidcJwksUrl = (port = ports.oidc) => `${oidcIssuer(port)}/jwks`;

export const oidcAnswers = (port = ports.oidc, timeoutMs = 5000): Promise<boolean> =>
  httpAnswers(`${oidcIssuer(port)}/.well-known/openid-configuration`, timeoutMs);

/** Runs the provider on `node` (the same Node and tsx as the caller); resolves once it serves its discovery document. */
export async function startOidc(node: OidcNode = stackOidc()): Promise<Running> {
  const pid = await startServer({
    name: "OIDC provider",
    tool: { command: process.execPath, install: "Run the stack with Node 24 (scripts/node24.sh)." },
    args: ["--import", "tsx", join(repoRoot, "stack", "oidc-server.ts"), String(node.port), node.keyFile],
    cwd: repoRoot,
    logFile: node.logFile,
    answers: () => oidcAnswers(node.port),
    timeoutMs: 30_000,
  });
  return { pid, port: node.port, logFile: node.logFile };
}

async function adminCall(method: string, id: string, issuer: string, body?: unknown): Promise<Response> {
  const response = await fetch(`${issuer}/admin/clients/${encodeURIComponent(id)}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new StackError(`The OIDC provider refused ${method} of client ${id} (HTTP ${response.status}): ${await response.text()}`);
  return response;
}

/**
 * Creates or replaces client `id` (client_secret_basic, client-credentials grant) whose access
 * tokens live `ttlSeconds` (at least 5). A replaced secret is refused from the next request on.
 */
export async function setOidcClient(id: string, client: { clientSecret: string; ttlSeconds: number }, issuer = oidcIssuer()): Promise<void> {
  await (await adminCall("PUT", id, issuer, client)).body?.cancel();
}

/** Removes client `id`: its secret is refused from then on (tokens already issued stay valid until `exp`). */
export async function deleteOidcClient(id: string, issuer = oidcIssuer()): Promise<void> {
  await (await adminCall("DELETE", id, issuer)).body?.cancel();
}

/** How many access tokens client `id` was issued since the provider started. */
export async function oidcTokensIssued(id: string, issuer = oidcIssuer()): Promise<number> {
  const { tokensIssued } = (await (await adminCall("GET", id, issuer)).json()) as { tokensIssued: number };
  return tokensIssued;
}

/** A client-credentials token request with client_secret_basic, as a Kafka client makes it; the status and JSON body come back as they are. */
export async function requestOidcToken(
  client: { clientId: string; clientSecret: string },
  { scope = stackOidcScope, tokenEndpoint = oidcTokenEndpoint() }: { scope?: string; tokenEndpoint?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const basic = Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString("base64");
  const response = await fetch(tokenEndpoint, {
    method: "POST",
    headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", scope }),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
