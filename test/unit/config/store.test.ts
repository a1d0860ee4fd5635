import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { emptyConfig, type SinkRecord } from "../../../main/core/config/schema.js";
import { ConfigStore } from "../../../main/core/config/store.js";

const freshStore = () => new ConfigStore(mkdtempSync(join(tmpdir(), "streamdrop-config-")));

const sink = (name: string): SinkRecord => ({
  id: "6f1c3e0e-8d3c-4a53-9a43-5c1f5f7f3b10",
  name,
  type: "S3",
  bucket: "demo-bucket",
  credentials: { source: "default-chain" },
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
});

describe("ConfigStore", () => {
  it("reads an empty config when there is no file yet", async () => {
    await expect(freshStore().read()).resolves.toEqual(emptyConfig());
  });

  it("writes changes atomically, private to the user, leaving no temp files", async () => {
    const store = freshStore();
    await store.update((config) => void config.sinks.push(sink("s3")));
    expect((await store.read()).sinks.map((entry) => entry.name)).toEqual(["s3"]);
    expect(statSync(store.file).mode & 0o777).toBe(0o600);
    const dir = join(store.file, "..");
    expect(readdirSync(dir).filter((name) => name.endsWith(".tmp") || name.endsWith(".lock"))).toEqual([]);
  });

  it("reads what is on disk each time, and hands each reader a copy of its own", async () => {
    const store = freshStore();
    await store.update((config) => void config.sinks.push(sink("s3")));
    const first = await store.read();
    first.sinks.push(sink("changed-by-a-reader"));
    expect((await store.read()).sinks.map((entry) => entry.name)).toEqual(["s3"]);
    // Another process's write, not through this store.
    const written = JSON.parse(readFileSync(store.file, "utf8")) as { sinks: SinkRecord[] };
    written.sinks.push(sink("gcs"));
    writeFileSync(store.file, JSON.stringify(written));
    expect((await store.read()).sinks.map((entry) => entry.name)).toEqual(["s3", "gcs"]);
  });

  it("refuses to write an invalid config and keeps the old one", async () => {
    const store = freshStore();
    await store.update((config) => void config.sinks.push(sink("s3")));
    const before = readFileSync(store.file, "utf8");
    await expect(store.update((config) => void config.sinks.push({ ...sink("bad"), bucket: "" }))).rejects.toThrow("Refusing to write an invalid config");
    expect(readFileSync(store.file, "utf8")).toBe(before);
  });

  it.each([
    ["{ not json", "is not valid JSON"],
    [JSON.stringify({ sinks: [] }), 'has no "version" number'],
    [JSON.stringify({ ...emptyConfig(), version: 7 }), "was written by a newer Streamdrop (config version 7; this one reads version 1). Update Streamdrop"],
    [JSON.stringify({ ...emptyConfig(), sinks: [{ name: "x" }] }), "is not a valid Streamdrop config (sinks.0.type:"],
  ])("never resets a file it cannot understand (%s)", async (content, problem) => {
    const store = freshStore();
    await store.update(() => undefined);
    writeFileSync(store.file, content);
    const expected = `The config file ${store.file} ${problem}`;
    await expect(store.read()).rejects.toThrow(expected);
    await expect(store.update((config) => void config.sinks.push(sink("s3")))).rejects.toThrow(expected);
    expect(readFileSync(store.file, "utf8")).toBe(content);
    await expect(store.read()).rejects.toThrow("It was left as it is: fix it, or move it away to start with an empty config.");
  });
});
