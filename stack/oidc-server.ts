// The stack's OIDC provider process (see oidc.ts): oidc-provider 9 issuing RS256 `at+jwt` access
// tokens for Kafka's OAUTHBEARER listener by the client-credentials grant, plus a small admin API
// on the same 127.0.0.1 server for tests. Usage: node --import tsx stack/oidc-server.ts <port> <key file>
import { createHash, generateKeyPairSync, randomBytes, type JsonWebKey } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { dirname } from "node:path";
import Provider from "oidc-provider";
import { host } from "./ports.js";
import { minimumOidcTtlSeconds, oidcIssuer, stackOidcAudience, stackOidcClient, stackOidcResource, stackOidcScope, stackOidcTtlSeconds } from "./oidc.js";

const [portArgument, keyFile] = process.argv.slice(2);
const port = Number(portArgument);
if (!Number.isInteger(port) || !keyFile) {
  console.error("Usage: oidc-server.ts <port> <signing key file>");
  process.exit(2);
}
const issuer = oidcIssuer(port);

/** The RSA signing key, made once and kept, so a restarted provider signs with the same key and kid. */
function signingKey(file: string): JsonWebKey {
  if (!existsSync(file)) {
    const jwk = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
    // RFC 7638 thumbprint: a new key gets a new kid, so validators fetch the key set again.
    const thumbprint = createHash("sha256")
      .update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n }))
      .digest("base64url");
    mkdirSync(dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify({ ...jwk, kid: `stack-${thumbprint.slice(0, 12)}`, alg: "RS256", use: "sig" }), { mode: 0o600 });
    renameSync(temp, file);
  }
  return JSON.parse(readFileSync(file, "utf8")) as JsonWebKey;
}

interface StackClient {
  secret: string;
  ttlSeconds: number;
}
const clients = new Map<string, StackClient>([[stackOidcClient.clientId, { secret: stackOidcClient.clientSecret, ttlSeconds: stackOidcTtlSeconds }]]);
/** Access tokens issued per client id since this process started (deleting a client keeps its count). */
const issued = new Map<string, number>();

/** Client metadata as oidc-provider reads it: built afresh on every lookup, so a changed secret counts at once. */
function clientMetadata(id: string) {
  const client = clients.get(id);
  if (!client) return undefined;
  return {
    client_id: id,
    client_secret: client.secret,
    grant_types: ["client_credentials"],
    redirect_uris: [],
    response_types: [],
    token_endpoint_auth_method: "client_secret_basic",
  };
}

/** Keeps clients in `clients` and everything else (nothing, with JWT access tokens) in memory. */
class MemoryAdapter {
  private readonly stored = new Map<string, unknown>();
  constructor(private readonly model: string) {}
  async find(id: string) {
    return this.model === "Client" ? clientMetadata(id) : this.stored.get(id);
  }
  async findByUid() {
    return undefined;
  }
  async findByUserCode() {
    return undefined;
  }
  async upsert(id: string, payload: unknown) {
    this.stored.set(id, payload);
  }
  async consume() {}
  async destroy(id: string) {
    this.stored.delete(id);
  }
  async revokeByGrantId() {}
}

const ttlOf = (client: { clientId: string } | undefined) => (client && clients.get(client.clientId)?.ttlSeconds) || stackOidcTtlSeconds;
const resourceServer = (client?: { clientId: string }) => ({
  scope: stackOidcScope,
  audience: stackOidcAudience,
  accessTokenTTL: ttlOf(client),
  accessTokenFormat: "jwt",
  jwt: { sign: { alg: "RS256" } },
});

const provider = new Provider(issuer, {
  adapter: MemoryAdapter,
  jwks: { keys: [signingKey(keyFile)] },
  cookies: { keys: [randomBytes(32).toString("base64url")] },
  ttl: { ClientCredentials: (_context: unknown, _token: unknown, client: { clientId: string }) => ttlOf(client) },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => stackOidcResource,
      useGrantedResource: () => true,
      getResourceServerInfo: (_context: unknown, _resource: string, client: { clientId: string }) => resourceServer(client),
    },
  },
});
const count = (token: { clientId: string }) => issued.set(token.clientId, (issued.get(token.clientId) ?? 0) + 1);
provider.on("client_credentials.issued", count);
provider.on("client_credentials.saved", count);
provider.on("grant.error", (_context, error) => console.error(`token request refused: ${error.message}`));
provider.on("server_error", (_context, error) => console.error("server error:", error));

function reply(response: ServerResponse, status: number, body?: unknown) {
  response.writeHead(status, body === undefined ? {} : { "content-type": "application/json" });
  response.end(body === undefined ? undefined : JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8") || "null");
}

/** `PUT|GET|DELETE /admin/clients/<id>`: the tests' way to make, inspect and remove clients. */
async function admin(request: IncomingMessage, response: ServerResponse, id: string) {
  const from = request.socket.remoteAddress ?? "";
  if (!["127.0.0.1", "::1", "::ffff:127.0.0.1"].includes(from)) return reply(response, 403, { error: "admin API is for 127.0.0.1 only" });
  if (!id) return reply(response, 404, { error: "no client id" });
  if (request.method === "GET") return reply(response, 200, { tokensIssued: issued.get(id) ?? 0, exists: clients.has(id) });
  if (request.method === "DELETE") {
    const existed = clients.delete(id);
    console.error(`client ${id} ${existed ? "deleted" : "was not there to delete"}`);
    return reply(response, existed ? 204 : 404);
  }
  if (request.method === "PUT") {
    let body: unknown;
    try {
      body = await readJson(request);
    } catch {
      return reply(response, 400, { error: "the body is not JSON" });
    }
    const { clientSecret, ttlSeconds } = (body ?? {}) as { clientSecret?: unknown; ttlSeconds?: unknown };
    if (typeof clientSecret !== "string" || clientSecret === "") return reply(response, 400, { error: "clientSecret must be a non-empty string" });
    if (typeof ttlSeconds !== "number" || !Number.isInteger(ttlSeconds) || ttlSeconds < minimumOidcTtlSeconds) {
      return reply(response, 400, { error: `ttlSeconds must be a whole number of at least ${minimumOidcTtlSeconds}` });
    }
    const existed = clients.has(id);
    clients.set(id, { secret: clientSecret, ttlSeconds });
    console.error(`client ${id} ${existed ? "replaced" : "created"} (token lifetime ${ttlSeconds} s)`);
    return reply(response, existed ? 204 : 201);
  }
  response.setHeader("allow", "GET, PUT, DELETE");
  return reply(response, 405, { error: "use GET, PUT or DELETE" });
}

const oidc = provider.callback();
const adminPrefix = "/admin/clients/";
createServer((request, response) => {
  const path = new URL(request.url ?? "/", issuer).pathname;
  if (path.startsWith(adminPrefix)) {
    admin(request, response, decodeURIComponent(path.slice(adminPrefix.length))).catch((error: unknown) => {
      console.error("admin API error:", error);
      if (!response.headersSent) reply(response, 500, { error: String(error) });
    });
    return;
  }
  oidc(request, response);
}).listen(port, host, () => console.error(`OIDC provider ${issuer} serving (token endpoint ${issuer}/token, key set ${issuer}/jwks)`));
