// A bucket name checked by the shared rules (common/stores.ts), as an error for the core.
import { bucketNameProblem, gcsBucketNameProblem } from "../../../common/bucket-names.js";
import { aStore, stores, type StoreType } from "../../../common/stores.js";
import { invalidInput } from "../errors.js";

export { bucketNameProblem, gcsBucketNameProblem };

export function checkBucketName(name: string, type: StoreType = "S3"): string {
  const problem = stores[type].bucketNameProblem(name);
  if (problem)
    throw invalidInput(`Invalid ${stores[type].bucketWord} name ${JSON.stringify(name)}: ${aStore(type)} ${stores[type].bucketWord} name ${problem}.`);
  return name;
}
