// Errors written for users: the message says what is wrong and what to do about it. Front ends
// (CLI, IPC) show these messages as they are; any other error is a bug and is reported generically.

export type ErrorCode =
  | "invalid-input"
  | "not-found"
  | "conflict"
  | "config"
  | "keychain"
  | "credentials"
  | "storage";

export class StreamdropError extends Error {
  override name = "StreamdropError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const invalidInput = (message: string) => new StreamdropError("invalid-input", message);

/** An AWS SDK error's code: `EntityAlreadyExistsException` and `EntityAlreadyExists` alike. */
export function awsErrorName(error: unknown): string {
  return ((error as { name?: string } | undefined)?.name ?? "").replace(/Exception$/, "");
}
