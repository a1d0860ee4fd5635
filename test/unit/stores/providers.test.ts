// The store registry: one provider per store type, each answering for its own type, with console
// pages the app is allowed to open, and secrets that survive the keychain's round trip.
import { describe, expect, it } from "vitest";
import { storeTypes } from "../../../common/stores.js";
import { allProviders, providerOf } from "../../../main/core/stores/registry.js";
import { isAllowedExternalUrl } from "../../../main/external-links.js";
import type { SinkRecord } from "../../../main/core/config/schema.js";

const common = {
  id: "00000000-0000-4000-8000-000000000001",
  name: "lake",
  bucket: "demo-bucket",
  createdAt: "2026-12-01T00:00:00Z",
  updatedAt: "2026-12-01T00:00:00Z",
};
const samples: Record<(typeof storeTypes)[number], SinkRecord> = {
  S3: { ...common, type: "S3", region: "eu-west-1", credentials: { source: "keychain", account: "sink/x" } },
  GCLOUD: { ...common, type: "GCLOUD", projectId: "p", clientEmail: "w@p.iam.gserviceaccount.com", credentials: { source: "keychain", account: "sink/y" } },
  AZURE: {
    ...common,
    type: "AZURE",
    endpoint: "https://demo.blob.core.windows.net",
    accountName: "demo",
    authorization: "sas",
    credentials: { source: "keychain", account: "sink/z" },
  },
};

describe("the store registry", () => {
  it("has exactly one provider per store type, each for its own type", () => {
    expect(
      allProviders()
        .map((provider) => provider.type)
        .sort(),
    ).toEqual([...storeTypes].sort());
    for (const type of storeTypes) expect(providerOf({ type }).type).toBe(type);
  });

  it.each(storeTypes)("%s: its console page, at a prefix, is one the app may open", (type) => {
    const url = providerOf(samples[type]).consoleUrl(samples[type], "events/2026")!;
    expect(isAllowedExternalUrl(url)).toBe(true);
    expect(
      providerOf(samples[type]).consoleUrl({ ...samples[type], endpoint: "http://127.0.0.1:9000/devstoreaccount1" } as SinkRecord, undefined),
    ).toBeUndefined();
  });

  it.each(["S3", "GCLOUD"] as const)("%s: its console page shows the bucket at the prefix", (type) => {
    const url = providerOf(samples[type]).consoleUrl(samples[type], "events/2026")!;
    expect(url).toContain("demo-bucket");
    expect(decodeURIComponent(url)).toContain("events/2026");
  });

  it("builds the S3 console page with the bucket's region and the prefix", () => {
    expect(providerOf(samples.S3).consoleUrl(samples.S3, "events")).toBe(
      "https://s3.console.aws.amazon.com/s3/buckets/demo-bucket?region=eu-west-1&prefix=events%2F",
    );
  });

  it("gives a worker the prefix an exporter writes under, never the sink's own", () => {
    const spec = providerOf(samples.S3).workerStorage({ ...samples.S3, pathPrefix: "sink" }, "sink/exporter", {
      accessKeyId: "AKIAFAKE",
      secretAccessKey: "fake",
    });
    expect(spec).toMatchObject({ type: "S3", bucket: "demo-bucket", prefix: "sink/exporter", region: "eu-west-1" });
  });
});
