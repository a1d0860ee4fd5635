// JSON Lines bytes. An event is a JSON object; one-line JSON passes through byte for byte,
// pretty-printed JSON is minified without re-encoding its numbers. A record that is not an event
// (plain text, binary, empty, a tombstone, non-object JSON) becomes a line of the `-invalid`
// companion file, base64, so nothing is dropped. Same input, same bytes: recovery relies on it.
import { isUtf8 } from "node:buffer";
import type { KafkaRecord } from "./records.js";

/** Bytes that may start or end something String.prototype.trim removes (ASCII whitespace, or any non-ASCII such as a BOM). */
const mayTrim = (byte: number | undefined) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte === 0x0b || byte === 0x0c || byte === undefined || byte >= 0x80;

/** The event as one line, or undefined when the value is not a JSON object. */
export function eventLine(value: Buffer | null): Buffer | undefined {
  if (value === null || value.length === 0 || !isUtf8(value)) return undefined;
  // Byte checks first (native, no string yet): the common case is one line with nothing to trim.
  const oneLine = value.indexOf(0x0a) === -1 && value.indexOf(0x0d) === -1;
  const padded = mayTrim(value[0]) || mayTrim(value[value.length - 1]);
  const text = value.toString("utf8");
  const trimmed = padded ? text.trim() : text;
  if (trimmed.charCodeAt(0) !== 0x7b /* { */) return undefined;
  try {
    JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (!oneLine) return Buffer.from(minifyJson(trimmed), "utf8");
  // Already one line: the message's own bytes are the line (no copy, no re-encoding).
  return trimmed.length === text.length ? value : Buffer.from(trimmed, "utf8");
}

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
