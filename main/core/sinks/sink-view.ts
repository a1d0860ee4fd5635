// What a sink looks like outside the core (CLI output, IPC results): the product page's shape,
// and never a secret.
import type { SinkRecord } from "../config/schema.js";
import { objectUri as uriOf } from "../../../common/stores.js";
import type { SinkPlan } from "../stores/kinds.js";
import { providerOf } from "../stores/registry.js";
import type { SinkView } from "../stores/sink-input.js";

export type { SinkView };

const credentialSources = { keychain: "keychain", "default-chain": "default-chain", env: "environment" } as const;

export const objectUri = (sink: Pick<SinkRecord, "type" | "bucket">, key: string) => uriOf(sink.type, sink.bucket, key);

/** The bucket part of a sink or of a checked plan (`--dry-run`). */
export function bucketView(sink: SinkRecord | SinkPlan, credentials: SinkView["bucket"]["credentials"]): SinkView["bucket"] {
  const common = {
    bucketName: sink.bucket,
    ...(sink.endpoint ? { endpoint: sink.endpoint } : {}),
    ...(sink.pathPrefix ? { pathPrefix: sink.pathPrefix } : {}),
    credentials,
  };
  return { ...common, ...providerOf(sink).view(sink) };
}

export function sinkView(sink: SinkRecord): SinkView {
  return {
    ref: { name: sink.name },
    sinkType: sink.type,
    bucket: bucketView(sink, credentialSources[sink.credentials.source]),
    createdAt: sink.createdAt,
    updatedAt: sink.updatedAt,
    ...(sink.lastValidation ? { lastValidationFile: objectUri(sink, sink.lastValidation.key) } : {}),
  };
}
