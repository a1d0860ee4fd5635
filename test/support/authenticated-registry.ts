// A private Schema Registry that demands OAuth bearer tokens, with its own private OpenID provider
// (the stack's oidc-provider on a free port, a fresh signing key): the registry trusts only that
// provider's tokens, with `aud: kafka-broker` as the stack's OAUTHBEARER listener expects, so one
// client-credentials token serves a stream's Kafka login and its registry alike. The shared stack's
// registry stays open; tests that need the refusals get this one.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { oidcIssuer, oidcTokenEndpoint, setOidcClient, startOidc } from "../../stack/oidc.js";
import { stopProcessGroup } from "../../stack/processes.js";
import { startAuthenticatedRegistry } from "../../stack/registry.js";
import { uniqueName } from "./clients.js";
import { freePort } from "./ports.js";

export interface AuthenticatedRegistry {
  /** The private provider: `iss` of its tokens, and where a client asks for them (client_secret_basic). */
  issuer: string;
  tokenEndpoint: string;
  /** Confluent's API of the registry (`…/apis/ccompat/v7`). */
  url: string;
  /** A client of the provider whose tokens the registry accepts (scope `kafka`). */
  clientId: string;
  clientSecret: string;
  /** Stops both servers and removes their key and logs. */
  stop(): Promise<void>;
}

export interface PrivateOidc {
  issuer: string;
  tokenEndpoint: string;
  stop(): Promise<void>;
}

/** A private OpenID provider on a free port with a signing key of its own. */
export async function startPrivateOidc(): Promise<PrivateOidc> {
  const dir = mkdtempSync(join(tmpdir(), "streamdrop-oidc-"));
  const port = await freePort();
  const running = await startOidc({ port, keyFile: join(dir, "signing-key.json"), logFile: join(dir, "oidc.log") });
  return {
    issuer: oidcIssuer(port),
    tokenEndpoint: oidcTokenEndpoint(port),
    async stop() {
      await stopProcessGroup(running.pid);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts the provider, then the registry that trusts it (a few seconds; up to two minutes allowed), then adds a client. */
export async function startPrivateAuthenticatedRegistry(options: { ttlSeconds?: number } = {}): Promise<AuthenticatedRegistry> {
  const oidc = await startPrivateOidc();
  const dir = mkdtempSync(join(tmpdir(), "streamdrop-registry-auth-"));
  let registryPid: number | undefined;
  try {
    const registry = await startAuthenticatedRegistry({ port: await freePort(), issuer: oidc.issuer, logFile: join(dir, "registry.log") });
    registryPid = registry.pid;
    const clientId = uniqueName("registry-client");
    const clientSecret = uniqueName("registry-secret");
    await setOidcClient(clientId, { clientSecret, ttlSeconds: options.ttlSeconds ?? 300 }, oidc.issuer);
    return {
      issuer: oidc.issuer,
      tokenEndpoint: oidc.tokenEndpoint,
      url: registry.url,
      clientId,
      clientSecret,
      async stop() {
        await stopProcessGroup(registry.pid);
        await oidc.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (registryPid !== undefined) await stopProcessGroup(registryPid);
    await oidc.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
