// The one place a worker's state and words are decided: an outage says retrying until Kafka
// answers, a stored file says running again, and an error stays said while the process exits.
import { expect, it } from "vitest";
import type { WorkerStatus } from "../../../../main/core/exporters/worker-protocol.js";
import { WorkerStatusKeeper } from "../../../../main/core/exporters/worker/worker-status.js";
import { NeedsPersonError } from "../../../../main/core/exporters/needs-person.js";

function keeper() {
  const published: WorkerStatus[] = [];
  let now = Date.parse("2026-12-06T10:00:00Z");
  const status = new WorkerStatusKeeper(
    (status) => published.push(status),
    () => ({}),
    ["b:9092"],
    () => now,
  );
  return { status, last: () => published.at(-1)!, later: (ms: number) => (now += ms) };
}

it("says retrying while Kafka is unreachable, also when a file is stored meanwhile, and running once it answers", () => {
  const { status, last, later } = keeper();
  status.set("running");
  status.unreachable(new Error("connect ECONNREFUSED"));
  later(12_000);
  status.stored({ kind: "events", key: "a.jsonl", bytes: 10, records: 2 });
  // The file writer ends every file with its skipped count, which publishes the numbers.
  status.skipped(0);
  expect(last()).toMatchObject({ state: "retrying", filesWritten: 1, eventsExported: 2 });
  expect(last().lastError).toMatch(/^Reconnecting to Kafka at b:9092 since 10:00:00 UTC \(12 s; connect ECONNREFUSED\)/);
  status.reachable();
  expect(last()).toMatchObject({ state: "running" });
  expect(last().lastError).toBeUndefined();
});

it("keeps an error, and its cause, when a file in flight is stored after it (the numbers still count it)", () => {
  const { status, last } = keeper();
  status.set("running");
  status.failed("Topic t no longer exists.", new NeedsPersonError("topic-deleted", "Topic t no longer exists."));
  status.stored({ kind: "events", key: "late.jsonl", bytes: 5, records: 1 });
  status.skipped(0);
  status.retrying("Storing a file failed; retry 1 in 1 s.");
  status.unreachable(new Error("down"));
  expect(last()).toMatchObject({ state: "error", problem: "topic-deleted", lastError: "Topic t no longer exists.", filesWritten: 1, eventsExported: 1 });
  status.set("stopped");
  expect(last().state).toBe("stopped");
});
