// The least-privilege IAM policy a sink's credentials need, exactly as the product page gives it:
// GetBucketLocation on the bucket (to find its region) and PutObject on *.jsonl under the prefix.
// Exporters that compress write `*.jsonl.gz` or `*.jsonl.zst` instead: the policy then allows those,
// and the sink's own validation files (`.strm_test_*.jsonl`), and no plain data file.
import { checkBucketName } from "../../../sinks/bucket-name.js";
import { normalizePrefix } from "../../../sinks/path-prefix.js";
import { fileKindFormats, kindsOrPlain, type FileKind } from "../../../../../common/record-format.js";
import type { PolicyStatement } from "../../../../../common/fixes.js";

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

/** `compressions`: those the sink's exporters use (both while one switches); plain alone by default. */
export function leastPrivilegePolicy(bucket: string, pathPrefix?: string, compressions: readonly FileKind[] = ["none"]): PolicyDocument {
  checkBucketName(bucket);
  const prefix = normalizePrefix(pathPrefix);
  // Without a prefix there is no "/" before "*.jsonl": a double slash would match nothing.
  const under = (pattern: string) => `arn:aws:s3:::${bucket}/${prefix ? `${prefix}/` : ""}${pattern}`;
  const kinds = kindsOrPlain(compressions);
  const resources = [
    ...kinds.map((compression) => under(`*${fileKindFormats[compression].suffix}`)),
    ...(kinds.includes("none") ? [] : [under(".strm_test_*.jsonl")]),
  ];
  return {
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: ["s3:GetBucketLocation"], Resource: `arn:aws:s3:::${bucket}` },
      { Effect: "Allow", Action: ["s3:PutObject"], Resource: resources.length === 1 ? resources[0]! : resources },
    ],
  };
}
