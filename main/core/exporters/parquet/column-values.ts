// An event's JSON against a Parquet file's columns: whether it fits (and if not, why, said for
// its `-invalid` line), and each value as the column stores it. One set of rules serves both the
// check when a record joins a batch and the writing when the file is finished, so a record that
// was judged to fit is written exactly as judged. Every rule here is a function of the line's
// text alone (never of the stack, the clock or the machine): the split between a file's events
// and its `-invalid` part is the same on every attempt (docs/EXACTLY-ONCE.md).
//
// Numbers are exact. JSON.parse reads every number as a double, which keeps a number's value only
// up to 15 significant digits and without an exponent; a line whose text holds any other number
// (`exactNeeded`) is read keeping each number's own digits (`ExactNumber`, from JSON.parse's source
// text), which costs about five times the plain parse and so is only for those lines.
import type { Column, ColumnType, TimestampUnit } from "../../../../common/table-columns.js";

/** A JSON number as its source digits, for the lines that need them. */
export class ExactNumber {
  constructor(readonly source: string) {}
}

/** Thrown inside a check that met a number a double does not hold exactly: the line is read again with `parseExact`. */
class Inexact extends Error {}

/**
 * The deepest JSON a Parquet file's line may be: JSON.stringify (json columns, JSON keys) and
 * JSON.parse's reviver (exact numbers) recurse, and past some two thousand levels they overflow
 * the stack at a depth that depends on the caller's. A fixed limit, checked on the text, keeps the
 * decision the same on every attempt; real events nest a few levels.
 */
export const maxJsonDepth = 512;

/** Whether the text holds a number a double may not keep: 16 or more digits and points in a row, or an exponent (a false hit in a string only costs a slower read). */
const exactNeeded = (text: string) => /\d[\d.]{15}|\d[eE]/.test(text);

export const parseLine = (text: string): unknown => JSON.parse(text);

export const parseExact = (text: string): unknown =>
  JSON.parse(text, (_key, value: unknown, context?: { source?: string }) =>
    typeof value === "number" && context?.source !== undefined ? new ExactNumber(context.source) : value,
  );

/** How deep the JSON text nests (brackets and braces outside strings), counted without recursion. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === 0x22 /* " */) {
      for (at += 1; at < text.length && text.charCodeAt(at) !== 0x22; at++) if (text.charCodeAt(at) === 0x5c /* \ */) at += 1;
    } else if (code === 0x5b || code === 0x7b) deepest = Math.max(deepest, (depth += 1));
    else if (code === 0x5d || code === 0x7d) depth -= 1;
  }
  return deepest;
}

/** A place in an event: a field's name, or the elements of a list or the values of a map. */
export type PathPart = string | { list: true } | { map: true };

/** `address.zip`, `items[].sku`, `attrs{}`: a path as a person reads it. */
export const pathText = (path: readonly PathPart[]): string =>
  path.reduce<string>((text, part) => (typeof part === "string" ? (text === "" ? part : `${text}.${part}`) : `${text}${"list" in part ? "[]" : "{}"}`), "");

/** Why a value does not fit its column; `path` names the field (`address.zip`, `items[]`). */
export interface Misfit {
  path: string;
  problem: string;
  /** A field the columns do not have: what a new columns version would add. */
  newField?: { path: PathPart[]; value: unknown };
}

/** What a leaf column stores, by kind: see `leafValue`. */
export type LeafValue = string | boolean | number | bigint;

const describe = (value: unknown): string =>
  value === null
    ? "null"
    : Array.isArray(value)
      ? "a list"
      : value instanceof ExactNumber || typeof value === "number"
        ? "a number"
        : typeof value === "object"
          ? "an object"
          : typeof value === "string"
            ? "a string"
            : `${typeof value === "boolean" ? "true or false" : typeof value}`;

/** What a column holds, in a reason's words. */
const holds = (type: ColumnType): string => {
  switch (type.kind) {
    case "timestamp":
      return "the column is a timestamp (" + type.unit + ")";
    case "struct":
      return "the column holds an object of fields";
    case "list":
      return "the column holds a list";
    case "map":
      return "the column holds an object of names and values";
    default:
      return `the column is ${type.kind}`;
  }
};

const wrong = (value: unknown, type: ColumnType): string => `${describe(value)}, where ${holds(type)}`;

/**
 * A leaf's value as its column stores it (strings, booleans, int32 and double as JS values; int64,
 * timestamps in the column's unit and decimals' unscaled digits as bigint; dates as days since
 * 1970-01-01), or why not (a string). Throws `Inexact` for a number to read again exactly.
 */
export function leafValue(type: ColumnType, value: unknown): LeafValue | { problem: string } {
  switch (type.kind) {
    case "string":
      return typeof value === "string" ? value : { problem: wrong(value, type) };
    case "boolean":
      return typeof value === "boolean" ? value : { problem: wrong(value, type) };
    case "int32": {
      const digits = int64Of(value, type);
      if (typeof digits !== "bigint") return digits;
      if (digits < -0x8000_0000n || digits > 0x7fff_ffffn) return { problem: `${numberText(value)}, which is beyond an int32's range` };
      return Number(digits);
    }
    case "double": {
      // Registries' decoders write NaN and the infinities as strings (JSON has no such numbers); Parquet's double holds them.
      if (typeof value === "string" && nonFinite.has(value)) return Number(value);
      const number = numberOf(value);
      return number === undefined ? { problem: wrong(value, type) } : number;
    }
    case "int64":
      return int64Of(value, type);
    case "decimal":
      return decimalOf(value, type.precision, type.scale);
    case "timestamp":
      return timestampOf(value, type.unit);
    case "date":
      return dateOf(value);
    case "json":
      return jsonText(value);
    default:
      return { problem: wrong(value, type) };
  }
}

const nonFinite = new Set(["NaN", "Infinity", "-Infinity"]);

const numberOf = (value: unknown): number | undefined => (typeof value === "number" ? value : value instanceof ExactNumber ? Number(value.source) : undefined);

const numberText = (value: unknown) => clip(value instanceof ExactNumber ? value.source : String(value));

const minInt64 = -(2n ** 63n);
const maxInt64 = 2n ** 63n - 1n;

function int64Of(value: unknown, type: ColumnType): bigint | { problem: string } {
  if (typeof value === "number") {
    if (Number.isSafeInteger(value)) return BigInt(value);
    // Read plainly only when the text holds no number a double may change (exactNeeded): a safety net.
    if (Number.isInteger(value)) throw new Inexact();
    return { problem: `${value}, which is not a whole number` };
  }
  if (!(value instanceof ExactNumber)) return { problem: wrong(value, type) };
  const digits = unscaled(value.source, 0);
  if (digits === "fraction") return { problem: `${numberText(value)}, which is not a whole number` };
  if (digits === "range" || digits < minInt64 || digits > maxInt64) return { problem: `${numberText(value)}, which is beyond an int64's range` };
  return digits;
}

/** Decimals: a JSON number, or a string of one (as registries' decoders and many producers write them). */
function decimalOf(value: unknown, precision: number, scale: number): bigint | { problem: string } {
  let text: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return { problem: `${value}, which is not a decimal` };
    // Read plainly, the number has at most 15 significant digits and no exponent in its text, which a double keeps.
    text = String(value);
  } else if (value instanceof ExactNumber) text = value.source;
  else if (typeof value === "string" && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value)) text = value;
  else return { problem: `${describe(value)}, where the column is decimal(${precision},${scale})` };
  const digits = unscaled(text, scale);
  if (digits === "fraction") return { problem: `${clip(text)}, which has more decimal places than the column's ${scale}` };
  if (digits === "range" || digits >= 10n ** BigInt(precision) || digits <= -(10n ** BigInt(precision)))
    return { problem: `${clip(text)}, which has more digits than the column's precision of ${precision}` };
  return digits;
}

/** More significant digits than any column holds (38 for a decimal): refused before any big arithmetic. */
const maxDigits = 80;

/**
 * A decimal number's text times 10^scale, exactly; "fraction" when digits would be left over,
 * "range" when it is beyond any column (an exponent of a million must not cost a second of CPU).
 */
function unscaled(text: string, scale: number): bigint | "fraction" | "range" {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text)!;
  const [, sign, whole, fraction = "", exponent = "0"] = match;
  const significant = `${whole}${fraction}`.replace(/^0+/, "");
  if (significant === "") return 0n;
  const trimmed = significant.replace(/0+$/, "");
  // The number is trimmed × 10^power (trimmed: its digits without leading or trailing zeros).
  const power = Number(exponent) - fraction.length + (significant.length - trimmed.length);
  const lead = power + trimmed.length + scale;
  if (trimmed.length > maxDigits || lead > maxDigits) return "range";
  if (power + scale < 0) return "fraction";
  const digits = BigInt(trimmed) * 10n ** BigInt(power + scale);
  return sign === "-" ? -digits : digits;
}

const isoTime = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const unitDigits: Record<TimestampUnit, number> = { millis: 3, micros: 6 };
const unitWords: Record<TimestampUnit, string> = { millis: "milliseconds", micros: "microseconds" };

/** Milliseconds since 1970 UTC of a calendar time, or undefined when it does not exist (Date.UTC would take years 0–99 as 1900–1999). */
function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number | undefined {
  if (year < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date.getTime() : undefined;
}

/** Years 0001 to 9999, the range every reader takes (DuckDB refuses a whole column of millisecond timestamps past it). */
const earliestMs = BigInt(utcMs(1, 1, 1)!);
const latestMs = BigInt(utcMs(9999, 12, 31, 23, 59, 59)!) + 999n;
const withinYears = (value: bigint, unit: TimestampUnit) => {
  const perMs = unit === "millis" ? 1n : 1000n;
  return value >= earliestMs * perMs && value <= latestMs * perMs + perMs - 1n;
};

/** A timestamp: an RFC 3339 time with its zone (`2026-12-06T10:00:00.123456Z`), or a whole number of the column's unit since 1970 UTC. */
function timestampOf(value: unknown, unit: TimestampUnit): bigint | { problem: string } {
  if (typeof value === "number" || value instanceof ExactNumber) {
    const digits = int64Of(value, { kind: "int64" });
    if (typeof digits !== "bigint") return { problem: `${numberText(value)}, which is not a whole number of ${unitWords[unit]}` };
    return withinYears(digits, unit) ? digits : { problem: `${numberText(value)} ${unitWords[unit]} since 1970, which is outside the years 1 to 9999` };
  }
  if (typeof value !== "string") return { problem: wrong(value, { kind: "timestamp", unit }) };
  const match = isoTime.exec(value);
  if (!match) return { problem: `${JSON.stringify(clip(value))}, which is not a time with its zone, such as 2026-12-06T10:00:00.123Z` };
  const [, year, month, day, hour, minute, second, fraction = "", , sign, offsetHours, offsetMinutes] = match;
  const ms = utcMs(Number(year), Number(month), Number(day), Number(hour), Number(minute), Number(second));
  if (ms === undefined || (sign !== undefined && (Number(offsetHours) > 23 || Number(offsetMinutes) > 59)))
    return { problem: `${JSON.stringify(clip(value))}, which is not a date and time that exists` };
  const kept = unitDigits[unit];
  if (/[1-9]/.test(fraction.slice(kept))) return { problem: `${JSON.stringify(clip(value))}, which is more precise than the column's ${unitWords[unit]}` };
  const offset = sign ? (sign === "-" ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000 : 0;
  const stamp = (BigInt(ms - offset) / 1000n) * 10n ** BigInt(kept) + BigInt(fraction.slice(0, kept).padEnd(kept, "0"));
  return withinYears(stamp, unit) ? stamp : { problem: `${JSON.stringify(clip(value))}, which is outside the years 1 to 9999 in UTC` };
}

function dateOf(value: unknown): number | { problem: string } {
  const match = typeof value === "string" ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (!match)
    return { problem: `${typeof value === "string" ? JSON.stringify(clip(value)) : describe(value)}, where the column is a date (such as 2026-12-06)` };
  const ms = utcMs(Number(match[1]), Number(match[2]), Number(match[3]));
  if (ms === undefined) return { problem: `${JSON.stringify(value)}, which is not a date that exists (years 1 to 9999)` };
  return ms / 86_400_000;
}

const clip = (text: string) => (text.length > 64 ? `${text.slice(0, 61)}…` : text);

/** JSON.rawJSON (ES2026, in Node 21 on; not yet in TypeScript's lib): a value JSON.stringify writes as the text given. */
const rawJson = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;

/**
 * A JSON value's text, its numbers as they were sent (an exactly read number keeps its digits).
 * Safe to recurse: a line is nested at most `maxJsonDepth` deep before it is read.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (item instanceof ExactNumber ? rawJson(item.source) : item));
}

/** An object's own field, or undefined: never what its prototype has (a column named `constructor`). */
export const ownField = (object: Record<string, unknown>, name: string): unknown => (Object.hasOwn(object, name) ? object[name] : undefined);

/**
 * Why `value` (a parsed line) does not fit `columns`, or undefined when it does. Every column may
 * be null or absent; a field the columns lack does not fit (it is never dropped silently).
 */
export function misfitOf(value: unknown, columns: readonly Column[]): Misfit | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value) || value instanceof ExactNumber)
    return { path: "", problem: `${describe(value)}, where an event must be a JSON object` };
  return structMisfit(value as Record<string, unknown>, columns, []);
}

function structMisfit(object: Record<string, unknown>, columns: readonly Column[], path: PathPart[]): Misfit | undefined {
  for (const name of Object.keys(object)) {
    const column = columns.find((candidate) => candidate.name === name);
    const at = [...path, name];
    if (!column) return { path: pathText(at), problem: `a field the columns do not have`, newField: { path: at, value: object[name] } };
    const misfit = valueMisfit(object[name], column.type, at);
    if (misfit) return misfit;
  }
  return undefined;
}

function valueMisfit(value: unknown, type: ColumnType, path: PathPart[]): Misfit | undefined {
  if (value === null || value === undefined) return undefined;
  switch (type.kind) {
    case "struct":
      if (typeof value !== "object" || Array.isArray(value) || value instanceof ExactNumber) return { path: pathText(path), problem: wrong(value, type) };
      return structMisfit(value as Record<string, unknown>, type.fields, path);
    case "list": {
      if (!Array.isArray(value)) return { path: pathText(path), problem: wrong(value, type) };
      const items: PathPart[] = [...path, { list: true }];
      for (const item of value) {
        const misfit = valueMisfit(item, type.items, items);
        if (misfit) return misfit;
      }
      return undefined;
    }
    case "map": {
      if (typeof value !== "object" || Array.isArray(value) || value instanceof ExactNumber) return { path: pathText(path), problem: wrong(value, type) };
      const values: PathPart[] = [...path, { map: true }];
      for (const item of Object.values(value)) {
        const misfit = valueMisfit(item, type.values, values);
        if (misfit) return misfit;
      }
      return undefined;
    }
    default: {
      const leaf = leafValue(type, value);
      return typeof leaf === "object" ? { path: pathText(path), problem: leaf.problem } : undefined;
    }
  }
}

/** What a line becomes: a row of the file's columns, or why it cannot be one. */
export type RowRead = { row: Record<string, unknown> } | { misfit: Misfit };

/**
 * `text` parsed and made a row by `rowOf`: exactly when its text holds a number a double may
 * change (or rowOf meets one, as a safety net), plainly otherwise. Text nested deeper than
 * `maxJsonDepth` is no row, decided on the text before any recursion.
 */
export function readRow(text: string, rowOf: (line: unknown) => RowRead): RowRead {
  // Each level takes two characters (its bracket and its close): a line this short cannot be too deep, and needs no scan.
  const depth = text.length > 2 * maxJsonDepth ? jsonDepth(text) : 0;
  if (depth > maxJsonDepth)
    return { misfit: { path: "", problem: `JSON nested ${depth} levels deep, deeper than the ${maxJsonDepth} a Parquet file's line may be` } };
  if (!exactNeeded(text)) {
    try {
      return rowOf(parseLine(text));
    } catch (error) {
      if (!(error instanceof Inexact)) throw error;
    }
  }
  return rowOf(parseExact(text));
}

/** Whether a parsed number is `n`, read plainly or exactly. */
export const isNumber = (value: unknown, n: number) => value === n || (value instanceof ExactNumber && Number(value.source) === n);
