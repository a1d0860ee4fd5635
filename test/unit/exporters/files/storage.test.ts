// Storing a file with retries: a transient failure waits (up to 30 s) and tries again, a refusal
// needs a person, and a stopping worker ends the wait at once: the engine kills a worker that has
// not stopped after 20 s, so a backoff must not outlast a stop.
import { StreamdropError } from "../../../../main/core/errors.js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { NeedsPersonError } from "../../../../main/core/exporters/needs-person.js";
import { storeObject, type RetryPolicy } from "../../../../main/core/exporters/files/storage.js";
import type { ObjectStore } from "../../../../main/core/stores/object-store.js";

const outage = new Error("connect ECONNREFUSED 127.0.0.1:9000");

/** A store whose puts fail with `outage` `failures` times, then succeed. */
function flakyStore(failures = Infinity, refusal?: StreamdropError) {
  let calls = 0;
  const put = vi.fn(async () => {
    calls += 1;
    if (calls <= failures) throw outage;
  });
  const store: ObjectStore = { uri: (key) => `s3://b/${key}`, put, authorizationProblem: () => refusal, close: () => undefined };
  return { store, put };
}

/** Starts a store with a 30 s first wait (full jitter pinned to its top) and says when it settles. */
function storing(store: ObjectStore, retry: RetryPolicy) {
  const onRetry = vi.fn();
  const state: { settled: boolean; outcome?: unknown } = { settled: false };
  const done = storeObject(store, "events/a.jsonl", Buffer.from("{}\n"), { baseDelayMs: 30_000, maxDelayMs: 30_000, onRetry, ...retry }).then(
    () => "stored",
    (error: unknown) => error,
  );
  void done.then((outcome) => Object.assign(state, { settled: true, outcome }));
  return { state, onRetry, done };
}

describe("storeObject", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.spyOn(Math, "random").mockReturnValue(1);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it("waits out the backoff after a transient failure and tries again", async () => {
    const { store, put } = flakyStore(1);
    const { state, onRetry } = storing(store, { signal: new AbortController().signal });
    await vi.advanceTimersByTimeAsync(0);
    expect(onRetry).toHaveBeenCalledWith(1, outage, 30_000);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(put).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(put).toHaveBeenCalledTimes(2);
    expect(state).toEqual({ settled: true, outcome: "stored" });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("ends the wait the moment its signal aborts, giving up with the store's error", async () => {
    const { store, put } = flakyStore();
    const stop = new AbortController();
    const { state, onRetry } = storing(store, { signal: stop.signal });
    await vi.advanceTimersByTimeAsync(1000);
    expect(onRetry).toHaveBeenCalledTimes(1);
    expect(state.settled).toBe(false);
    stop.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(state).toEqual({ settled: true, outcome: outage });
    expect(put).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("gives up without waiting when already stopping, and never retries a refusal", async () => {
    const stopping = new AbortController();
    stopping.abort();
    const stopped = storing(flakyStore().store, { signal: stopping.signal });
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped.state).toEqual({ settled: true, outcome: outage });
    expect(stopped.onRetry).not.toHaveBeenCalled();

    const fixes = [{ id: "replace-credentials" as const }];
    const refused = flakyStore(Infinity, new StreamdropError("storage", "The key may not write events/a.jsonl.", { fixes }));
    const { state } = storing(refused.store, {});
    await vi.advanceTimersByTimeAsync(0);
    expect(state.outcome).toBeInstanceOf(NeedsPersonError);
    // The store's fixes travel with the problem, for the front ends' repairs.
    expect(state.outcome).toMatchObject({ problem: "storage-refused", message: "The key may not write events/a.jsonl.", fixes });
    expect(refused.put).toHaveBeenCalledTimes(1);
  });
});
