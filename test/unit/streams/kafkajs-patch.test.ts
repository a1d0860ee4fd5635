// Streamdrop patches kafkajs (patches/kafkajs+2.2.4.patch, applied by patch-package on install):
// the batch-level fetch decoder, header lists and batch codecs depend on it. kafkajs is frozen at
// 2.2.4, so the patch stays put; if the version ever changes, this fails first, before the
// decoder meets a kafkajs it was not reviewed against.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const kafkajsFile = (path: string) => readFileSync(require.resolve(`kafkajs/${path}`), "utf8");

describe("the patched kafkajs", () => {
  it("is the version the patch was written and reviewed for", () => {
    const { version } = JSON.parse(kafkajsFile("package.json")) as { version: string };
    const packageJson = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { dependencies: Record<string, string> };
    expect(version).toBe("2.2.4");
    expect(packageJson.dependencies.kafkajs).toBe("2.2.4");
    expect(() => readFileSync(new URL(`../../../patches/kafkajs+${version}.patch`, import.meta.url))).not.toThrow();
  });

  it("carries the decoder option from kafka.consumer() through to broker.fetch()", () => {
    for (const path of ["src/index.js", "src/consumer/index.js", "src/consumer/consumerGroup.js", "src/broker/index.js"]) {
      expect(kafkajsFile(path), path).toContain("decodeFetchResponse");
    }
    expect(kafkajsFile("src/protocol/recordBatch/record/v0/decoder.js")).toContain("headerList");
  });
});
