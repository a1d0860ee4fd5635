// Proves a sink works with exactly the permissions exporters need: GetBucketLocation finds the
// region, then an empty `.strm_test_<uuid>.jsonl` is written where files will go. Each failure
// names the permission or setting that is wrong. The file stays (the key cannot delete it).
import { objectUri } from "../../../../common/stores.js";
import { GetBucketLocationCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { Fix } from "../../../../common/fixes.js";
import { StreamdropError } from "../../errors.js";
import { joinKey } from "../../sinks/path-prefix.js";
import { fileKindFormats, fileKindOfKey, contentTypeOfKey, type FileKind } from "../../../../common/record-format.js";
import { validationFile, type ValidationResult } from "../validation.js";
import { regionFromLocationConstraint, s3ClientFor } from "./client.js";
import type { S3Credentials, S3Location } from "./credentials-provider.js";

export interface ValidationTarget extends S3Location {
  /** Known region (the user's `--region`); found with GetBucketLocation when absent. */
  region?: string;
  pathPrefix?: string;
  /** An exporter's: its validation file takes the compression's suffix, proving that permission. */
  compression?: FileKind;
}

/** `ownUser`: the IAM user the app made for the sink, whose policy and key the app can mend itself (its fixes say so). */
export async function validateSink(target: ValidationTarget, credentials: S3Credentials, ownUser?: OwnUser): Promise<ValidationResult> {
  const region = await findRegion(target, credentials, ownUser);
  const file = await validationFile(target.compression);
  const key = joinKey(target.pathPrefix, file.name);
  const client = s3ClientFor(target, credentials, region);
  try {
    await client.send(
      new PutObjectCommand({ Bucket: target.bucket, Key: key, Body: file.body, ContentLength: file.body.length, ContentType: contentTypeOfKey(key) }),
    );
  } catch (error) {
    throw explainS3Error(error, { operation: "PutObject", bucket: target.bucket, key, prefix: target.pathPrefix, endpoint: target.endpoint, ownUser });
  } finally {
    client.destroy();
  }
  return { region, key, uri: objectUri("S3", target.bucket, key) };
}

async function findRegion(target: ValidationTarget, credentials: S3Credentials, ownUser: OwnUser | undefined): Promise<string> {
  // GetBucketLocation answers from any region on AWS; S3-compatible stores accept their own.
  const client: S3Client = s3ClientFor(target, credentials, target.region ?? "us-east-1");
  try {
    const answer = await client.send(new GetBucketLocationCommand({ Bucket: target.bucket }));
    const found = regionFromLocationConstraint(answer.LocationConstraint);
    if (target.region && target.region !== found) {
      throw new StreamdropError(
        "storage",
        `Bucket ${target.bucket} is in region ${found}, not ${target.region}. Leave out the region (it is found automatically) or set it to ${found}.`,
      );
    }
    return target.region ?? found;
  } catch (error) {
    if (error instanceof StreamdropError) throw error;
    throw explainS3Error(error, { operation: "GetBucketLocation", bucket: target.bucket, prefix: target.pathPrefix, endpoint: target.endpoint, ownUser });
  } finally {
    client.destroy();
  }
}

/** The app-made IAM user of a sink (`S3SinkRecord.iamUser`), and the sink's name. */
export interface OwnUser {
  sink: string;
  userName: string;
}

interface S3Attempt {
  operation: "GetBucketLocation" | "PutObject";
  bucket: string;
  key?: string;
  prefix?: string;
  endpoint?: string;
  ownUser?: OwnUser | undefined;
}

/** What went wrong and what to do, by S3 error code; AWS's messages hold no secrets. */
export function explainS3Error(error: unknown, attempt: S3Attempt): StreamdropError {
  const failure = error as { name?: string; Code?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const code = failure.Code ?? failure.name ?? "";
  const message = failure.message ?? String(error);
  const { operation, bucket, key } = attempt;
  const fail = (text: string, ...fixes: Fix[]) => new StreamdropError("storage", text, { cause: error, fixes });
  const resource = key ? `arn:aws:s3:::${bucket}/${key}` : `arn:aws:s3:::${bucket}`;
  // The pattern the refused key falls under: `*.jsonl.gz` for a compressed exporter's files.
  const compression = fileKindOfKey(key ?? "");
  const suffix = fileKindFormats[compression].suffix;
  const { ownUser } = attempt;
  const policyResource = `arn:aws:s3:::${bucket}/${attempt.prefix ? `${attempt.prefix}/` : ""}*${suffix}`;

  if (/kms/i.test(code) || /kms:|KMS key/i.test(message)) {
    return fail(
      `S3 refused ${operation} on ${resource} because the bucket encrypts with a KMS key the credentials may not use (${code}). Allow kms:GenerateDataKey (and kms:Encrypt) on that key for these credentials, or use SSE-S3 encryption on the bucket.`,
    );
  }
  if (code === "AccessDenied" || code === "Forbidden" || (code === "" && failure.$metadata?.httpStatusCode === 403)) {
    return operation === "GetBucketLocation"
      ? fail(
          `Access denied for s3:GetBucketLocation on arn:aws:s3:::${bucket}. The credentials' policy must allow it (Streamdrop needs it to find the bucket's region): add s3:GetBucketLocation on arn:aws:s3:::${bucket}.`,
          ...(ownUser ? [{ id: "update-policy" as const, sink: ownUser.sink }] : []),
        )
      : fail(
          `Access denied for s3:PutObject on ${resource}. The credentials' policy must allow s3:PutObject on ${policyResource}; check that the path prefix matches the one in the policy.`,
          ...(ownUser ? [{ id: "update-policy" as const, sink: ownUser.sink, ...(compression === "none" ? {} : { compression }) }] : []),
          { id: "add-policy-statement", statement: { Effect: "Allow", Action: ["s3:PutObject"], Resource: policyResource } },
        );
  }
  if (code === "NoSuchBucket")
    return fail(`Bucket ${bucket} does not exist${attempt.endpoint ? ` at ${attempt.endpoint}` : ""}. Check the name, or create the bucket first.`);
  if (code === "InvalidAccessKeyId")
    return fail(
      "The access key ID is not known to S3: it may have been deleted or revoked. Create a new access key and give it to the sink.",
      ...(ownUser ? [{ id: "rotate-key" as const, userName: ownUser.userName, sink: ownUser.sink }] : []),
      { id: "replace-credentials" },
    );
  if (code === "SignatureDoesNotMatch")
    return fail(
      "S3 rejected the request signature: the secret access key does not belong to the access key ID. Check the credentials file, or create a new access key.",
      ...(ownUser ? [{ id: "rotate-key" as const, userName: ownUser.userName, sink: ownUser.sink }] : []),
      { id: "replace-credentials" },
    );
  if (code === "ExpiredToken" || code === "TokenRefreshRequired" || code === "RequestExpired")
    return fail(`The credentials have expired (${code}). Create new credentials and update the sink with them.`, { id: "replace-credentials" });
  if (code === "InvalidToken")
    return fail("S3 rejected the session token. Create new credentials and update the sink with them.", { id: "replace-credentials" });
  if (code === "PermanentRedirect" || code === "AuthorizationHeaderMalformed" || code === "IllegalLocationConstraintException") {
    return fail(`Bucket ${bucket} is in another region than the one used (${code}). Leave out the region so Streamdrop finds it, or set the bucket's region.`);
  }
  if (code === "CredentialsProviderError" || /Could not load credentials/i.test(message)) {
    return fail(
      "No AWS credentials were found in the default credential chain (environment variables, shared config and credentials files, SSO, instance role). Configure one of them, or use a credentials file.",
    );
  }
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|TimeoutError|socket hang up/i.test(`${failure.code ?? ""} ${code} ${message}`)) {
    return fail(`Cannot reach the S3 endpoint ${attempt.endpoint ?? "of AWS"} (${failure.code ?? code}). Check the endpoint URL and your network.`);
  }
  return fail(`S3 refused ${operation} on ${resource}: ${code || "error"}: ${message}`);
}
