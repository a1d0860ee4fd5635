// Errors written for users: the message says what is wrong, in words any front end can show; the
// fixes (common/fixes.ts) say what to do, and each front end renders them its own way (the CLI as
// options, the window as buttons). Any other error is a bug and is reported generically.
import type { Fix, Setting } from "../../common/fixes.js";

export type ErrorCode = "invalid-input" | "not-found" | "conflict" | "config" | "keychain" | "credentials" | "storage";

export class StreamdropError extends Error {
  override name = "StreamdropError";
  readonly fixes: readonly Fix[];
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; fixes?: readonly Fix[] },
  ) {
    super(message, options);
    this.fixes = options?.fixes ?? [];
  }
}

export const invalidInput = (message: string, ...fixes: Fix[]) => new StreamdropError("invalid-input", message, { fixes });

/** A setting out of range: its plain name in the message, the setting itself as the fix. */
export const badSetting = (setting: Setting, message: string) => invalidInput(message, { id: "set", setting });

/** An AWS SDK error's code: `EntityAlreadyExistsException` and `EntityAlreadyExists` alike. */
export function awsErrorName(error: unknown): string {
  return ((error as { name?: string } | undefined)?.name ?? "").replace(/Exception$/, "");
}
