// Validation and error shaping shared by every transport (Electron IPC, the test bridge):
// input is checked against the contract's schema before any handler sees it.
import type { Fix } from "../../common/fixes.js";
import { StreamdropError } from "../core/errors.js";
import { inputSchemas, isChannel, type ApiFailure, type Channel, type Input, type Outcome, type Result } from "../../preload/contract.js";

export type Handlers = { [C in Channel]: (input: Input<C>) => Promise<Result<C>> };


export async function dispatch(handlers: Handlers, channel: unknown, rawInput: unknown): Promise<Outcome<unknown>> {
  if (!isChannel(channel)) return failure("unknown-channel", `There is no call named ${JSON.stringify(channel)}.`);
  const parsed = inputSchemas[channel].safeParse(rawInput);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`);
    return failure("invalid-input", `Invalid input for ${channel}: ${problems.join("; ")}`);
  }
  try {
    const handler = handlers[channel] as (input: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (error instanceof StreamdropError) return failure(error.code, error.message, error.fixes);
    return failure("failed", `${channel} failed unexpectedly; see the app log for details.`);
  }
}

export function failure(code: ApiFailure["code"], message: string, fixes: readonly Fix[] = []): Outcome<never> {
  return { ok: false, error: { code, message, ...(fixes.length > 0 ? { fixes: [...fixes] } : {}) } };
}
