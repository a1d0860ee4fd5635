// A bucket name checked by the shared rules (common/stores.ts), as an error for the core.
import { bucketNameProblem, gcsBucketNameProblem } from "../../../common/bucket-names.js";
import { aStore, stores, type StoreType } from "../../../common/stores.js";
import { invalidInput } from "../errors.js";

export { bucketNameProblem, gcsBucketNameProblem };

export function checkBucketName(name: string, type: StoreType = "S3"): string {
  const problem = stores[type].bucketNameProblem(name);
  if (problem) throw invalidInput(`Invalid bucket name ${JSON.stringify(name)}: ${aStore(type)} bucket name ${problem}.`);
  return name;
}
