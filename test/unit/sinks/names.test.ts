import { describe, expect, it } from "vitest";
import { checkName } from "../../../main/core/names.js";
import { bucketNameProblem, checkBucketName } from "../../../main/core/sinks/bucket-name.js";
import { isWithinPrefix, normalizePrefix } from "../../../main/core/sinks/path-prefix.js";

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

  it.each([
    ["ab", "must be 3 to 63 characters long (it has 2)"],
    ["a".repeat(64), "must be 3 to 63 characters long (it has 64)"],
    ["My-Bucket", 'may contain only lowercase letters, digits, dots and hyphens (found "M")'],
    ["my_bucket", 'may contain only lowercase letters, digits, dots and hyphens (found "_")'],
    ["-bucket", "must start with a lowercase letter or a digit"],
    ["bucket-", "must end with a lowercase letter or a digit"],
    ["my..bucket", "must not contain two adjacent dots"],
    ["192.168.5.4", "must not be formatted as an IP address"],
    ["xn--bucket", 'must not start with the reserved prefix "xn--"'],
    ["sthree-bucket", 'must not start with the reserved prefix "sthree-"'],
    ["bucket-s3alias", 'must not end with the reserved suffix "-s3alias"'],
    ["bucket--ol-s3", 'must not end with the reserved suffix "--ol-s3"'],
    ["bucket.mrap", 'must not end with the reserved suffix ".mrap"'],
    ["bucket--x-s3", 'must not end with the reserved suffix "--x-s3"'],
  ])("refuses %s: %s", (name, rule) => {
    expect(() => checkBucketName(name)).toThrow(`Invalid bucket name ${JSON.stringify(name)}: an S3 bucket name ${rule}.`);
  });
});

describe("path prefixes", () => {
  it("drops leading and trailing slashes, and treats an empty prefix as the bucket root", () => {
    expect(normalizePrefix("/events/")).toBe("events");
    expect(normalizePrefix("a/b/c")).toBe("a/b/c");
    expect(normalizePrefix("///")).toBeUndefined();
    expect(normalizePrefix(undefined)).toBeUndefined();
  });

  it.each([
    ["a//b", 'it has an empty segment ("//")'],
    ["a/./b", 'it has a "." segment'],
    ["../up", 'it has a ".." segment'],
    ["tab\there", "it contains a control character"],
    ["p".repeat(901), "it has 901 characters, at most 900 are allowed"],
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
