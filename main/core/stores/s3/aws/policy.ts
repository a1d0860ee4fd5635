// The least-privilege IAM policy a sink's credentials need, exactly as the product page gives it:
// GetBucketLocation on the bucket (to find its region) and PutObject on *.jsonl under the prefix.
import { checkBucketName } from "../../../sinks/bucket-name.js";
import { normalizePrefix } from "../../../sinks/path-prefix.js";

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Array<{ Effect: "Allow"; Action: string[]; Resource: string }>;
}

export function leastPrivilegePolicy(bucket: string, pathPrefix?: string): PolicyDocument {
  checkBucketName(bucket);
  const prefix = normalizePrefix(pathPrefix);
  return {
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: ["s3:GetBucketLocation"], Resource: `arn:aws:s3:::${bucket}` },
      // Without a prefix there is no "/" before "*.jsonl": a double slash would match nothing.
      { Effect: "Allow", Action: ["s3:PutObject"], Resource: `arn:aws:s3:::${bucket}/${prefix ? `${prefix}/` : ""}*.jsonl` },
    ],
  };
}
