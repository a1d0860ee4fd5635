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

/**
 * `bytes` as one line of JSON, or undefined when they are not a JSON text (or, with
 * `objectsOnly`, not a JSON object). The common case (one line, nothing around it, nothing to
 * escape) returns the bytes themselves: no copy, no re-encoding.
 */
export function jsonLine(bytes: Buffer, objectsOnly: boolean): Buffer | undefined {
  if (bytes.length === 0 || !isUtf8(bytes)) return undefined;
  // Byte checks first (native, no string yet).
  const oneLine = bytes.indexOf(0x0a) === -1 && bytes.indexOf(0x0d) === -1;
  const padded = jsonWhitespace(bytes[0]) || jsonWhitespace(bytes[bytes.length - 1]) || bytes[0] === 0xef;
  const separators = bytes.indexOf(lineSeparatorLead) !== -1;
  let text = bytes.toString("utf8");
  if (text.startsWith(bom)) text = text.slice(1);
  if (objectsOnly && text.replace(/^[ \t\n\r]+/, "").charCodeAt(0) !== 0x7b /* { */) return undefined;
  try {
    JSON.parse(text);
  } catch {
    return undefined;
  }
  if (oneLine && !padded && !separators) return bytes;
  // JSON.parse allowed only JSON whitespace around the value, so trim() removes exactly that.
  let line = oneLine ? text.trim() : minifyJson(text.trim());
  if (separators) line = line.replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
  return Buffer.from(line, "utf8");
}

/** The event as one line, or undefined when the value is not a JSON object. */
export const eventLine = (value: Buffer | null): Buffer | undefined => (value === null ? undefined : jsonLine(value, true));

/** A line of the `-invalid` file: where the record was, and its bytes in base64. */
export function invalidRecord(record: KafkaRecord): string {
  const base64 = (bytes: Buffer | null) => (bytes === null ? null : bytes.toString("base64"));
  return JSON.stringify({
    partition: record.partition,
    offset: Number(record.offset),
    timestamp: Number(record.timestamp),
    key: base64(record.key),
    value: base64(record.value),
    ...(record.headers.length > 0 ? { headers: record.headers.map((header) => ({ key: header.key, value: base64(header.value) })) } : {}),
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
