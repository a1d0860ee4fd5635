// A Schema Registry, through Confluent's REST API (Confluent Cloud, Karapace, Apicurio's
// /apis/ccompat/v7): the writer's schema by id, which never changes once registered, so each is
// fetched once and kept in a bounded cache. Basic auth (user and password, or an API key and
// secret), or the bearer tokens of the stream's OIDC client (Confluent Cloud's OAuth, with its
// logical cluster and identity pool headers), and a CA file, as for the cluster's TLS. Its failures are told apart, because they are
// handled apart: an id the registry does not know makes that record invalid; refused credentials
// need a person; anything else (unreachable, 5xx, a timeout) is transient.
import { readFileSync } from "node:fs";
import type { RequestOptions } from "node:https";
import { NeedsPersonError } from "../exporters/needs-person.js";
import type { OidcClient } from "../streams/logins/kafka-login.js";
import { oidcTokens } from "../streams/logins/token-sources.js";
import { tlsProblem } from "../streams/tls-problems.js";

/**
 * Node's HTTP client, loaded by the first request (the memory of idle workers): every exporter's
 * worker holds this module, and one whose stream names no registry needs node:http only for its
 * store's SDK, which loads it at the first upload.
 */
const http = () => import("node:http");
const https = () => import("node:https");

export interface RegistryConnection {
  /** The API's base URL, e.g. https://psrc-xxxx.europe-west3.gcp.confluent.cloud or http://127.0.0.1:18081/apis/ccompat/v7. */
  url: string;
  username?: string;
  password?: string;
  /** A PEM file of the CA that signs the registry's certificate, when the system's do not. */
  caFile?: string;
  /** That CA as PEM text, before it is kept (testing a registry given in the window). */
  ca?: string;
  /** Log in with the stream's OIDC client: a bearer token per request (shared with the Kafka login's). */
  oauth?: RegistryOauth;
}

export interface RegistryOauth {
  client: OidcClient;
  /** Confluent Cloud: the registry's logical cluster (lsrc-…), sent as `target-sr-cluster`. */
  logicalCluster?: string;
  /** Confluent Cloud: the identity pool, sent as `Confluent-Identity-Pool-Id`. */
  identityPoolId?: string;
}

export type SchemaType = "AVRO" | "PROTOBUF" | "JSON";

export interface SchemaReference {
  name: string;
  subject: string;
  version: number;
}

export interface RegisteredSchema {
  id: number;
  /** The subject it was asked by, and its version there (absent when asked by id). */
  subject?: string;
  version?: number;
  schemaType: SchemaType;
  schema: string;
  references: SchemaReference[];
}

/**
 * Why the registry did not give a schema: "unknown" (that record is invalid), "refused" (the
 * credentials: a person must act), "not-a-registry" (the address answers, but not as a registry:
 * a person must act), "unavailable" (try again).
 */
export type RegistryFailure = "unknown" | "refused" | "not-a-registry" | "unavailable";

export class RegistryError extends Error {
  override name = "RegistryError";
  constructor(
    readonly failure: RegistryFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface RegistryClientOptions {
  /** Schemas kept; the least recently used goes first. */
  cacheSize?: number;
  timeoutMs?: number;
}

export class RegistryClient {
  private readonly cache = new Map<number, Promise<RegisteredSchema>>();
  private readonly base: URL;
  private readonly ca?: Buffer;
  private readonly cacheSize: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly connection: RegistryConnection,
    options: RegistryClientOptions = {},
  ) {
    this.base = new URL(connection.url.endsWith("/") ? connection.url : `${connection.url}/`);
    if (this.base.protocol !== "http:" && this.base.protocol !== "https:") {
      throw new RegistryError("not-a-registry", `The Schema Registry URL ${connection.url} is not http or https: give the registry's REST address.`);
    }
    if (connection.ca) this.ca = Buffer.from(connection.ca);
    else if (connection.caFile) this.ca = readFileSync(connection.caFile);
    this.cacheSize = options.cacheSize ?? 1000;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  /** The schema registered under `id`; fetched once, then from the cache. */
  schema(id: number): Promise<RegisteredSchema> {
    const cached = this.cache.get(id);
    if (cached) {
      // Most recently used last: Map keeps insertion order.
      this.cache.delete(id);
      this.cache.set(id, cached);
      return cached;
    }
    const fetched = this.getJson(`schemas/ids/${id}`, `schema id ${id}`).then((body) => registered(id, body));
    this.cache.set(id, fetched);
    // A failure is not kept: the next record asks again (a transient one may have passed).
    fetched.catch(() => this.cache.delete(id));
    while (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
    return fetched;
  }

  /** The registry's subjects: what a connection test asks (any reader of schemas may list them). */
  async subjects(): Promise<string[]> {
    const body = await this.getJson("subjects", "its subjects");
    if (!Array.isArray(body) || body.some((subject) => typeof subject !== "string"))
      throw new RegistryError(
        "not-a-registry",
        `${this.connection.url} answered its subjects with something other than a list of names: is it a Schema Registry's REST address?`,
      );
    return body as string[];
  }

  /**
   * A Protobuf schema as its file descriptor (base64), which numbers its messages as producers do;
   * Confluent's registry gives it for `format=serialized`, others answer as they stored it.
   */
  async serialized(id: number): Promise<string> {
    return registered(id, await this.getJson(`schemas/ids/${id}?format=serialized`, `schema id ${id}`)).schema;
  }

  /** The same for a referenced file, by subject and version. */
  async serializedVersion(subject: string, version: number): Promise<string> {
    const path = `subjects/${encodeURIComponent(subject)}/versions/${version}?format=serialized`;
    return registered(-1, await this.getJson(path, `subject ${subject} version ${version}`)).schema;
  }

  /** The subjects and versions registered with schema `id` (what the topic check names). */
  async subjectsOf(id: number): Promise<Array<{ subject: string; version: number }>> {
    // Not every registry answers this (nor for an id whose subjects were deleted): then it names none.
    const body = await this.getJson(`schemas/ids/${id}/versions`, `the subjects of schema id ${id}`).catch((error: unknown) => {
      if (error instanceof RegistryError && error.failure === "unknown") return [];
      throw error;
    });
    if (!Array.isArray(body)) return [];
    return (body as Array<{ subject?: unknown; version?: unknown }>).flatMap((entry) =>
      typeof entry.subject === "string" && typeof entry.version === "number" ? [{ subject: entry.subject, version: entry.version }] : [],
    );
  }

  /** A referenced schema, by subject and version. */
  async version(subject: string, version: number | "latest"): Promise<RegisteredSchema> {
    const body = (await this.getJson(`subjects/${encodeURIComponent(subject)}/versions/${version}`, `subject ${subject} version ${version}`)) as {
      id?: number;
    };
    return { ...registered(body.id ?? -1, body), subject };
  }

  /** The login's headers: a bearer token of the OIDC client (and Confluent's two), or none (basic auth goes in `auth`). */
  private async loginHeaders(): Promise<Record<string, string>> {
    const oauth = this.connection.oauth;
    if (!oauth) return {};
    let token: string;
    try {
      token = (await oidcTokens(oauth.client).token()).value;
    } catch (error) {
      const message = `The Schema Registry's login could not get a token: ${(error as Error).message}`;
      throw new RegistryError(error instanceof NeedsPersonError ? "refused" : "unavailable", message, { cause: error });
    }
    return {
      Authorization: `Bearer ${token}`,
      ...(oauth.logicalCluster ? { "target-sr-cluster": oauth.logicalCluster } : {}),
      ...(oauth.identityPoolId ? { "Confluent-Identity-Pool-Id": oauth.identityPoolId } : {}),
    };
  }

  private async getJson(path: string, what: string): Promise<unknown> {
    const url = new URL(path, this.base);
    const options: RequestOptions = {
      method: "GET",
      headers: { Accept: "application/vnd.schemaregistry.v1+json, application/json", ...(await this.loginHeaders()) },
      timeout: this.timeoutMs,
      ...(this.ca ? { ca: this.ca } : {}),
    };
    if (this.connection.username !== undefined) options.auth = `${this.connection.username}:${this.connection.password ?? ""}`;
    const { request } = await (url.protocol === "https:" ? https() : http());
    return new Promise((resolve, reject) => {
      const call = request(url, options, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", (error) => reject(this.unavailable(error)));
        response.on("end", () => {
          const status = response.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString("utf8");
          if (status === 200) {
            try {
              return resolve(JSON.parse(text));
            } catch {
              return reject(
                new RegistryError(
                  "not-a-registry",
                  `${this.connection.url} answered ${what} with something other than JSON: is it a Schema Registry's REST address?`,
                ),
              );
            }
          }
          reject(this.failure(status, text, what));
        });
      });
      call.on("timeout", () => call.destroy(new Error(`no answer within ${this.timeoutMs / 1000} s`)));
      call.on("error", (error) => reject(this.unavailable(error)));
      call.end();
    });
  }

  private failure(status: number, text: string, what: string): RegistryError {
    if (status === 404) return new RegistryError("unknown", `The Schema Registry at ${this.connection.url} does not know ${what}.`);
    if (status === 401 || status === 403) {
      // A token refused here is not handed out again: the next request (a retry later) gets a new one.
      if (this.connection.oauth) oidcTokens(this.connection.oauth.client).forget();
      return new RegistryError(
        "refused",
        this.connection.oauth
          ? `The Schema Registry at ${this.connection.url} refused the token of OIDC client ${this.connection.oauth.client.clientId} (HTTP ${status}). Check that the registry trusts tokens from ${this.connection.oauth.client.tokenEndpoint}${this.connection.oauth.logicalCluster ? ` and that ${this.connection.oauth.logicalCluster} is its logical cluster` : ""}, and that the client may read schemas.`
          : `The Schema Registry at ${this.connection.url} refused ${this.connection.username === undefined ? "a request without credentials" : `the credentials of ${this.connection.username}`} (HTTP ${status}). Give the stream the registry's user and password, or an API key and secret that may read schemas.`,
      );
    }
    return new RegistryError(
      "unavailable",
      `The Schema Registry at ${this.connection.url} answered HTTP ${status} for ${what}${text ? `: ${text.slice(0, 200)}` : ""}.`,
    );
  }

  private unavailable(error: Error): RegistryError {
    // A certificate it cannot trust fails the same way every time: a person must give the CA.
    const tls = tlsProblem(error, { peer: `The Schema Registry at ${this.connection.url}`, of: "the registry", caFile: this.connection.caFile });
    if (tls) return new RegistryError("refused", tls.message, { cause: error });
    return new RegistryError("unavailable", `Cannot reach the Schema Registry at ${this.connection.url}: ${error.message}.`, { cause: error });
  }
}

function registered(id: number, body: unknown): RegisteredSchema {
  const { schema, schemaType, references, version } = body as { schema?: unknown; schemaType?: string; references?: SchemaReference[]; version?: unknown };
  if (typeof schema !== "string")
    throw new RegistryError("not-a-registry", `The registry's answer for schema id ${id} has no schema: is it a Schema Registry's REST address?`);
  const type: SchemaType = schemaType === "PROTOBUF" || schemaType === "JSON" ? schemaType : "AVRO";
  return { id, ...(typeof version === "number" ? { version } : {}), schemaType: type, schema, references: references ?? [] };
}
