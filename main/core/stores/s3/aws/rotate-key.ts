// A new access key for the IAM user Streamdrop made for a sink: the sink switches to it once it
// works, and the key it used before is deleted (when it still exists: a revoked key is simply
// replaced). The user's policy is put again with it, allowing what the sink's exporters write.
import { definedFields } from "../../../defined-fields.js";
import type { SinkService } from "../../../sinks/sink-service.js";
import type { AdminCredentials } from "./admin.js";
import { setupS3, type S3SetupResult, type StepReporter } from "./setup.js";
import { sinkUserOf } from "./sink-user.js";

export interface RotateKeyInput {
  sinkName: string;
  admin: AdminCredentials;
}

export async function rotateKey(sinks: SinkService, input: RotateKeyInput, report: StepReporter = () => undefined): Promise<S3SetupResult> {
  const { sink, userName } = sinkUserOf(await sinks.get(input.sinkName), "its key cannot be rotated by Streamdrop", (sink) => [
    { id: "replace-credentials", sink: sink.name, bucket: sink.bucket },
  ]);
  return setupS3(
    sinks,
    {
      bucket: sink.bucket,
      createBucket: false,
      userName,
      sinkName: sink.name,
      rotateKey: true,
      admin: input.admin,
      compressions: await sinks.exporterFileKinds(sink.name),
      ...definedFields(sink, ["pathPrefix", "region", "endpoint"]),
    },
    report,
  );
}
