// One token source per login in a process, shared by everything that logs in with it: a worker's
// Kafka connections, a lag probe, a connection test, and the Schema Registry client (which can use
// the stream's OIDC client). kafkajs asks on every (re-)authentication and short-lived clients come
// and go; a shared source hands out the kept token until it is due, so the provider sees one
// request per token life, not one per client.
import { createHash } from "node:crypto";
import type { KafkaLogin, OidcClient } from "./kafka-login.js";
import { mskIamTokenSource } from "./msk-iam-token.js";
import { oidcTokenSource } from "./oidc-token.js";
import type { RefreshingToken } from "./refreshing-token.js";

type TokenLogin = Extract<KafkaLogin, { mechanism: "oauthbearer" | "aws-msk-iam" }>;

const sources = new Map<string, RefreshingToken>();

/** Keyed by everything the token depends on, the secrets hashed: a changed secret gets a new source. */
export function tokenSourceOf(login: TokenLogin): RefreshingToken {
  const key = createHash("sha256").update(stableJson(login)).digest("hex");
  let source = sources.get(key);
  if (!source) {
    source = login.mechanism === "oauthbearer" ? oidcTokenSource(login.oidc) : mskIamTokenSource(login);
    sources.set(key, source);
  }
  return source;
}

/** The OIDC client's shared source, as the registry client asks for it. */
export const oidcTokens = (oidc: OidcClient): RefreshingToken => tokenSourceOf({ mechanism: "oauthbearer", oidc });

/** JSON with keys in order: the same login read back from the config and given now are one key. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}
