// JSON Lines bytes. An event is a JSON object; one-line JSON passes through byte for byte,
// pretty-printed JSON is minified without re-encoding its numbers (`jsonLine` says exactly what
// counts as JSON). A record that is not an event
// (plain text, binary, empty, a tombstone, non-object JSON) becomes a line of the `-invalid`
// companion file, base64, so nothing is dropped. Same input, same bytes: recovery relies on it.
import { isUtf8 } from "node:buffer";
import type { KafkaRecord } from "./records.js";

/**
 * What counts as JSON, exactly: a JSON text (RFC 8259) with only JSON whitespace (space, tab,
 * LF, CR) around it, and a leading UTF-8 byte order mark ignored, as RFC 8259 §8.1 allows (Windows
 * tools write one). Other Unicode spaces (a trailing NBSP, U+2028 at an edge) are not JSON
 * whitespace: such a value is not JSON. Inside strings, raw U+2028 and U+2029 are valid JSON, but
 * readers that split lines on Unicode line separators (Python's splitlines, some JavaScript
 * readers) would cut the line there, so they are written escaped: the same JSON value, one line
 * for every reader.
 */
const bom = "\uFEFF";
const jsonWhitespace = (byte: number | undefined) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
/** UTF-8 of U+2028 and U+2029 both start with E2 80. */
const lineSeparatorLead = Buffer.from([0xe2, 0x80]);

/** A value's line, or why it has none (said in its `-invalid` line). */
export type JsonCheck = { line: Buffer } | { problem: string };

/**
 * `bytes` as one line of JSON, or why not: not a JSON text (or, with `objectsOnly`, not a JSON
 * object), or, `strict` (line rules 2 on, file-shape.ts), JSON that readers would not all read
 * the same. The common case (one line, nothing around it, nothing to escape) returns the bytes
 * themselves: no copy, no re-encoding.
 */
export function checkJson(bytes: Buffer, objectsOnly: boolean, strict: boolean): JsonCheck {
  if (bytes.length === 0) return { problem: "empty" };
  if (!isUtf8(bytes)) return { problem: "not UTF-8 text" };
  // Byte checks first (native, no string yet).
  const oneLine = bytes.indexOf(0x0a) === -1 && bytes.indexOf(0x0d) === -1;
  const padded = jsonWhitespace(bytes[0]) || jsonWhitespace(bytes[bytes.length - 1]) || bytes[0] === 0xef;
  const separators = bytes.indexOf(lineSeparatorLead) !== -1;
  let text = bytes.toString("utf8");
  if (text.startsWith(bom)) text = text.slice(1);
  if (objectsOnly && text.replace(/^[ \t\n\r]+/, "").charCodeAt(0) !== 0x7b /* { */) return { problem: isJson(text) ? "JSON, but not an object" : "not JSON" };
  let problem: string | undefined;
  try {
    JSON.parse(text, strict ? (name, value: unknown) => (problem ??= unevenValue(name, value), value) : undefined);
  } catch {
    return { problem: "not JSON" };
  }
  problem ??= strict ? repeatedName(text) : undefined;
  if (problem) return { problem };
  if (oneLine && !padded && !separators) return { line: bytes };
  // JSON.parse allowed only JSON whitespace around the value, so trim() removes exactly that.
  let line = oneLine ? text.trim() : minifyJson(text.trim());
  if (separators) line = line.replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
  return { line: Buffer.from(line, "utf8") };
}

/** `bytes` as one line of JSON, or undefined when they have none (see checkJson). */
export function jsonLine(bytes: Buffer, objectsOnly: boolean, strict = true): Buffer | undefined {
  const check = checkJson(bytes, objectsOnly, strict);
  return "line" in check ? check.line : undefined;
}

const isJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/**
 * What JSON's grammar allows but readers do not agree on, found as JSON.parse revives each name
 * and value: half of a surrogate pair escaped alone (`"\ud800"`: not a character; DuckDB refuses
 * the file, Go and Rust the value) and a number past a double's range (`1e400`: infinity to some
 * readers, an error to others). Names given twice are `repeatedName`'s.
 */
function unevenValue(name: string, value: unknown): string | undefined {
  if (!wellFormed(name)) return `a name holds half of a surrogate pair (${JSON.stringify(name)}), which is not a character`;
  if (typeof value === "string" && !wellFormed(value)) return `the value of ${JSON.stringify(name)} holds half of a surrogate pair, which is not a character`;
  if (typeof value === "number" && !Number.isFinite(value)) return `the number in ${JSON.stringify(name)} is past the range of a double, which readers read as infinity or refuse`;
  return undefined;
}

/**
 * A name given twice in one object (`{"a":1,"a":2}`: RFC 8259 leaves it to readers, and they
 * differ: JSON.parse keeps the last, DuckDB refuses the file), compared as decoded, so two
 * spellings of one name (`"a"`, `"\u0061"`) are the same name. `text` is known to be JSON.
 */
function repeatedName(text: string): string | undefined {
  const open: Array<Set<string> | undefined> = [];
  for (let at = 0; at < text.length; at += 1) {
    const char = text[at];
    if (char === "{") open.push(new Set());
    else if (char === "[") open.push(undefined);
    else if (char === "}" || char === "]") open.pop();
    else if (char === '"') {
      const start = at;
      for (at += 1; text[at] !== '"'; at += 1) if (text[at] === "\\") at += 1;
      const names = open[open.length - 1];
      let next = at + 1;
      while (jsonWhitespace(text.charCodeAt(next))) next += 1;
      if (!names || text[next] !== ":") continue;
      const name = JSON.parse(text.slice(start, at + 1)) as string;
      if (names.has(name)) return `the name ${JSON.stringify(name)} is given twice in one object, which readers read differently or refuse`;
      names.add(name);
    }
  }
  return undefined;
}

/** No lone surrogate: with the u flag, a pair is one code point and only a half alone is in Cs. */
const wellFormed = (text: string) => !/\p{Cs}/u.test(text);

/** The event as one line, or why the value is not an event. */
export const eventCheck = (value: Buffer | null, strict: boolean): JsonCheck => (value === null ? { problem: "a tombstone (the record has no value)" } : checkJson(value, true, strict));

/**
 * A line of the `-invalid` file: where the record was, its bytes in base64, and (line rules 2 on)
 * why it is not an event.
 */
export function invalidRecord(record: KafkaRecord, reason?: string): string {
  const base64 = (bytes: Buffer | null) => (bytes === null ? null : bytes.toString("base64"));
  return JSON.stringify({
    partition: record.partition,
    offset: Number(record.offset),
    timestamp: Number(record.timestamp),
    key: base64(record.key),
    value: base64(record.value),
    ...(record.headers.length > 0 ? { headers: record.headers.map((header) => ({ key: header.key, value: base64(header.value) })) } : {}),
    ...(reason !== undefined ? { reason } : {}),
  });
}

/** Drops whitespace outside strings; the text is known to be valid JSON. */
export function minifyJson(text: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (inString) {
      out += char;
      if (char === "\\") out += text[++i] ?? "";
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
      out += char;
    } else if (char !== " " && char !== "\n" && char !== "\r" && char !== "\t") {
      out += char;
    }
  }
  return out;
}
