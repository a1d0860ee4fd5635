// The AWS SDK's default credential chain and assumed roles (@aws-sdk/credential-providers), made on
// their first call. That module took 12 MiB resident loaded alone into Node 24 from node_modules
// (the build bundles it now, smaller), and an exporter's worker whose sink and login have static
// keys never asks it for anything: loading it only when credentials are first asked of a chain or
// a role keeps it out of those workers' memory.
import type { fromNodeProviderChain, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { madeOnce } from "../../made-once.js";

/** Loaded by the first credentials a chain or a role is asked for (the memory of idle workers). */
const credentialProviders = () => import("@aws-sdk/credential-providers");

/** fromNodeProviderChain(init), made when first asked for credentials. */
export const nodeProviderChain = (init?: Parameters<typeof fromNodeProviderChain>[0]) =>
  madeOnFirstCall(async () => (await credentialProviders()).fromNodeProviderChain(init));

/** fromTemporaryCredentials(options), made when first asked for credentials. */
export const temporaryCredentials = (options: Parameters<typeof fromTemporaryCredentials>[0]) =>
  madeOnFirstCall(async () => (await credentialProviders()).fromTemporaryCredentials(options));

/**
 * A provider that makes the real one on its first call and hands every call to it, with the
 * properties the SDK passes (its caller's config, `forceRefresh`): one provider, so its own cache
 * serves as before. A load that failed is not kept: the next call loads again.
 */
function madeOnFirstCall<P, C>(make: () => Promise<(properties?: P) => Promise<C>>): (properties?: P) => Promise<C> {
  const provider = madeOnce(make);
  return async (properties) => (await provider.get())(properties);
}
