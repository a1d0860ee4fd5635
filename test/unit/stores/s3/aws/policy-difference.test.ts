// The policy difference `update-policy sink --dry-run` and the window show: one line per
// permission, added or removed; how a document is written (order, Sids, a list of one) is no
// difference, and what a person added in the console (conditions) stays in sight.
import { describe, expect, it } from "vitest";
import { leastPrivilegePolicy } from "../../../../../main/core/stores/s3/aws/policy.js";
import { isSamePolicy, policyDifference, policyLines } from "../../../../../main/core/stores/s3/aws/policy-difference.js";

const bucket = "demo-bucket";

describe("policyDifference", () => {
  it("says the gzip files as added when an exporter switches, and nothing removed", () => {
    const difference = policyDifference(leastPrivilegePolicy(bucket, "events"), leastPrivilegePolicy(bucket, "events", ["none", "gzip"]));
    expect(difference).toEqual({ added: [`Allow s3:PutObject on arn:aws:s3:::${bucket}/events/*.jsonl.gz`], removed: [] });
    expect(isSamePolicy(difference)).toBe(false);
  });

  it("says plain files as removed and the sink's own validation files as added once every exporter writes gzip", () => {
    const difference = policyDifference(leastPrivilegePolicy(bucket, "events", ["none", "gzip"]), leastPrivilegePolicy(bucket, "events", ["gzip"]));
    expect(difference).toEqual({
      added: [`Allow s3:PutObject on arn:aws:s3:::${bucket}/events/.strm_test_*.jsonl`],
      removed: [`Allow s3:PutObject on arn:aws:s3:::${bucket}/events/*.jsonl`],
    });
  });

  it("adds everything for a user without the policy", () => {
    const proposed = leastPrivilegePolicy(bucket, "events");
    expect(policyDifference(undefined, proposed)).toEqual({
      added: [`Allow s3:GetBucketLocation on arn:aws:s3:::${bucket}`, `Allow s3:PutObject on arn:aws:s3:::${bucket}/events/*.jsonl`],
      removed: [],
    });
  });

  it("finds no difference in how the same permissions are written", () => {
    const written = {
      Version: "2012-10-17",
      Statement: [
        { Sid: "Write", Effect: "Allow", Action: "s3:PutObject", Resource: [`arn:aws:s3:::${bucket}/events/*.jsonl`] },
        { Effect: "Allow", Action: ["s3:GetBucketLocation"], Resource: `arn:aws:s3:::${bucket}` },
      ],
    };
    expect(isSamePolicy(policyDifference(written, leastPrivilegePolicy(bucket, "events")))).toBe(true);
    // A single statement, not in a list, as IAM allows.
    const single = { Version: "2012-10-17", Statement: { Effect: "Allow", Action: "s3:PutObject", Resource: `arn:aws:s3:::${bucket}/x/*.jsonl` } };
    expect(policyLines(single)).toEqual([`Allow s3:PutObject on arn:aws:s3:::${bucket}/x/*.jsonl`]);
  });

  it("shows a statement with a condition whole, so replacing the document does not lose it silently", () => {
    const edited = {
      Version: "2012-10-17",
      Statement: [
        ...leastPrivilegePolicy(bucket, "events").Statement,
        { Effect: "Deny", Action: "s3:PutObject", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } },
      ],
    };
    expect(policyDifference(edited, leastPrivilegePolicy(bucket, "events"))).toEqual({
      added: [],
      removed: ['Deny {"Action":"s3:PutObject","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}'],
    });
  });

  it("says a moved prefix as one resource removed and one added", () => {
    expect(policyDifference(leastPrivilegePolicy(bucket, "old"), leastPrivilegePolicy(bucket, "new"))).toEqual({
      added: [`Allow s3:PutObject on arn:aws:s3:::${bucket}/new/*.jsonl`],
      removed: [`Allow s3:PutObject on arn:aws:s3:::${bucket}/old/*.jsonl`],
    });
  });
});
