// A bucket name checked by the shared rules (common/bucket-names.ts), as an error for the core.
import { bucketNameProblem, gcsBucketNameProblem } from "../../../common/bucket-names.js";
import { invalidInput } from "../errors.js";

export { bucketNameProblem, gcsBucketNameProblem };

export function checkBucketName(name: string, type: "S3" | "GCLOUD" = "S3"): string {
  const problem = type === "S3" ? bucketNameProblem(name) : gcsBucketNameProblem(name);
  if (problem) throw invalidInput(`Invalid bucket name ${JSON.stringify(name)}: ${type === "S3" ? "an S3" : "a Cloud Storage"} bucket name ${problem}.`);
  return name;
}
