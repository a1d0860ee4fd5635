// The byte-level check of the hot path against the rule it stands in for: `isPlainJsonObject`
// must say yes exactly when `jsonLine` (JSON.parse underneath) would write the value's bytes as
// they are. Fuzzed over hundreds of thousands of inputs: JSON texts as producers write them,
// then mutated byte by byte towards every edge (escapes, UTF-8, numbers, whitespace, nesting).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isPlainJsonObject, maxDepth } from "../../../../main/core/exporters/lines/json-bytes.js";
import { jsonLine } from "../../../../main/core/exporters/lines/jsonl.js";

/** What the slow path says: the value's own bytes are its line. */
function writtenAsIs(bytes: Buffer): boolean {
  const line = jsonLine(bytes, true);
  return line !== undefined && line.equals(bytes);
}

/** Nesting depth of brackets outside strings (for the one place the two may differ on purpose). */
function depthOf(bytes: Buffer): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let at = 0; at < bytes.length; at += 1) {
    const byte = bytes[at]!;
    if (inString) {
      if (byte === 0x5c) at += 1;
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) deepest = Math.max(deepest, ++depth);
    else if (byte === 0x7d || byte === 0x5d) depth -= 1;
  }
  return deepest;
}

/** The text outside strings (numbers, literals, punctuation). */
function outsideStrings(bytes: Buffer): string {
  let out = "";
  let inString = false;
  for (let at = 0; at < bytes.length; at += 1) {
    const byte = bytes[at]!;
    if (inString) {
      if (byte === 0x5c) at += 1;
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else out += String.fromCharCode(byte);
  }
  return out;
}

/** Numbers the check leaves to jsonLine though they are in range: more than 20 integer digits, an exponent of 3 digits or more. */
const longNumber = (bytes: Buffer) => /(^|[^0-9.eE+-])-?[0-9]{21,}|[eE][+-]?[0-9]{3,}/.test(outsideStrings(bytes));

/** A key written with an escape, which the check leaves to jsonLine (two spellings of one name must compare equal). */
function escapedKey(bytes: Buffer): boolean {
  const text = bytes.toString("latin1");
  for (let at = 0; at < text.length; at += 1) {
    if (text[at] !== '"') continue;
    let escaped = false;
    for (at += 1; at < text.length && text[at] !== '"'; at += 1) {
      if (text[at] !== "\\") continue;
      escaped = true;
      at += 1;
    }
    if (escaped && /^[ \t]*:/.test(text.slice(at + 1))) return true;
  }
  return false;
}

function agrees(bytes: Buffer): void {
  const fast = isPlainJsonObject(bytes, 0, bytes.length);
  const slow = writtenAsIs(bytes);
  if (fast !== slow && !(slow && (depthOf(bytes) > maxDepth || longNumber(bytes) || escapedKey(bytes)))) {
    throw new Error(`fast ${fast}, slow ${slow} for ${JSON.stringify(bytes.toString("latin1"))} (hex ${bytes.toString("hex")})`);
  }
}

/** Bytes that sit at the edges of the grammar and of UTF-8. */
const edgeBytes = [
  0x00, 0x09, 0x0a, 0x0d, 0x20, 0x22, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x3a, 0x45, 0x5b, 0x5c, 0x5d, 0x65, 0x6e, 0x74, 0x75, 0x7b, 0x7d, 0x7f, 0x80, 0xa8,
  0xa9, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff,
];
const edgeSequences = [
  "\\u",
  "\\uD800",
  "\\u00zz",
  "\\x",
  '\\"',
  "1e",
  "-0",
  "01",
  "1.",
  ".5",
  "1E+9",
  "true",
  "nul",
  "\u2028",
  "\u2029",
  "\u2019",
  "\uFEFF",
  "é",
  "😀",
  "\t",
  " ",
  "\r\n",
  "{}",
  "[]",
  '"":',
  ",,",
  "[[[",
].map((text) => Buffer.from(text, "utf8"));
const rawSequences = [
  [0xed, 0xa0, 0x80],
  [0xe0, 0x80, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xc0, 0xaf],
  [0xe2, 0x80],
  [0xf0, 0x9f, 0x98],
].map((bytes) => Buffer.from(bytes));

const mutation = fc.oneof(
  fc.record({ kind: fc.constant("set" as const), at: fc.nat(), byte: fc.constantFrom(...edgeBytes) }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), bytes: fc.constantFrom(...edgeSequences, ...rawSequences) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 3 }) }),
);

type Mutation = { kind: "set"; at: number; byte: number } | { kind: "insert"; at: number; bytes: Buffer } | { kind: "delete"; at: number; length: number };

function mutate(bytes: Buffer, mutations: Mutation[]): Buffer {
  let out = Buffer.from(bytes);
  for (const change of mutations) {
    const at = out.length === 0 ? 0 : change.at % (out.length + 1);
    if (change.kind === "set" && at < out.length) out[at] = change.byte;
    else if (change.kind === "insert") out = Buffer.concat([out.subarray(0, at), change.bytes, out.subarray(at)]);
    else if (change.kind === "delete") out = Buffer.concat([out.subarray(0, at), out.subarray(at + change.length)]);
  }
  return out;
}

/** JSON objects as producers write them: compact, spaced out, or pretty-printed. */
const jsonObject = fc
  .tuple(fc.dictionary(fc.string({ unit: "binary", maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }), fc.constantFrom(undefined, 0, 1, 2, "\t"))
  .map(([value, indent]) => {
    const text = JSON.stringify(value, null, indent);
    return Buffer.from(indent === 0 ? text.replace(/,/g, ", ").replace(/:/g, " : ") : text, "utf8");
  });

describe("isPlainJsonObject, fuzzed against jsonLine (JSON.parse)", () => {
  it("agrees on JSON objects as written, with no edits", () => {
    fc.assert(
      fc.property(jsonObject, (bytes) => agrees(bytes)),
      { numRuns: 40_000 },
    );
  }, 120_000);

  it("agrees on mutated JSON objects", () => {
    fc.assert(
      fc.property(jsonObject, fc.array(mutation, { minLength: 1, maxLength: 4 }), (bytes, changes) => agrees(mutate(bytes, changes))),
      { numRuns: 120_000 },
    );
  }, 120_000);

  it("agrees on arbitrary bytes that start and end like an object", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (middle) => agrees(Buffer.concat([Buffer.from("{"), Buffer.from(middle), Buffer.from("}")]))),
      { numRuns: 40_000 },
    );
  }, 120_000);

  it("says yes to plain events, which the exporter then copies as they are", () => {
    for (const text of ['{"id":1}', '{"a":[1,2.5e-3,true,false,null],"b":{"c":"d \\" \\u00e9 é 😀"}}', '{ "spaced" :\t"out" }', '{"quote":"’"}']) {
      expect(isPlainJsonObject(Buffer.from(text), 0, Buffer.byteLength(text)), text).toBe(true);
    }
  });

  it("says no where jsonLine must decide: not an object, a line break, padding, a BOM, U+2028, bad UTF-8", () => {
    const cases = [
      "[1]",
      '"s"',
      "1",
      '{"a":1}\n',
      '{\n"a":1}',
      ' {"a":1}',
      '{"a":1} ',
      '\uFEFF{"a":1}',
      '{"a":"\u2028"}',
      '{"a":01}',
      '{"a":1,}',
      '{"a"}',
      "{}x",
    ];
    for (const text of cases) expect(isPlainJsonObject(Buffer.from(text), 0, Buffer.byteLength(text)), JSON.stringify(text)).toBe(false);
    expect(isPlainJsonObject(Buffer.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d]), 0, 9)).toBe(false);
  });

  it("says yes to escaped surrogate pairs, and leaves half a pair and numbers it cannot bound to jsonLine", () => {
    for (const text of ['{"e":"\\ud83d\\ude00"}', '{"e":"\\uD7FF\\uE000"}', '{"n":1e99}', '{"n":-12345678901234567890}'])
      expect(isPlainJsonObject(Buffer.from(text), 0, text.length), text).toBe(true);
    for (const text of [
      '{"e":"\\ud800"}',
      '{"e":"\\udc00\\ud800"}',
      '{"e":"\\ud83d\\u0041"}',
      '{"\\ud800":1}',
      '{"n":1e400}',
      '{"n":1e100}',
      '{"n":123456789012345678901}',
    ])
      expect(isPlainJsonObject(Buffer.from(text), 0, text.length), text).toBe(false);
  });

  it("says no to a name given twice in one object, and yes to one name in two objects", () => {
    for (const text of ['{"a":1,"b":{"a":2,"b":3}}', '{"x":[{"a":1},{"a":1}],"a":0}', '{"ab":1,"ba":2,"a":3,"b":4}'])
      expect(isPlainJsonObject(Buffer.from(text), 0, text.length), text).toBe(true);
    for (const text of ['{"a":1,"a":2}', '{"a":{"b":1,"c":2,"b":3}}', '{"x":[{"a":1,"a":1}]}', '{"a":1,"\\u0061":2}', '{"\\n":1}'])
      expect(isPlainJsonObject(Buffer.from(text), 0, text.length), text).toBe(false);
    const wide = `{${Array.from({ length: 1500 }, (_, i) => `"k${i}":${i}`).join(",")}}`;
    expect(isPlainJsonObject(Buffer.from(wide), 0, wide.length), "more keys than the kernel keeps").toBe(false);
    const wideEnough = `{${Array.from({ length: 1000 }, (_, i) => `"k${i}":${i}`).join(",")}}`;
    expect(isPlainJsonObject(Buffer.from(wideEnough), 0, wideEnough.length)).toBe(true);
  });

  it("reads only its range of a larger buffer", () => {
    const buffer = Buffer.from('xx{"a":1}}yy');
    expect(isPlainJsonObject(buffer, 2, 9)).toBe(true);
    // The same bytes cut short before the closing brace, with one following in the buffer.
    expect(isPlainJsonObject(Buffer.from('{"a":"b}"}'), 0, 8)).toBe(false);
  });

  it("leaves nesting past its limit to jsonLine", () => {
    const deep = Buffer.from(`{"a":${"[".repeat(maxDepth)}${"]".repeat(maxDepth)}}`);
    expect(isPlainJsonObject(deep, 0, deep.length)).toBe(false);
    const deepest = Buffer.from(`{"a":${"[".repeat(maxDepth - 1)}${"]".repeat(maxDepth - 1)}}`);
    expect(isPlainJsonObject(deepest, 0, deepest.length)).toBe(true);
  });
});
