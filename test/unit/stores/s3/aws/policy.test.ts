import { describe, expect, it } from "vitest";
import { leastPrivilegePolicy } from "../../../../../main/core/stores/s3/aws/policy.js";
import { setupDocument } from "../../../../../main/core/stores/s3/aws/setup-doc.js";
import { gcloudSetupDocument } from "../../../../../main/core/stores/gcs/setup-doc.js";
import { azureSetupDocument } from "../../../../../main/core/stores/azure/setup-doc.js";
import { brokenBucketNames } from "../../../../support/bucket-name-cases.js";

const policyWith = (putResource: string, bucket = "demo-bucket") => ({
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Action: ["s3:GetBucketLocation"], Resource: `arn:aws:s3:::${bucket}` },
    { Effect: "Allow", Action: ["s3:PutObject"], Resource: putResource },
  ],
});

describe("leastPrivilegePolicy", () => {
  it("allows GetBucketLocation on the bucket and PutObject on *.jsonl under the prefix", () => {
    expect(leastPrivilegePolicy("demo-bucket", "events")).toEqual(policyWith("arn:aws:s3:::demo-bucket/events/*.jsonl"));
    expect(leastPrivilegePolicy("demo-bucket", "a/b/c")).toEqual(policyWith("arn:aws:s3:::demo-bucket/a/b/c/*.jsonl"));
  });

  it("has no double slash without a prefix", () => {
    expect(leastPrivilegePolicy("demo-bucket")).toEqual(policyWith("arn:aws:s3:::demo-bucket/*.jsonl"));
    expect(leastPrivilegePolicy("demo-bucket", "")).toEqual(policyWith("arn:aws:s3:::demo-bucket/*.jsonl"));
    expect(() => leastPrivilegePolicy("demo-bucket", "/")).toThrow("it is only slashes");
  });

  it.each(["/events", "events/", "//events//", "/events/"])("drops stray slashes in %j", (prefix) => {
    expect(leastPrivilegePolicy("demo-bucket", prefix)).toEqual(policyWith("arn:aws:s3:::demo-bucket/events/*.jsonl"));
  });

  it.each([
    ["a//b", 'it has an empty segment ("//")'],
    ["a/../b", 'it has a ".." segment'],
    ["./a", 'it has a "." segment'],
    ["bad\u0007bell", "it contains a control character"],
    ["x".repeat(901), "it has 901 characters, at most 900 are allowed"],
  ])("refuses the prefix %j: %s", (prefix, problem) => {
    expect(() => leastPrivilegePolicy("demo-bucket", prefix)).toThrow(problem);
  });

  it.each(brokenBucketNames)("refuses the bucket %s: %s", (bucket, rule) => {
    expect(() => leastPrivilegePolicy(bucket, "events")).toThrow(`Invalid bucket name ${JSON.stringify(bucket)}: an S3 bucket name ${rule}.`);
  });
});

describe("setupDocument", () => {
  const doc = setupDocument({ bucket: "demo-bucket", pathPrefix: "/events/", region: "eu-west-1" });

  it("holds the filled-in policy", () => {
    expect(doc).toContain(JSON.stringify(leastPrivilegePolicy("demo-bucket", "events"), null, 2));
  });

  it("gives the exact aws commands for each step", () => {
    expect(doc).toContain("aws s3api create-bucket --bucket demo-bucket --region eu-west-1 \\\n  --create-bucket-configuration LocationConstraint=eu-west-1");
    expect(doc).toContain("aws s3api put-public-access-block --bucket demo-bucket");
    expect(doc).toContain("BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true");
    expect(doc).toContain("aws s3api put-bucket-lifecycle-configuration --bucket demo-bucket");
    expect(doc).toContain('"DaysAfterInitiation": 3');
    expect(doc).toContain("aws iam create-user --user-name streamdrop-demo-bucket");
    expect(doc).toContain("--policy-name streamdrop-bucket-write-access");
    expect(doc).toContain("aws iam create-access-key --user-name streamdrop-demo-bucket > s3.json");
  });

  it("says what to send back, how to send it safely, and how the recipient uses it", () => {
    expect(doc).toContain("Do not paste `s3.json` into email or chat");
    expect(doc).toContain("streamdrop create sink demo-bucket demo-bucket --credentials-file s3.json --path-prefix events");
  });

  it("leaves out the location constraint in us-east-1", () => {
    expect(setupDocument({ bucket: "demo-bucket" })).not.toContain("LocationConstraint");
  });
});

describe("the policy for compressed exporters", () => {
  it("allows the compressed suffix and the sink's validation files, and both suffixes while switching", () => {
    expect(leastPrivilegePolicy("b-u-c", "events", ["gzip"]).Statement[1]!.Resource).toEqual([
      "arn:aws:s3:::b-u-c/events/*.jsonl.gz",
      "arn:aws:s3:::b-u-c/events/.strm_test_*.jsonl",
    ]);
    expect(leastPrivilegePolicy("b-u-c", undefined, ["none", "zstd"]).Statement[1]!.Resource).toEqual([
      "arn:aws:s3:::b-u-c/*.jsonl",
      "arn:aws:s3:::b-u-c/*.jsonl.zst",
    ]);
    expect(leastPrivilegePolicy("b-u-c", "events").Statement[1]!.Resource).toBe("arn:aws:s3:::b-u-c/events/*.jsonl");
  });

  it("allows a Parquet exporter's files and its -invalid JSON Lines, whatever else is asked", () => {
    for (const kinds of [["parquet"], ["gzip", "parquet"]] as const)
      expect(leastPrivilegePolicy("b-u-c", "events", kinds).Statement[1]!.Resource).toEqual(
        expect.arrayContaining(["arn:aws:s3:::b-u-c/events/*.parquet", "arn:aws:s3:::b-u-c/events/*.jsonl"]),
      );
  });
});

describe("setup documents for compressed exporters", () => {
  it("give the AWS policy and the file names the compression needs", () => {
    const doc = setupDocument({ bucket: "demo-bucket", pathPrefix: "events", compressions: ["gzip"] });
    expect(doc).toContain('"arn:aws:s3:::demo-bucket/events/*.jsonl.gz"');
    expect(doc).toContain('"arn:aws:s3:::demo-bucket/events/.strm_test_*.jsonl"');
    expect(doc).toContain("| Files | `*.jsonl.gz` |");
    expect(doc).toContain("write `*.jsonl.gz` files (and the empty `.strm_test_*.jsonl` files that check the sink)");
    expect(setupDocument({ bucket: "demo-bucket", compressions: ["none", "zstd"] })).toContain("| Files | `*.jsonl` and `*.jsonl.zst` |");
  });

  it("name the files in the Cloud Storage and Azure documents, whose permissions do not depend on it", () => {
    expect(gcloudSetupDocument({ bucket: "demo-bucket", compressions: ["zstd"] })).toContain("| Files | `*.jsonl.zst`, created once and never replaced |");
    expect(azureSetupDocument({ bucket: "demo-container", compressions: ["gzip"] })).toContain("| Files | `*.jsonl.gz`, created once and never replaced |");
    expect(gcloudSetupDocument({ bucket: "demo-bucket" })).toContain("| Files | `*.jsonl`, created once and never replaced |");
  });
});
