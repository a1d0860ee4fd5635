// Creating the bucket: private (public access blocked) and with a lifecycle rule that aborts
// incomplete multipart uploads, which the least-privilege key cannot abort itself after a crash.
// A bucket that already exists and is the user's own is left exactly as it is.
import {
  CreateBucketCommand,
  GetBucketLocationCommand,
  HeadBucketCommand,
  PutBucketLifecycleConfigurationCommand,
  PutPublicAccessBlockCommand,
  type BucketLocationConstraint,
} from "@aws-sdk/client-s3";
import { awsErrorName, StreamdropError } from "../../../errors.js";
import { regionFromLocationConstraint } from "../client.js";
import type { AdminAccess } from "./admin.js";
import { lifecycleConfiguration } from "./bucket-rules.js";

export type BucketOutcome = { state: "created"; region: string } | { state: "existing"; region: string };

const taken = (bucket: string) =>
  new StreamdropError("conflict", `Bucket name ${bucket} is taken by another AWS account (bucket names are global). Choose another name.`);

export async function ensureBucket(access: AdminAccess, bucket: string, region: string, create: boolean): Promise<BucketOutcome> {
  const s3 = access.s3(region);
  try {
    const existing = await bucketExists(access, bucket);
    if (existing === "forbidden") {
      throw new StreamdropError(
        "conflict",
        `Bucket ${bucket} exists, but the admin credentials may not access it: it belongs to another AWS account, or the credentials lack s3:ListBucket on it. Choose another name, or use the bucket owner's credentials.`,
      );
    }
    if (existing === "no" && !create) throw new StreamdropError("not-found", `Bucket ${bucket} does not exist.`, { fixes: [{ id: "create-bucket" }] });
    if (existing === "yes" && !create) return { state: "existing", region: await bucketRegion(access, bucket) };
    // CreateBucket also tells whose an existing bucket is (HeadBucket cannot always).
    try {
      await s3.send(
        new CreateBucketCommand({
          Bucket: bucket,
          ...(region === "us-east-1" ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
        }),
      );
    } catch (error) {
      const name = awsErrorName(error);
      if (name === "BucketAlreadyExists") throw taken(bucket);
      if (name === "BucketAlreadyOwnedByYou") return { state: "existing", region: await bucketRegion(access, bucket) };
      throw adminS3Error("CreateBucket", bucket, error);
    }
    // us-east-1 answers 200 when re-creating your own bucket: only a bucket that was absent is new.
    if (existing === "yes") return { state: "existing", region: await bucketRegion(access, bucket) };
    await secureNewBucket(access, bucket, region);
    return { state: "created", region };
  } finally {
    s3.destroy();
  }
}

async function secureNewBucket(access: AdminAccess, bucket: string, region: string): Promise<void> {
  const s3 = access.s3(region);
  try {
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: bucket,
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
      }),
    );
    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: lifecycleConfiguration() }));
  } catch (error) {
    throw adminS3Error("securing the new bucket (public access block, lifecycle rule)", bucket, error);
  } finally {
    s3.destroy();
  }
}

async function bucketExists(access: AdminAccess, bucket: string): Promise<"yes" | "no" | "forbidden"> {
  const s3 = access.s3("us-east-1");
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return "yes";
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404) return "no";
    if (status === 403) return "forbidden";
    // A 301 names another region: the bucket exists.
    if (status === 301) return "yes";
    throw adminS3Error("HeadBucket", bucket, error);
  } finally {
    s3.destroy();
  }
}

async function bucketRegion(access: AdminAccess, bucket: string): Promise<string> {
  const s3 = access.s3("us-east-1");
  try {
    return regionFromLocationConstraint((await s3.send(new GetBucketLocationCommand({ Bucket: bucket }))).LocationConstraint);
  } catch (error) {
    throw adminS3Error("GetBucketLocation", bucket, error);
  } finally {
    s3.destroy();
  }
}

function adminS3Error(step: string, bucket: string, error: unknown): StreamdropError {
  const failure = error as { name?: string; message?: string };
  if (awsErrorName(error) === "AccessDenied")
    return new StreamdropError(
      "storage",
      `The admin credentials may not do ${step} on bucket ${bucket} (AccessDenied). Use credentials with S3 administration rights.`,
    );
  return new StreamdropError("storage", `${step} on bucket ${bucket} failed: ${failure.name ?? "error"}: ${failure.message ?? String(error)}`);
}
