// Which refusals are the sink's own problem (shown on the sink and on every exporter on it), told
// by the fixes the stores' explanations carry: new credentials for a key that no longer works,
// never for what one exporter's settings ask (a suffix the policy lacks).
import { expect, it } from "vitest";
import { isSinkProblem } from "../../../common/problems.js";
import { explainGcsError } from "../../../main/core/stores/gcs/client.js";
import { explainS3Error } from "../../../main/core/stores/s3/validate.js";

const s3 = (code: string, ownUser?: { sink: string; userName: string }) =>
  explainS3Error(Object.assign(new Error(code), { name: code }), { operation: "PutObject", bucket: "b", key: "events/a.jsonl.gz", prefix: "events", ownUser });
const refused = (error: { fixes: readonly unknown[] }) => ({ problem: "storage-refused" as const, fixes: error.fixes as never });

it("counts a key that no longer works as the sink's problem, on S3 and Cloud Storage", () => {
  for (const code of ["InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken"]) expect(isSinkProblem(refused(s3(code))), code).toBe(true);
  expect(isSinkProblem(refused(s3("InvalidAccessKeyId", { sink: "lake", userName: "streamdrop-b" })))).toBe(true);
  const gcs = explainGcsError(Object.assign(new Error("unauthorized"), { code: 401 }), {
    bucket: "b",
    key: "events/a.jsonl",
    clientEmail: "w@p.iam.gserviceaccount.com",
  });
  expect(isSinkProblem(refused(gcs))).toBe(true);
});

it("keeps a refusal of one exporter's files (a suffix or folder the policy lacks) that exporter's own", () => {
  const denied = s3("AccessDenied", { sink: "lake", userName: "streamdrop-b" });
  expect(denied.fixes.map((fix) => fix.id)).toEqual(["update-policy", "add-policy-statement"]);
  expect(isSinkProblem(refused(denied))).toBe(false);
  const gcs = explainGcsError(Object.assign(new Error("forbidden"), { code: 403 }), {
    bucket: "b",
    key: "events/a.jsonl",
    clientEmail: "w@p.iam.gserviceaccount.com",
  });
  expect(isSinkProblem(refused(gcs))).toBe(false);
  // Not a store's refusal at all: no sink problem, whatever its fixes.
  expect(isSinkProblem({ problem: "tls", fixes: [{ id: "replace-credentials" }] })).toBe(false);
});
