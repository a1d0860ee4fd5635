// Is this value already a line of a `.jsonl` file? A byte-level check that builds nothing: the
// exporter's hot path asks it of every event, and `JSON.parse` (which needs a string first)
// costs twice as much. It answers yes only for the common case, where `jsonLine` (jsonl.ts, the
// one rule of what counts as JSON) would return the bytes themselves:
//   a JSON object (RFC 8259) in valid UTF-8, nothing before its `{` or after its `}`, no line
//   break anywhere (whitespace inside is spaces and tabs), no raw U+2028 or U+2029, nested at
//   most `maxDepth` deep.
// Anything else gets "no", which means "ask jsonLine": a value it refuses, a pretty-printed one to
// minify, one with a BOM or padding, or one so deep that JSON.parse itself might overflow its
// stack. So the two paths write the same bytes by construction, and the fuzz test
// (test/unit/exporters/json-bytes.test.ts) holds the check to exactly that.

/** Deeper than this, jsonLine decides (JSON.parse's own limit depends on the stack). */
export const maxDepth = 256;

const quote = 0x22;
const backslash = 0x5c;
/** The open containers, innermost last (one stack for all calls: the check never re-enters). */
const containers = new Uint8Array(maxDepth);

/** Whether bytes[start, end) are one line of JSON object, to be written as they are. */
export function isPlainJsonObject(bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start < 2 || bytes[start] !== 0x7b /* { */ || bytes[end - 1] !== 0x7d /* } */) return false;
  // Per open container: 1 for an object (its next value follows a key), 0 for an array.
  let depth = 0;
  let at = start;
  for (;;) {
    // A value is expected at `at`.
    at = skipSpace(bytes, at, end);
    if (at >= end) return false;
    const byte = bytes[at];
    let closedEmpty = false;
    if (byte === 0x7b || byte === 0x5b) {
      if (depth === maxDepth) return false;
      const object = byte === 0x7b;
      containers[depth++] = object ? 1 : 0;
      at = skipSpace(bytes, at + 1, end);
      if (bytes[at] === (object ? 0x7d : 0x5d)) {
        depth -= 1;
        at += 1;
        closedEmpty = true;
      } else if (object) {
        at = member(bytes, at, end);
        if (at < 0) return false;
        continue;
      } else {
        continue;
      }
    }
    if (!closedEmpty) {
      at = scalar(bytes, at, end);
      if (at < 0) return false;
    }
    // After a value: a comma, the end of its container, or the end of the text.
    for (;;) {
      at = skipSpace(bytes, at, end);
      if (depth === 0) return at === end;
      if (at >= end) return false;
      const next = bytes[at];
      const object = containers[depth - 1] === 1;
      if (next === 0x2c /* , */) {
        at += 1;
        if (object) {
          at = member(bytes, skipSpace(bytes, at, end), end);
          if (at < 0) return false;
        }
        break;
      }
      if (next !== (object ? 0x7d : 0x5d)) return false;
      depth -= 1;
      at += 1;
    }
  }
}

/** A member's key and colon, from its opening quote; the index of its value, or -1. */
function member(bytes: Uint8Array, at: number, end: number): number {
  if (bytes[at] !== quote) return -1;
  at = string(bytes, at + 1, end);
  if (at < 0) return -1;
  at = skipSpace(bytes, at, end);
  return bytes[at] === 0x3a /* : */ ? at + 1 : -1;
}

/** Spaces and tabs only: a line break means the value is not one line. */
function skipSpace(bytes: Uint8Array, at: number, end: number): number {
  while (at < end && (bytes[at] === 0x20 || bytes[at] === 0x09)) at += 1;
  return at;
}

/** A string, number or literal at `at`; the index after it, or -1. */
function scalar(bytes: Uint8Array, at: number, end: number): number {
  const byte = bytes[at];
  if (byte === quote) return string(bytes, at + 1, end);
  if (byte === 0x2d || (byte !== undefined && byte >= 0x30 && byte <= 0x39)) return number(bytes, at, end);
  if (byte === 0x74) return literal(bytes, at, end, "true");
  if (byte === 0x66) return literal(bytes, at, end, "false");
  if (byte === 0x6e) return literal(bytes, at, end, "null");
  return -1;
}

function literal(bytes: Uint8Array, at: number, end: number, word: string): number {
  if (at + word.length > end) return -1;
  for (let index = 1; index < word.length; index += 1) if (bytes[at + index] !== word.charCodeAt(index)) return -1;
  return at + word.length;
}

const isDigit = (byte: number | undefined) => byte !== undefined && byte >= 0x30 && byte <= 0x39;

/** -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
function number(bytes: Uint8Array, at: number, end: number): number {
  if (bytes[at] === 0x2d) at += 1;
  if (bytes[at] === 0x30) at += 1;
  else if (isDigit(bytes[at])) while (at < end && isDigit(bytes[at])) at += 1;
  else return -1;
  if (bytes[at] === 0x2e) {
    at += 1;
    if (!isDigit(bytes[at])) return -1;
    while (at < end && isDigit(bytes[at])) at += 1;
  }
  if (bytes[at] === 0x65 || bytes[at] === 0x45) {
    at += 1;
    if (bytes[at] === 0x2b || bytes[at] === 0x2d) at += 1;
    if (!isDigit(bytes[at])) return -1;
    while (at < end && isDigit(bytes[at])) at += 1;
  }
  return at > end ? -1 : at;
}

const isHex = (byte: number | undefined) => byte !== undefined && ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66));

/** What each byte is inside a string: 0 itself, 1 a quote, 2 a backslash, 3 not allowed raw, 4 a UTF-8 lead. */
const inString = new Uint8Array(256);
for (let byte = 0; byte < 0x20; byte += 1) inString[byte] = 3;
inString[quote] = 1;
inString[backslash] = 2;
for (let byte = 0x80; byte < 0x100; byte += 1) inString[byte] = 4;

/** A string's content after its opening quote; the index after its closing quote, or -1. */
function string(bytes: Uint8Array, at: number, end: number): number {
  while (at < end) {
    const kind = inString[bytes[at]!]!;
    if (kind === 0) {
      at += 1;
    } else if (kind === 1) {
      return at + 1;
    } else if (kind === 2) {
      const escaped = bytes[at + 1];
      if (escaped === 0x75 /* u */) {
        if (at + 6 > end || !isHex(bytes[at + 2]) || !isHex(bytes[at + 3]) || !isHex(bytes[at + 4]) || !isHex(bytes[at + 5])) return -1;
        at += 6;
      } else if (escaped === quote || escaped === backslash || escaped === 0x2f || escaped === 0x62 || escaped === 0x66 || escaped === 0x6e || escaped === 0x72 || escaped === 0x74) {
        at += 2;
      } else {
        return -1;
      }
    } else if (kind === 3) {
      return -1; // control characters must be escaped (a raw line break among them)
    } else {
      at = utf8Sequence(bytes, at, end);
      if (at < 0) return -1;
    }
  }
  return -1;
}

const isContinuation = (byte: number | undefined) => byte !== undefined && (byte & 0xc0) === 0x80;

/**
 * One multi-byte UTF-8 character (RFC 3629: no overlong forms, no surrogates, nothing past
 * U+10FFFF), except U+2028 and U+2029, which jsonLine escapes; the index after it, or -1.
 */
function utf8Sequence(bytes: Uint8Array, at: number, end: number): number {
  const lead = bytes[at]!;
  const second = bytes[at + 1];
  if (lead >= 0xc2 && lead <= 0xdf) return isContinuation(second) ? at + 2 : -1;
  if (lead >= 0xe0 && lead <= 0xef) {
    if (at + 3 > end || !isContinuation(second) || !isContinuation(bytes[at + 2])) return -1;
    if (lead === 0xe0 && second! < 0xa0) return -1; // overlong
    if (lead === 0xed && second! > 0x9f) return -1; // a surrogate
    if (lead === 0xe2 && second === 0x80 && (bytes[at + 2] === 0xa8 || bytes[at + 2] === 0xa9)) return -1; // U+2028, U+2029
    return at + 3;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    if (at + 4 > end || !isContinuation(second) || !isContinuation(bytes[at + 2]) || !isContinuation(bytes[at + 3])) return -1;
    if (lead === 0xf0 && second! < 0x90) return -1; // overlong
    if (lead === 0xf4 && second! > 0x8f) return -1; // past U+10FFFF
    return at + 4;
  }
  return -1;
}
