import { describe, expect, it } from "vitest";
import { checkName } from "../../../main/core/names.js";
import { bucketNameProblem, checkBucketName } from "../../../main/core/sinks/bucket-name.js";
import { isWithinPrefix, normalizePrefix } from "../../../main/core/sinks/path-prefix.js";
import { brokenBucketNames } from "../../support/bucket-name-cases.js";

describe("resource names", () => {
  it.each(["s3", "a", "demo.events_v2-x", "9lives", "x".repeat(100)])("accepts %s", (name) => {
    expect(checkName("sink", name)).toBe(name);
  });

  it.each(["", "-s3", ".hidden", "_x", "with space", "ünïcode", "a/b", "x".repeat(101)])("refuses %j, showing the rule", (name) => {
    expect(() => checkName("batch exporter", name)).toThrow(
      `Invalid batch exporter name ${JSON.stringify(name)}: names are 1 to 100 characters of letters, digits, ".", "_" and "-", starting with a letter or digit.`,
    );
  });
});

describe("bucket names", () => {
  it.each(["strmprivacy-export-demo", "abc", "my.bucket.2024", "a".repeat(63)])("accepts %s", (name) => {
    expect(bucketNameProblem(name)).toBeUndefined();
  });

  it.each(brokenBucketNames)("refuses %s: %s", (name, rule) => {
    expect(() => checkBucketName(name)).toThrow(`Invalid bucket name ${JSON.stringify(name)}: an S3 bucket name ${rule}.`);
  });
});

describe("path prefixes", () => {
  it("drops leading and trailing slashes, and treats an empty prefix (not one of slashes only) as the bucket root", () => {
    expect(normalizePrefix("/events/")).toBe("events");
    expect(normalizePrefix("a/b/c")).toBe("a/b/c");
    expect(normalizePrefix("")).toBeUndefined();
    expect(normalizePrefix(undefined)).toBeUndefined();
  });

  it.each([
    ["a//b", 'it has an empty segment ("//")'],
    ["a/./b", 'it has a "." segment'],
    ["../up", 'it has a ".." segment'],
    ["tab\there", "it contains a control character"],
    ["p".repeat(901), "it has 901 characters, at most 900 are allowed"],
    ["//", "it is only slashes; leave the prefix out to write at the bucket root"],
    ["ev*", 'it contains "*", which an IAM policy reads as a wildcard, so the policy would grant other folders too'],
    ["ev?", 'it contains "?", which an IAM policy reads as a wildcard'],
    ["${aws:username}", 'it contains "${", which an IAM policy reads as a variable'],
  ])("refuses %j: %s", (prefix, problem) => {
    expect(() => normalizePrefix(prefix)).toThrow(`Invalid path prefix ${JSON.stringify(prefix)}: ${problem}`);
  });

  it("knows which prefixes lie within another, by whole segments", () => {
    expect(isWithinPrefix("events/2024", "events")).toBe(true);
    expect(isWithinPrefix("events", "events")).toBe(true);
    expect(isWithinPrefix("events-old", "events")).toBe(false);
    expect(isWithinPrefix(undefined, "events")).toBe(false);
    expect(isWithinPrefix("anything", undefined)).toBe(true);
  });
});
