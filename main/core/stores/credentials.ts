// What every store's credentials reader shares: how it reports a problem, and how a schema's
// issues are named without ever quoting a value (a credentials file holds a secret). Each store's
// reader (stores/<store>/credentials.ts) recognises its own forms; sinks/credentials-file.ts asks
// them in turn.
import type { z } from "zod";
import { StreamdropError } from "../errors.js";

export interface CredentialsReader<C> {
  /** What to give, for "It should hold …": "the JSON printed by … (S3)". */
  expected: string;
  /** The JSON shapes it reads, for "has neither … nor …". */
  shapes: readonly string[];
  /** Claims a file by its raw bytes (a binary key format); undefined when not its own. */
  fromBytes?(bytes: Uint8Array, source: string): C | undefined;
  /** Claims a text that is not JSON (a CSV, a URL, a connection string); undefined when not its own. Asked only once JSON parsing failed. */
  fromText?(text: string, source: string): C | undefined;
  /** Claims a JSON object by its fields; throws a problem when it is its own but incomplete. */
  fromJson?(record: Record<string, unknown>, source: string): C | undefined;
}

export const credentialsProblem = (source: string, message: string) => new StreamdropError("credentials", `Credentials file ${source} ${message}`);

/** Names fields only; never echoes values. */
export function describeIssues(error: z.ZodError, record: Record<string, unknown>): string {
  const valueAt = (path: PropertyKey[]) => path.reduce<unknown>((value, key) => (value as Record<PropertyKey, unknown> | undefined)?.[key], record);
  return error.issues
    .map((issue) => {
      const field = issue.path.join(".");
      if (issue.code === "invalid_type" && valueAt(issue.path) === undefined) return `"${field}" is missing`;
      if (issue.code === "too_small") return `"${field}" is empty`;
      if (issue.code === "invalid_format") return issue.format === "url" ? `"${field}" is not a valid URL` : `"${field}" is not a PEM private key`;
      if (issue.code === "invalid_value") return `"${field}" must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
      return `"${field}" must be a ${issue.code === "invalid_type" ? issue.expected : "valid value"}`;
    })
    .join("; ");
}
