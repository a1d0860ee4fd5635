// The built `streamdrop` command, run the way users run it after `npm run build`.
import { execFileSync } from "node:child_process";
import { expect, it } from "vitest";
import packageJson from "../../package.json" with { type: "json" };
import { repoRoot } from "../../stack/paths.js";

const streamdrop = (...args: string[]) => execFileSync("npx", ["--no-install", "streamdrop", ...args], { cwd: repoRoot, encoding: "utf8" });

it("prints help through npx streamdrop", () => {
  const help = streamdrop("--help");
  expect(help).toContain("Usage: streamdrop");
  expect(help).toContain("JSON Lines");
});

it("prints the package version", () => {
  expect(streamdrop("--version").trim()).toBe(packageJson.version);
});

it("prints the least-privilege policy", () => {
  expect(JSON.parse(streamdrop("policy", "demo-bucket", "--path-prefix", "/events/"))).toEqual({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: ["s3:GetBucketLocation"], Resource: "arn:aws:s3:::demo-bucket" },
      { Effect: "Allow", Action: ["s3:PutObject"], Resource: "arn:aws:s3:::demo-bucket/events/*.jsonl" },
    ],
  });
});

it("prints the setup document", () => {
  const doc = streamdrop("setup-doc", "demo-bucket", "--path-prefix", "events");
  expect(doc).toMatch(/^# Streamdrop export: AWS setup for bucket `demo-bucket`/);
  expect(doc).toContain("aws iam create-access-key --user-name streamdrop-demo-bucket > s3.json");
});
