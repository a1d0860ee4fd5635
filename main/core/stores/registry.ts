// The one place that pairs a store type with its provider: everything else asks `providerOf(x)`
// for the sink, plan or credentials it holds, and never branches on the type itself.
import type { StoreType } from "../../../common/stores.js";
import { azureProvider } from "./azure/provider.js";
import { gcsProvider } from "./gcs/provider.js";
import type { StoreProvider } from "./provider.js";
import { s3Provider } from "./s3/provider.js";

const providers: { [T in StoreType]: StoreProvider<T> } = {
  S3: s3Provider,
  GCLOUD: gcsProvider,
  AZURE: azureProvider,
};

/** The provider of a sink, a plan, a spec (by `type`) or of parsed credentials (by `store`). */
export function providerOf<T extends StoreType>(of: { type: T } | { store: T }): StoreProvider<T> {
  return providers["type" in of ? of.type : of.store];
}

export const allProviders = (): StoreProvider<StoreType>[] => Object.values(providers);

/** The store that credentials from no file imply: AWS's default chain, or a key the AWS setup made. */
export const storeWithoutFile: StoreType = s3Provider.type;
