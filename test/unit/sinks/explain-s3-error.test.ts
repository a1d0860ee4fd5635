// S3 failures that a local server cannot produce (KMS, expiry, redirects), mapped to advice.
import { describe, expect, it } from "vitest";
import { explainS3Error } from "../../../main/core/stores/s3/validate.js";

const put = { operation: "PutObject" as const, bucket: "demo-bucket", key: "events/.strm_test_1.jsonl", prefix: "events" };
const s3Error = (name: string, message = "", status = 400) => Object.assign(new Error(message), { name, Code: name, $metadata: { httpStatusCode: status } });

describe("explainS3Error", () => {
  it("names kms:GenerateDataKey for a KMS-encrypted bucket", () => {
    const error = s3Error("AccessDenied", "User is not authorized to perform: kms:GenerateDataKey on resource: arn:aws:kms:...", 403);
    expect(explainS3Error(error, put).message).toContain("Allow kms:GenerateDataKey (and kms:Encrypt) on that key");
    expect(explainS3Error(s3Error("KMS.DisabledException", "disabled"), put).message).toContain("KMS key");
  });

  it("names the denied permission and the policy resource that would allow it", () => {
    expect(explainS3Error(s3Error("AccessDenied", "Access Denied", 403), put).message).toBe(
      "Access denied for s3:PutObject on arn:aws:s3:::demo-bucket/events/.strm_test_1.jsonl. The credentials' policy must allow s3:PutObject on arn:aws:s3:::demo-bucket/events/*.jsonl; check that the path prefix matches the one in the policy.",
    );
    expect(explainS3Error(s3Error("AccessDenied", "", 403), { operation: "GetBucketLocation", bucket: "demo-bucket" }).message).toContain(
      "Access denied for s3:GetBucketLocation on arn:aws:s3:::demo-bucket.",
    );
  });

  it.each([
    ["ExpiredToken", "The credentials have expired (ExpiredToken)"],
    ["RequestExpired", "The credentials have expired (RequestExpired)"],
    ["InvalidToken", "S3 rejected the session token"],
    ["PermanentRedirect", "Bucket demo-bucket is in another region than the one used (PermanentRedirect)"],
    ["AuthorizationHeaderMalformed", "is in another region"],
    ["InvalidAccessKeyId", "The access key ID is not known to S3"],
    ["SignatureDoesNotMatch", "the secret access key does not belong to the access key ID"],
    ["NoSuchBucket", "Bucket demo-bucket does not exist"],
  ])("explains %s", (code, advice) => {
    expect(explainS3Error(s3Error(code), put).message).toContain(advice);
  });

  it("explains an endpoint it cannot reach", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    expect(explainS3Error(refused, { ...put, endpoint: "http://127.0.0.1:1" }).message).toBe(
      "Cannot reach the S3 endpoint http://127.0.0.1:1 (ECONNREFUSED). Check the endpoint URL and your network.",
    );
  });

  it("explains an empty default credential chain", () => {
    const none = Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" });
    expect(explainS3Error(none, put).message).toContain("No AWS credentials were found in the default credential chain");
  });

  it("passes anything else on with the operation and resource", () => {
    expect(explainS3Error(s3Error("SlowDown", "Please reduce your request rate."), put).message).toBe(
      "S3 refused PutObject on arn:aws:s3:::demo-bucket/events/.strm_test_1.jsonl: SlowDown: Please reduce your request rate.",
    );
  });
});
