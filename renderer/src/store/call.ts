// Store actions call main through here: an ok outcome gives the value, a failure throws an
// ApiError whose message is written for users.
import type { ApiFailure, Channel, Input, Result } from "../../../preload/contract";
import type { Fix } from "../../../common/fixes";
import { api } from "../api";
import { windowMessage } from "../components/fix-text";

export class ApiError extends Error {
  constructor(readonly failure: ApiFailure) {
    super(failure.message);
  }
}

export async function call<C extends Channel>(channel: C, input: Input<C>): Promise<Result<C>> {
  const outcome = await api().invoke(channel, input);
  if (!outcome.ok) throw new ApiError(outcome.error);
  return outcome.value;
}

/** What the window says about a failure: the message with its fixes in the window's words. */
export const messageOf = (error: unknown) =>
  error instanceof ApiError ? windowMessage(error.failure) : error instanceof Error ? error.message : String(error);

/** A request that failed, with the fixes its error carries (views offer some as buttons). */
export function failedRequest(error: unknown): { state: "failed"; message: string; fixes?: Fix[] } {
  const fixes = error instanceof ApiError ? (error.failure.fixes ?? []) : [];
  return { state: "failed", message: messageOf(error), ...(fixes.length > 0 ? { fixes } : {}) };
}
