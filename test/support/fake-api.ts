// The one fake `window.streamdrop` of the renderer's unit tests: the preload's API, answering each
// channel from a table, and pushing events to the listeners the page registered.
import { vi } from "vitest";
import type { StreamdropApi } from "../../preload/contract.js";

/**
 * How a channel answers: a value (ok); an Error (failed, with its `code`, "failed" if it has
 * none); `{ failure }` (failed with that error as given); a promise of one of these (the call
 * waits for it); or a function of the call's input that returns one.
 */
export type Answer = unknown;

export interface FakeApi {
  invoke: ReturnType<typeof vi.fn<(channel: string, input?: unknown) => Promise<unknown>>>;
  /** What the main process pushes: every listener of `event` hears `payload`. */
  push(event: string, payload: unknown): void;
}

/** Puts the fake on `window.streamdrop`. A channel missing from `answers` answers `fallback`. */
export function fakeApi(answers: Record<string, Answer> = {}, fallback?: unknown): FakeApi {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const invoke = vi.fn(async (channel: string, input?: unknown) => {
    const entry = channel in answers ? answers[channel] : fallback;
    const answer: unknown = await (typeof entry === "function" ? (entry as (input: unknown) => unknown)(input) : entry);
    if (answer instanceof Error) return { ok: false, error: { code: (answer as Error & { code?: string }).code ?? "failed", message: answer.message } };
    if (answer !== null && typeof answer === "object" && "failure" in answer) return { ok: false, error: (answer as { failure: unknown }).failure };
    return { ok: true, value: answer };
  });
  const on = (event: string, listener: (payload: unknown) => void) => {
    const heard = listeners.get(event) ?? new Set();
    listeners.set(event, heard.add(listener));
    return () => void heard.delete(listener);
  };
  window.streamdrop = { invoke, on } as unknown as StreamdropApi;
  return { invoke, push: (event, payload) => listeners.get(event)?.forEach((listener) => listener(payload)) };
}
