// Validation and error shaping shared by every transport (Electron IPC, the test bridge):
// input is checked against the contract's schema before any handler sees it. Refusals and
// unexpected failures are written to the app log, which never holds an input value: a refusal
// names the channel, the sender and the failing fields' paths and issue codes; a failure names
// the channel, the sender and the error, with any secret the call carried taken out of it.
import type { Fix } from "../../common/fixes.js";
import { StreamdropError } from "../core/errors.js";
import type { Logger } from "../core/log.js";
import { inputSchemas, isChannel, type ApiFailure, type Channel, type Input, type Outcome, type Result } from "../../preload/contract.js";

export type Handlers = { [C in Channel]: (input: Input<C>) => Promise<Result<C>> };

/** Where a call came from, for the log. */
export type CallSender = Readonly<Record<string, string | number | boolean>>;

export interface CallContext {
  /** The app's log (main/core/log.ts): refusals and unexpected failures go to it. */
  log?: Pick<Logger, "warn" | "error">;
  /** Who made the call: for a window, its frame's URL without query or fragment, the window and whether it is the main frame. */
  sender?: CallSender;
}

/**
 * Fields of the contract's inputs that hold a secret, or a file holding one (a pasted key is all
 * of `credentialsJson`). Their values are taken out of anything logged about a failed call. A unit
 * test fails when the contract gains a field whose name suggests a secret and it is not here.
 */
export const secretInputFields: ReadonlySet<string> = new Set([
  "credentialsJson",
  "secretAccessKey",
  "password",
  "connectionString",
  "clientSecret",
  "privateKey",
  // A PKCS#12 file holds the private key, and without a password it is the key itself.
  "p12Base64",
]);

export async function dispatch(handlers: Handlers, channel: unknown, rawInput: unknown, { log, sender }: CallContext = {}): Promise<Outcome<unknown>> {
  if (!isChannel(channel)) {
    log?.warn({ channel: typeof channel === "string" ? channel.slice(0, 100) : `(${typeof channel})`, sender }, "IPC call refused: there is no such call");
    return failure("unknown-channel", `There is no call named ${JSON.stringify(channel)}.`);
  }
  const parsed = inputSchemas[channel].safeParse(rawInput);
  if (!parsed.success) {
    // Paths and codes only: zod's messages may quote the value given ("received ..."). The
    // contract's inputs are strict objects with fixed field names (no records), so a path names
    // contract fields and list positions, never a key the caller made up.
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join(".") || "input", code: issue.code }));
    log?.warn({ channel, sender, issues }, "IPC call refused: its input does not match the contract");
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`);
    return failure("invalid-input", `Invalid input for ${channel}: ${problems.join("; ")}`);
  }
  try {
    const handler = handlers[channel] as (input: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (error instanceof StreamdropError) return failure(error.code, error.message, error.fixes);
    // Any other error is a bug or a library's failure, whose message was not written for users
    // and may quote what it was given (a JSON parser quotes the text it choked on): what the call
    // carried as a secret is taken out before it is logged.
    log?.error({ channel, sender, error: describeError(error, secretsIn(parsed.data)) }, "IPC call failed unexpectedly");
    return failure("failed", `${channel} failed unexpectedly; see the app log for details.`);
  }
}

export function failure(code: ApiFailure["code"], message: string, fixes: readonly Fix[] = []): Outcome<never> {
  return { ok: false, error: { code, message, ...(fixes.length > 0 ? { fixes: [...fixes] } : {}) } };
}

/** The values of `secretInputFields` anywhere in an input. */
function secretsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => secretsIn(item, found));
  else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (secretInputFields.has(key) && typeof item === "string" && item.length > 0) found.push(item);
      else secretsIn(item, found);
    }
  }
  return found;
}

const maxLoggedChars = 2000;

/** An error's name, message and stack frames, for the log, without the call's secrets. */
function describeError(error: unknown, secrets: readonly string[]): { name: string; message: string; stack?: string } {
  const clean = (text: string) => withoutSecrets(text, secrets);
  if (!(error instanceof Error)) return { name: typeof error, message: clean(safeString(error)) };
  // The frames only (function names and file positions): the stack's first lines repeat the message.
  const frames = (error.stack ?? "")
    .split("\n")
    .filter((line) => /^\s+at /.test(line))
    .join("\n");
  return { name: clean(error.name), message: clean(error.message), ...(frames ? { stack: clean(frames) } : {}) };
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return "(a value that cannot be shown as text)";
  }
}

/** Pieces of a secret this long or longer are taken out; a shorter secret is taken out where it occurs whole. */
const secretPiece = 8;

/**
 * `text` (cut to 2,000 characters) with every piece of each secret at least 8 characters long
 * replaced by "[redacted]", so that neither a whole secret nor a quoted excerpt of it (a parser's
 * "... is not valid JSON") is left.
 */
export function withoutSecrets(text: string, secrets: readonly string[]): string {
  let cut = text.length > maxLoggedChars ? text.slice(0, maxLoggedChars) : text;
  if (secrets.length === 0) return cut === text ? text : `${cut}…`;
  // A secret's piece shorter than `secretPiece` could end a cut text: drop that much more.
  if (cut !== text) cut = cut.slice(0, maxLoggedChars - secretPiece);
  const hidden = new Uint8Array(cut.length);
  // The text's pieces by where they start, then one pass over each secret's pieces: linear in
  // both, so a pasted file of a megabyte costs milliseconds, not a search per position.
  const piecesOfSize = new Map<number, Map<string, number[]>>();
  const piecesOf = (size: number) => {
    let pieces = piecesOfSize.get(size);
    if (!pieces) {
      pieces = new Map();
      for (let at = 0; at + size <= cut.length; at += 1) {
        const piece = cut.slice(at, at + size);
        const starts = pieces.get(piece);
        if (starts) starts.push(at);
        else pieces.set(piece, [at]);
      }
      piecesOfSize.set(size, pieces);
    }
    return pieces;
  };
  for (const secret of secrets) {
    const size = Math.min(secretPiece, secret.length);
    const pieces = piecesOf(size);
    for (let at = 0; at + size <= secret.length; at += 1) {
      const piece = secret.slice(at, at + size);
      const starts = pieces.get(piece);
      if (!starts) continue;
      for (const start of starts) hidden.fill(1, start, start + size);
      pieces.delete(piece);
    }
  }
  let out = "";
  for (let at = 0; at < cut.length; at += 1) {
    if (!hidden[at]) out += cut[at];
    else if (at === 0 || !hidden[at - 1]) out += "[redacted]";
  }
  return cut === text ? out : `${out}…`;
}
