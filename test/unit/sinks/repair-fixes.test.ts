// The fixes the repairs brought (#34), said by both front ends: the CLI names its verb, the
// window never names an option of the CLI.
import { describe, expect, it } from "vitest";
import type { Fix } from "../../../common/fixes.js";
import { fixText as cliFix } from "../../../main/cli/fix-text.js";
import { explainS3Error } from "../../../main/core/stores/s3/validate.js";
import { fixText as windowFix } from "../../../renderer/src/components/fix-text.js";

const s3Error = (name: string, status: number) => Object.assign(new Error(name), { name, Code: name, $metadata: { httpStatusCode: status } });
const gzipPut = { operation: "PutObject" as const, bucket: "demo-bucket", key: "events/.strm_test_1.jsonl.gz", prefix: "events" };
const ownUser = { sink: "lake", userName: "streamdrop-demo-bucket" };

describe("the repairs' fixes", () => {
  it.each<[Fix, string, string]>([
    [
      { id: "update-policy", sink: "lake", compression: "gzip" },
      "`streamdrop update-policy sink lake --compression gzip`",
      "Streamdrop made the IAM user of sink lake: let it update the user's policy to allow .jsonl.gz files in Sinks, with admin credentials given once.",
    ],
    [{ id: "update-policy", sink: "lake" }, "`streamdrop update-policy sink lake`", "let it update the user's policy in Sinks"],
    [{ id: "rotate-key", userName: "u", sink: "lake" }, "`streamdrop rotate-key sink lake`", "Rotate the key of u"],
  ])("%j reads as a sentence in both front ends", (fix, cli, window) => {
    expect(cliFix(fix)).toContain(cli);
    expect(cliFix(fix)).toMatch(/^[A-Z`].*[.)]$/);
    expect(windowFix(fix)).toContain(window);
    expect(windowFix(fix)).toMatch(/^[A-Z].*\.$/);
    expect(windowFix(fix)).not.toMatch(/(^|\s)--[a-z]|streamdrop /);
  });

  it("offers to update the policy first when the app made the sink's user, naming the compression refused", () => {
    expect(explainS3Error(s3Error("AccessDenied", 403), { ...gzipPut, ownUser }).fixes).toEqual([
      { id: "update-policy", sink: "lake", compression: "gzip" },
      { id: "add-policy-statement", statement: { Effect: "Allow", Action: ["s3:PutObject"], Resource: "arn:aws:s3:::demo-bucket/events/*.jsonl.gz" } },
    ]);
    expect(explainS3Error(s3Error("AccessDenied", 403), { ...gzipPut, key: "events/.strm_test_1.jsonl", ownUser }).fixes[0]).toEqual({
      id: "update-policy",
      sink: "lake",
    });
    expect(explainS3Error(s3Error("AccessDenied", 403), gzipPut).fixes.map((fix) => fix.id)).toEqual(["add-policy-statement"]);
    expect(explainS3Error(s3Error("AccessDenied", 403), { operation: "GetBucketLocation", bucket: "demo-bucket", ownUser }).fixes).toEqual([
      { id: "update-policy", sink: "lake" },
    ]);
  });

  it("offers to rotate a revoked key of the app's user", () => {
    expect(explainS3Error(s3Error("InvalidAccessKeyId", 403), { ...gzipPut, ownUser }).fixes).toEqual([
      { id: "rotate-key", userName: "streamdrop-demo-bucket", sink: "lake" },
      { id: "replace-credentials" },
    ]);
    expect(explainS3Error(s3Error("InvalidAccessKeyId", 403), gzipPut).fixes).toEqual([{ id: "replace-credentials" }]);
  });
});
