// A stream's Schema Registry as a person gives it: its REST address, optional basic-auth
// credentials (a user and password, or an API key and secret), and a CA. The address is checked
// before anything is asked of it, and the connection is tested by listing the registry's subjects,
// its failures worded for a person: unreachable, refused, or not a registry at all.
import { StreamdropError, invalidInput } from "../errors.js";
import { RegistryClient, RegistryError, type RegistryConnection } from "./registry-client.js";

/** A secret as given: typed (or piped) now, or read from an environment variable at run time. */
export type SecretInput = { from: "value"; value: string } | { from: "env"; variable: string };

export interface RegistryInput {
  url: string;
  /** With `password`: basic auth (Confluent Cloud: the API key as user, its secret as password). */
  username?: string;
  password?: SecretInput;
  caFile?: string;
  /** The CA as PEM text (the window's file picker): kept in the data folder as the cluster's is. */
  caPem?: string;
  /**
   * Log in with the stream's own OIDC client (its Kafka login must be OAuth), as Confluent Cloud's
   * registry takes it: `logicalCluster` is the registry's (lsrc-…), sent with each request.
   */
  oauth?: { logicalCluster?: string };
}

/**
 * The registry's REST address, or a clear refusal: http or https, no credentials in it (they would
 * reach the config file and the logs), no query or fragment. Kept without a trailing slash.
 */
export function checkRegistryUrl(raw: string): string {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidInput(
      "The Schema Registry address is not a URL: give its REST address, such as https://psrc-xxxxx.europe-west3.gcp.confluent.cloud or http://localhost:8081.",
    );
  }
  // Said without echoing the address: what it holds may be a secret.
  if (url.username || url.password)
    throw invalidInput(
      "The Schema Registry address holds credentials. Give the address without them, and the user and password (or API key and secret) on their own.",
    );
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw invalidInput("The Schema Registry address must start with http:// or https://, as its REST address does (for example http://localhost:8081).");
  if (url.search || url.hash) throw invalidInput("The Schema Registry address has a query or a fragment (after ? or #). Give the REST address alone.");
  return url.href.replace(/\/+$/, "");
}

/** Lists the registry's subjects with `connection`: how many there are, or why it cannot. */
export async function testRegistry(connection: RegistryConnection): Promise<{ subjects: number }> {
  try {
    return { subjects: (await new RegistryClient(connection, { timeoutMs: 10_000 }).subjects()).length };
  } catch (error) {
    throw registryProblem(error, connection.url);
  }
}

/** A registry's failure in the words of a setting being made: the registry's own message, with a code for each front end. */
export function registryProblem(error: unknown, url: string): StreamdropError {
  if (!(error instanceof RegistryError))
    return new StreamdropError("invalid-input", `Testing the Schema Registry at ${url} failed: ${(error as Error).message}.`);
  switch (error.failure) {
    case "refused":
      return new StreamdropError("credentials", error.message, { cause: error });
    case "not-a-registry":
      return new StreamdropError("invalid-input", error.message, { cause: error });
    case "unknown":
      return new StreamdropError(
        "invalid-input",
        `${url} has no Schema Registry API (its subjects are not found there). Give the registry's REST address: Apicurio serves it under /apis/ccompat/v7.`,
        { cause: error },
      );
    case "unavailable":
      return new StreamdropError("invalid-input", `${error.message} Check the address, and that the registry is running.`, { cause: error });
  }
}
