// The facts each store is named by (common/stores.ts), as the wizard and the core both say them.
import { describe, expect, it } from "vitest";
import { aStore, bucketNameMessage, objectUri, stores, storeTypes } from "../../../common/stores.js";
import { checkBucketName } from "../../../main/core/sinks/bucket-name.js";

describe("stores", () => {
  it("names objects with each store's URI scheme", () => {
    expect(objectUri("S3", "events", "a/b.jsonl")).toBe("s3://events/a/b.jsonl");
    expect(objectUri("GCLOUD", "events", "a/b.jsonl")).toBe("gs://events/a/b.jsonl");
  });

  it("puts the right article before each store, in a sentence or inside one", () => {
    expect(aStore("S3")).toBe("an S3");
    expect(aStore("GCLOUD", { sentence: true })).toBe("A Cloud Storage");
  });

  it("checks bucket names by each store's own rules", () => {
    // Underscores: Cloud Storage takes them, S3 does not.
    expect(bucketNameMessage("GCLOUD", "my_events")).toBeUndefined();
    expect(bucketNameMessage("S3", "my_events")).toBe('An S3 bucket name may contain only lowercase letters, digits, dots and hyphens (found "_").');
    expect(bucketNameMessage("GCLOUD", "my-google-events")).toBe('A Cloud Storage bucket name must not contain "google".');
    expect(bucketNameMessage("S3", "my-google-events")).toBeUndefined();
  });

  it("gives the core the wizard's words for a bad name", () => {
    for (const type of storeTypes) {
      const message = bucketNameMessage(type, "Bad..Name")!;
      expect(() => checkBucketName("Bad..Name", type)).toThrow(
        `Invalid ${stores[type].bucketWord} name "Bad..Name": ${message.charAt(0).toLowerCase()}${message.slice(1, -1)}.`,
      );
    }
  });

  it("has every fact for every store type", () => {
    for (const type of storeTypes) {
      const facts = stores[type];
      for (const text of [facts.name, facts.fullName, facts.uriScheme, facts.cloud, facts.credentialsHint]) expect(text.length).toBeGreaterThan(0);
    }
  });
});
