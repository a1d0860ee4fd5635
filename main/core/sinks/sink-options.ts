// Offline checks of everything a sink is made of: no network, no keychain. `create sink --dry-run`
// stops here; `create sink` goes on to validate against the bucket and store the secret. What
// every store checks the same way is here; the rest is the store's provider's.
import { aStore, stores, type StoreType } from "../../../common/stores.js";
import { invalidInput } from "../errors.js";
import { checkName } from "../names.js";
import type { SinkCredentials, SinkPlan } from "../stores/kinds.js";
import { providerOf, storeWithoutFile } from "../stores/registry.js";
import { checkBucketName } from "./bucket-name.js";
import { parseCredentials, readCredentialsFile } from "./credentials-file.js";
import { checkEndpoint } from "./endpoint.js";
import { normalizePrefix } from "./path-prefix.js";

export type { SinkPlan };
export type { CredentialsInput, PlanCommon, SinkInput } from "../stores/sink-input.js";
import type { CredentialsInput, PlanCommon, SinkInput } from "../stores/sink-input.js";

export async function planSink(input: SinkInput): Promise<SinkPlan> {
  const name = checkName("sink", input.name);
  const pathPrefix = normalizePrefix(input.pathPrefix);
  const endpoint = input.endpoint === undefined ? undefined : checkEndpoint(input.endpoint);
  const parsed = await readCredentials(input.credentials);
  const type = sinkTypeFor(input, parsed);
  const bucket = checkBucketName(input.bucket, type);
  const common: PlanCommon = { name, bucket, ...(endpoint ? { endpoint } : {}), ...(pathPrefix ? { pathPrefix } : {}) };
  return providerOf({ type }).plan(common, input, parsed);
}

async function readCredentials(credentials: CredentialsInput): Promise<SinkCredentials | undefined> {
  if (credentials.from === "file") return readCredentialsFile(credentials.path);
  if (credentials.from === "text") return parseCredentials(credentials.text, credentials.label);
  return undefined;
}

/** The type the credentials imply, unless `--sink-type` says otherwise; a contradiction is an error. */
function sinkTypeFor(input: SinkInput, parsed: SinkCredentials | undefined): StoreType {
  const implied = parsed ? parsed.store : storeWithoutFile;
  const wanted = input.sinkType ?? implied;
  if (wanted === implied) return wanted;
  const source =
    input.credentials.from === "file"
      ? `Credentials file ${input.credentials.path}`
      : input.credentials.from === "text"
        ? input.credentials.label
        : "The AWS default credential chain";
  const holds = parsed ? `holds ${stores[implied].name} credentials` : `applies to ${stores[implied].name} only`;
  throw invalidInput(
    `${aStore(wanted, { sentence: true })} sink was asked for, but ${source} ${holds}. Either ${providerOf({ type: wanted }).credentialsWanted}, or let the type follow the credentials.`,
    { id: "set", setting: "credentials" },
    { id: "set", setting: "sink-type" },
  );
}
