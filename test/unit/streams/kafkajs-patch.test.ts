// Streamdrop patches kafkajs (patches/kafkajs+2.2.4.patch, applied by patch-package on install):
// the batch-level fetch decoder, header lists and batch codecs depend on it. kafkajs is frozen at
// 2.2.4, so the patch stays put; if the version ever changes, this fails first, before the
// decoder meets a kafkajs it was not reviewed against.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterEach, describe, expect, it, vi } from "vitest";

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

  describe("the request queue", () => {
    // A RequestQueue as each broker connection has one; requests are pushed as the connection does.
    const RequestQueue = require("kafkajs/src/network/requestQueue/index.js") as new (options: object) => {
      pending: unknown[];
      inflight: Map<number, unknown>;
      throttleCheckTimeoutId: unknown;
      push(request: object): void;
      fulfillRequest(response: { correlationId: number; payload: Buffer; size: number }): void;
      maybeThrottle(ms: number): void;
      destroy(): void;
    };
    const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
    const queue = () => new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: "test", broker: "test:9092", logger });
    const request = (correlationId: number, sent: number[]) => ({ entry: { correlationId, resolve: () => undefined, reject: () => undefined }, expectResponse: true, requestTimeout: 30_000, sendRequest: () => sent.push(correlationId) });

    afterEach(() => vi.useRealTimers());

    it("schedules no check while nothing is pending (upstream: one every millisecond, at a negative delay)", () => {
      vi.useFakeTimers();
      const sent: number[] = [];
      const requests = queue();
      requests.push(request(1, sent));
      requests.fulfillRequest({ correlationId: 1, payload: Buffer.alloc(0), size: 0 });
      expect(sent).toEqual([1]);
      expect(requests.throttleCheckTimeoutId).toBeNull();
      expect(vi.getTimerCount()).toBe(0);
      requests.destroy();
    });

    it("still sends what waited, once the request in flight is answered or the throttle ends", () => {
      vi.useFakeTimers();
      const sent: number[] = [];
      const requests = queue();
      requests.push(request(1, sent));
      requests.push(request(2, sent)); // one in flight at most: 2 waits
      expect(sent).toEqual([1]);
      requests.fulfillRequest({ correlationId: 1, payload: Buffer.alloc(0), size: 0 });
      expect(sent).toEqual([1, 2]);
      requests.fulfillRequest({ correlationId: 2, payload: Buffer.alloc(0), size: 0 });
      requests.maybeThrottle(500);
      requests.push(request(3, sent));
      expect(sent).toEqual([1, 2]);
      vi.advanceTimersByTime(499);
      expect(sent).toEqual([1, 2]);
      vi.advanceTimersByTime(20);
      expect(sent).toEqual([1, 2, 3]);
      requests.fulfillRequest({ correlationId: 3, payload: Buffer.alloc(0), size: 0 });
      expect(vi.getTimerCount()).toBe(0);
      requests.destroy();
    });
  });
});
