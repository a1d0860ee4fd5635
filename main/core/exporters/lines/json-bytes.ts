// Is this value already a line of a `.jsonl` file? A byte-level check that builds nothing: the
// exporter's hot path (gather-kernel.wat) asks it of every event, running this module's table,
// and `JSON.parse` (which needs a string first) costs several times as much; `isPlainJsonObject`
// is the same check in JavaScript, the one the kernel is tested against. It answers yes only for
// the common case, where `jsonLine` (jsonl.ts, the one rule of what counts as JSON) would return
// the bytes themselves:
//   a JSON object (RFC 8259) in valid UTF-8, nothing before its `{` or after its `}`, no line
//   break anywhere (whitespace inside is spaces and tabs), no raw U+2028 or U+2029, nested at
//   most `maxDepth` deep.
// Anything else gets "no", which means "ask jsonLine": a value it refuses, a pretty-printed one to
// minify, one with a BOM or padding, or one so deep that JSON.parse itself might overflow its
// stack. So the two paths write the same bytes by construction, and the fuzz test
// (test/unit/exporters/json-bytes.test.ts) holds the check to exactly that.
//
// How: a finite automaton over bytes, one table lookup per byte (the grammar's tokens, strings'
// escapes and UTF-8's sequences are all regular); only brackets and commas, which need to know
// the enclosing container, leave the table for a small stack, and keys, whose names must differ
// from the other names of their object (jsonLine refuses a name given twice, line rules 2): each
// key's bytes are hashed (FNV-1a) and its object's earlier hashes looked through. A key with an
// escape (two spellings of one name), an equal hash, or more than `maxOpenKeys` keys in the open
// objects is left to jsonLine.

/** Deeper than this, jsonLine decides (JSON.parse's own limit depends on the stack). */
export const maxDepth = 256;

/** Keys the open objects may hold between them before jsonLine decides (the kernel's key stack). */
export const maxOpenKeys = 1024;

let stateCount = 0;
const state = () => stateCount++;

// Outside strings: what may come next.
const objectStart = state(); // after `{`: a key or `}`
const arrayStart = state(); // after `[`: a value or `]`
const value = state(); // after `:` or a comma in an array
const key = state(); // after a comma in an object
const colon = state(); // after a key
const after = state(); // after a value: a comma or a closing bracket
const done = state(); // the object closed: nothing may follow
// Numbers: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?; the ones marked * may end there.
// Integer parts of more than 20 digits and exponents of more than 2 are left to jsonLine, which
// refuses a number past a double's range (line rules 2): within those, none can be.
const maxIntegerDigits = 20;
const minus = state();
const zero = state(); // *
const integerDigits = Array.from({ length: maxIntegerDigits }, state); // *, after 1..20 digits
const dot = state();
const fraction = state(); // *
const exponentMark = state();
const exponentSign = state();
const exponentDigits = [state(), state()]; // *, after 1 or 2 digits
// Literals, by the letters still to come.
const literalStates = new Map<string, number>();
for (const word of ["true", "false", "null"]) for (let at = 1; at < word.length; at += 1) literalStates.set(`${word}:${at}`, state());

/** A string's states, twice: a key's string ends before a colon, a value's before a comma or bracket. */
interface StringStates {
  body: number;
  escape: number;
  hex: [number, number, number, number];
  /**
   * Escapes of UTF-16 surrogates (`\uD800`-`\uDFFF`): after `\uD`; a high one's last two digits;
   * then the `\`, `u`, `D`, low second digit and last two digits its low half must come with.
   * Half a pair alone is left to jsonLine, which refuses it (line rules 2).
   */
  surrogate: { d: number; high: [number, number]; low: [number, number, number, number, number, number] };
  /** Continuation bytes still to come: 1, 2 or 3. */
  tail: [number, number, number];
  /** After a lead byte whose second byte has a narrower range (E0, ED, F0, F4), or E2 and E2 80 (to refuse U+2028, U+2029). */
  e0: number;
  ed: number;
  f0: number;
  f4: number;
  e2: number;
  e280: number;
}
const stringStates = (): StringStates => ({
  body: state(),
  escape: state(),
  hex: [state(), state(), state(), state()],
  surrogate: { d: state(), high: [state(), state()], low: [state(), state(), state(), state(), state(), state()] },
  tail: [state(), state(), state()],
  e0: state(),
  ed: state(),
  f0: state(),
  f4: state(),
  e2: state(),
  e280: state(),
});
const keyString = stringStates();
const valueString = stringStates();

// Actions: where the table hands over to the stack.
const keyOpen = 248;
const keyClose = 249;
const openObject = 250;
const openArray = 251;
const closeObject = 252;
const closeArray = 253;
const comma = 254;
const refused = 255;
const firstAction = keyOpen;
if (stateCount > firstAction) throw new Error("json-bytes: too many states for a byte table");

const table = new Uint8Array(stateCount * 256).fill(refused);
const on = (from: number, bytes: string | number[], to: number) => {
  for (const byte of typeof bytes === "string" ? [...bytes].map((char) => char.charCodeAt(0)) : bytes) table[from * 256 + byte] = to;
};
const range = (low: number, high: number) => Array.from({ length: high - low + 1 }, (_, index) => low + index);
const space = " \t";
const digits = "0123456789";

function valueStarts(from: number): void {
  on(from, space, from);
  on(from, '"', valueString.body);
  on(from, "{", openObject);
  on(from, "[", openArray);
  on(from, "-", minus);
  on(from, "0", zero);
  on(from, "123456789", integerDigits[0]!);
  on(from, "t", literalStates.get("true:1")!);
  on(from, "f", literalStates.get("false:1")!);
  on(from, "n", literalStates.get("null:1")!);
}

/** What may follow a value: from `from`, these bytes end it (a number's last digit, a literal's last letter). */
function valueEnds(from: number): void {
  on(from, space, after);
  on(from, ",", comma);
  on(from, "}", closeObject);
  on(from, "]", closeArray);
}

valueStarts(value);
valueStarts(arrayStart);
on(arrayStart, "]", closeArray);
on(objectStart, space, objectStart);
on(objectStart, '"', keyOpen);
on(objectStart, "}", closeObject);
on(key, space, key);
on(key, '"', keyOpen);
on(colon, space, colon);
on(colon, ":", value);
valueEnds(after);

on(minus, "0", zero);
on(minus, "123456789", integerDigits[0]!);
on(zero, ".", dot);
on(zero, "eE", exponentMark);
valueEnds(zero);
integerDigits.forEach((integer, index) => {
  if (index + 1 < maxIntegerDigits) on(integer, digits, integerDigits[index + 1]!);
  on(integer, ".", dot);
  on(integer, "eE", exponentMark);
  valueEnds(integer);
});
on(dot, digits, fraction);
on(fraction, digits, fraction);
on(fraction, "eE", exponentMark);
valueEnds(fraction);
on(exponentMark, "+-", exponentSign);
on(exponentMark, digits, exponentDigits[0]!);
on(exponentSign, digits, exponentDigits[0]!);
on(exponentDigits[0]!, digits, exponentDigits[1]!);
valueEnds(exponentDigits[0]!);
valueEnds(exponentDigits[1]!);

for (const word of ["true", "false", "null"]) {
  for (let at = 1; at < word.length; at += 1) {
    const from = literalStates.get(`${word}:${at}`)!;
    if (at + 1 < word.length) on(from, word[at]!, literalStates.get(`${word}:${at + 1}`)!);
    else on(from, word[at]!, after);
  }
}

function stringTransitions(states: StringStates, end: number): void {
  const { body, escape, hex, tail } = states;
  on(body, range(0x20, 0x7f), body);
  on(body, '"', end);
  on(body, "\\", escape);
  on(escape, '"\\/bfnrt', body);
  on(escape, "u", hex[0]);
  const hexDigits = "0123456789abcdefABCDEF";
  on(hex[0], "0123456789abcefABCEF", hex[1]);
  on(hex[1], hexDigits, hex[2]);
  const { d, high, low } = states.surrogate;
  on(hex[0], "dD", d);
  on(d, "01234567", hex[2]);
  on(d, "89abAB", high[0]);
  on(high[0], hexDigits, high[1]);
  on(high[1], hexDigits, low[0]);
  on(low[0], "\\", low[1]);
  on(low[1], "u", low[2]);
  on(low[2], "dD", low[3]);
  on(low[3], "cdefCDEF", low[4]);
  on(low[4], hexDigits, low[5]);
  on(low[5], hexDigits, body);
  on(hex[2], hexDigits, hex[3]);
  on(hex[3], hexDigits, body);
  // UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past U+10FFFF.
  const continuation = range(0x80, 0xbf);
  on(body, range(0xc2, 0xdf), tail[0]);
  on(body, [...range(0xe1, 0xe1), ...range(0xe3, 0xec), 0xee, 0xef], tail[1]);
  on(body, [0xe0], states.e0);
  on(body, [0xed], states.ed);
  on(body, [0xe2], states.e2);
  on(body, range(0xf1, 0xf3), tail[2]);
  on(body, [0xf0], states.f0);
  on(body, [0xf4], states.f4);
  on(tail[0], continuation, body);
  on(tail[1], continuation, tail[0]);
  on(tail[2], continuation, tail[1]);
  on(states.e0, range(0xa0, 0xbf), tail[0]);
  on(states.ed, range(0x80, 0x9f), tail[0]);
  on(states.f0, range(0x90, 0xbf), tail[1]);
  on(states.f4, range(0x80, 0x8f), tail[1]);
  // E2 80 A8 and E2 80 A9 are U+2028 and U+2029, which jsonLine escapes.
  on(states.e2, range(0x81, 0xbf), tail[0]);
  on(states.e2, [0x80], states.e280);
  on(
    states.e280,
    continuation.filter((byte) => byte !== 0xa8 && byte !== 0xa9),
    body,
  );
}
stringTransitions(keyString, keyClose);
stringTransitions(valueString, after);

/** The automaton for gather-kernel.wat, which runs the same table: its bytes and the states it must know. */
export const automaton = {
  table,
  states: { objectStart, arrayStart, key, value, after, done, keyBody: keyString.body, valueBody: valueString.body, colon },
  maxDepth,
  maxOpenKeys,
} as const;

/** The open containers, innermost last: 1 an object, 0 an array (one stack for all calls: the check never re-enters). */
const containers = new Uint8Array(maxDepth);
/** The hashes of the open objects' keys, and where each container's own begin. */
const keyHashes = new Int32Array(maxOpenKeys);
const keysFrom = new Int32Array(maxDepth);

/**
 * A key's hash exactly as the kernel computes it (so two keys of one hash are refused alike, and
 * the two agree on every value): four bytes at a time, as a little-endian word, while four are
 * left, then FNV-1a over the rest; undefined for a key with an escape.
 */
export function keyHash(bytes: Uint8Array, start: number, end: number): number | undefined {
  let hash = 0x811c9dc5 | 0;
  let at = start;
  for (; at + 4 <= end; at += 4) {
    if (bytes[at] === 0x5c || bytes[at + 1] === 0x5c || bytes[at + 2] === 0x5c || bytes[at + 3] === 0x5c) return undefined;
    const word = bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
    const mixed = Math.imul(hash ^ word, 0x01000193);
    hash = (mixed << 13) | (mixed >>> 19);
  }
  for (; at < end; at += 1) {
    if (bytes[at] === 0x5c) return undefined;
    hash = Math.imul(hash ^ bytes[at]!, 0x01000193);
  }
  return hash;
}

/** Whether bytes[start, end) are one line of JSON object, to be written as they are. */
export function isPlainJsonObject(bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start < 2 || bytes[start] !== 0x7b /* { */) return false;
  containers[0] = 1;
  keysFrom[0] = 0;
  let depth = 1;
  let keyTop = 0;
  let keyStart = 0;
  let current = objectStart;
  for (let at = start + 1; at < end; at += 1) {
    current = table[(current << 8) | bytes[at]!]!;
    if (current < firstAction) continue;
    switch (current) {
      case keyOpen:
        keyStart = at + 1;
        current = keyString.body;
        break;
      case keyClose: {
        const hash = keyHash(bytes, keyStart, at);
        if (hash === undefined || keyTop === maxOpenKeys) return false;
        for (let other = keysFrom[depth - 1]!; other < keyTop; other += 1) if (keyHashes[other] === hash) return false;
        keyHashes[keyTop++] = hash;
        current = colon;
        break;
      }
      case openObject:
      case openArray:
        if (depth === maxDepth) return false;
        keysFrom[depth] = keyTop;
        containers[depth++] = current === openObject ? 1 : 0;
        current = current === openObject ? objectStart : arrayStart;
        break;
      case closeObject:
      case closeArray:
        if (containers[--depth] !== (current === closeObject ? 1 : 0)) return false;
        keyTop = keysFrom[depth]!;
        current = depth === 0 ? done : after;
        break;
      case comma:
        current = containers[depth - 1] === 1 ? key : value;
        break;
      default:
        return false;
    }
  }
  return current === done;
}
