// JSON Lines bytes. An event is a JSON object; one-line JSON passes through byte for byte,
// pretty-printed JSON is minified without re-encoding its numbers (`jsonLine` says exactly what
// counts as JSON). A record that is not an event
// (plain text, binary, empty, a tombstone, non-object JSON) becomes a line of the `-invalid`
// companion file with its bytes (text as text), so nothing is dropped. Same input, same bytes: recovery relies on it.
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
  try {
    JSON.parse(text);
  } catch {
    return { problem: "not JSON" };
  }
  const problem = strict ? unevenJson(text) : undefined;
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
 * What JSON's grammar allows but readers do not agree on:
 * - half of a surrogate pair escaped alone (`"\ud800"`: not a character; DuckDB refuses the file,
 *   Go and Rust the value);
 * - a number past a double's range (`1e400`: infinity to some readers, an error to others);
 * - a name given twice in one object (`{"a":1,"a":2}`: RFC 8259 leaves it to readers, and they
 *   differ: JSON.parse keeps the last, DuckDB refuses the file), compared as decoded, so two
 *   spellings of one name (`"a"`, `"\u0061"`) are the same name.
 * One pass over `text` (known to be JSON) with a stack of its own, never recursion: a recursive
 * check (a JSON.parse reviver) overflows on deep JSON at a depth that depends on its caller's
 * stack, and the same record would then be an event or not depending on who asked.
 */
function unevenJson(text: string): string | undefined {
  // Per open container: an object's names so far and the last one (an array has none).
  const open: Array<{ names: Set<string>; name?: string } | undefined> = [];
  const where = () => {
    const name = open.findLast((container) => container?.name !== undefined)?.name;
    return name === undefined ? "" : ` in the value of ${JSON.stringify(name)}`;
  };
  for (let at = 0; at < text.length; at += 1) {
    const char = text.charCodeAt(at);
    if (char === 0x7b /* { */) open.push({ names: new Set() });
    else if (char === 0x5b /* [ */) open.push(undefined);
    else if (char === 0x7d /* } */ || char === 0x5d /* ] */) open.pop();
    else if (char === 0x22 /* " */) {
      const start = at;
      let escaped = false;
      for (at += 1; text.charCodeAt(at) !== 0x22; at += 1) {
        if (text.charCodeAt(at) !== 0x5c) continue;
        escaped = true;
        at += 1;
      }
      // Only an escape can make half a pair: the text itself was valid UTF-8.
      const value = escaped ? (JSON.parse(text.slice(start, at + 1)) as string) : text.slice(start + 1, at);
      let next = at + 1;
      while (jsonWhitespace(text.charCodeAt(next))) next += 1;
      const object = open[open.length - 1];
      const isName = object !== undefined && text.charCodeAt(next) === 0x3a; /* : */
      if (escaped && !wellFormed(value)) {
        return isName
          ? `a name holds half of a surrogate pair (${JSON.stringify(value)}), which is not a character`
          : `a string${where()} holds half of a surrogate pair, which is not a character`;
      }
      if (!isName) continue;
      if (object.names.has(value)) return `the name ${JSON.stringify(value)} is given twice in one object, which readers read differently or refuse`;
      object.names.add(value);
      object.name = value;
    } else if (char === 0x2d /* - */ || (char >= 0x30 && char <= 0x39)) {
      const start = at;
      while (numberChar(text.charCodeAt(at + 1))) at += 1;
      // Past a double's range takes an exponent, or more than 308 digits.
      const number = text.slice(start, at + 1);
      if ((number.length > 308 || /[eE]/.test(number)) && !Number.isFinite(Number(number)))
        return `a number${where()} is past the range of a double, which readers read as infinity or refuse`;
    }
  }
  return undefined;
}

/** The characters a JSON number goes on with after its first. */
const numberChar = (code: number) => (code >= 0x30 && code <= 0x39) || code === 0x2e || code === 0x65 || code === 0x45 || code === 0x2b || code === 0x2d;

/** No lone surrogate: with the u flag, a pair is one code point and only a half alone is in Cs. */
const wellFormed = (text: string) => !/\p{Cs}/u.test(text);

/** The event as one line, or why the value is not an event. */
export const eventCheck = (value: Buffer | null, strict: boolean): JsonCheck =>
  value === null ? { problem: "a tombstone (the record has no value)" } : checkJson(value, true, strict);

/**
 * A line of the `-invalid` file: where the record was, its key, value and header values, and
 * (line rules 2 on) why it is not an event. Up to rules 3 every byte string is base64; from rules
 * 4 on, text stays text (`"user-7"`, not `"dXNlci03"`) and each one says which it is in a sibling
 * `<name>Encoding` field, `utf8` or `base64`: base64 only for bytes that are not UTF-8 or start
 * with a NUL byte (a Schema Registry's wire format), as envelopes do.
 */
export function invalidRecord(record: KafkaRecord, reason: string | undefined, rules: number): string {
  const bytes = rules >= 4 ? encodedBytes : (name: string, value: Buffer | null) => ({ [name]: value === null ? null : value.toString("base64") });
  return JSON.stringify({
    partition: record.partition,
    offset: Number(record.offset),
    timestamp: Number(record.timestamp),
    ...bytes("key", record.key),
    ...bytes("value", record.value),
    ...(record.headers.length > 0 ? { headers: record.headers.map((header) => ({ key: header.key, ...bytes("value", header.value) })) } : {}),
    ...(reason !== undefined ? { reason } : {}),
  });
}

/** Whether bytes are text a line may hold as a string: UTF-8, and not binary that happens to be (a leading NUL byte). */
export const isText = (bytes: Buffer) => isUtf8(bytes) && bytes[0] !== 0;

/** `{name: text, nameEncoding: "utf8"}`, `{name: base64, nameEncoding: "base64"}`, or `{name: null}`. */
function encodedBytes(name: string, value: Buffer | null): Record<string, string | null> {
  if (value === null) return { [name]: null };
  return isText(value) ? { [name]: value.toString("utf8"), [`${name}Encoding`]: "utf8" } : { [name]: value.toString("base64"), [`${name}Encoding`]: "base64" };
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
