// Reads the credentials a sink writes with, and from their form the sink's type. Each store's
// reader (stores/<store>/credentials.ts) recognises its own forms; this reads the file, refuses
// what no store reads, and asks them in turn. Messages name the file and the problem, and never
// quote the file's content (it holds a secret).
import { readFile, stat } from "node:fs/promises";
import stripJsonComments from "strip-json-comments";
import { credentialsProblem as problem } from "../stores/credentials.js";
import type { SinkCredentials } from "../stores/kinds.js";
import { allProviders } from "../stores/registry.js";

export type { SinkCredentials };

export const maxCredentialsFileBytes = 1024 * 1024;

const readers = () => allProviders().map((provider) => provider.credentials);
const expected = () =>
  readers()
    .map((reader) => reader.expected)
    .join(", or ");

/** Reads and parses a credentials file; `source` in messages is the path as the user gave it. */
export async function readCredentialsFile(path: string): Promise<SinkCredentials> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw problem(path, code === "ENOENT" ? "does not exist. Check the path." : `cannot be read (${code}).`);
  }
  if (size > maxCredentialsFileBytes) {
    throw problem(path, `is ${(size / 1024 / 1024).toFixed(1)} MiB; a credentials file is a small JSON document (at most 1 MiB). Is it the right file?`);
  }
  return parseCredentials(await readFile(path), path);
}

export function parseCredentials(content: Buffer | string, source: string): SinkCredentials {
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  if (bytes.length > maxCredentialsFileBytes) throw problem(source, "is larger than 1 MiB; a credentials file is a small JSON document.");
  const binary = firstClaim((reader) => reader.fromBytes?.(bytes, source));
  if (binary) return binary;
  const text = bytes.toString("utf8");
  if (text.trim() === "") throw problem(source, `is empty. It should hold ${expected()}.`);
  if (text.includes("\uFFFD") || text.includes("\u0000")) throw problem(source, `is not a text file. It should hold ${expected()}.`);
  const value = parseJson(text);
  if (value === notJson) {
    // Not JSON: a form some store reads as text (a CSV, a SAS URL, a connection string), or a mistake.
    const plain = firstClaim((reader) => reader.fromText?.(text, source));
    if (plain) return plain;
    throw notJsonProblem(text, source);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw problem(source, `does not hold a JSON object. It should hold ${expected()}.`);
  }
  const json = firstClaim((reader) => reader.fromJson?.(value as Record<string, unknown>, source));
  if (json) return json;
  throw problem(
    source,
    `has neither ${readers()
      .flatMap((reader) => reader.shapes)
      .join(", nor ")}.`,
  );
}

function firstClaim(claim: (reader: ReturnType<typeof readers>[number]) => SinkCredentials | undefined): SinkCredentials | undefined {
  for (const reader of readers()) {
    const found = claim(reader);
    if (found) return found;
  }
  return undefined;
}

const notJson = Symbol("not JSON");

function parseJson(text: string): unknown {
  try {
    return JSON.parse(stripJsonComments(text, { trailingCommas: true }));
  } catch {
    return notJson;
  }
}

function notJsonProblem(text: string, source: string) {
  const json = stripJsonComments(text, { trailingCommas: true });
  let position = json.length;
  try {
    JSON.parse(json);
  } catch (error) {
    // V8's message quotes the text around the error, which may be the secret: give a position only.
    position = Number(/position (\d+)/.exec((error as Error).message)?.[1] ?? json.length);
  }
  const before = json.slice(0, position).split("\n");
  return problem(source, `is not valid JSON (error at line ${before.length}, column ${before.at(-1)!.length + 1}). It should hold ${expected()}.`);
}
