// An event's JSON against a Parquet file's columns: whether it fits (and if not, why, said for
// its `-invalid` line), and each value as the column stores it. One set of rules serves both the
// check when a record joins a batch and the writing when the file is finished, so a record that
// was judged to fit is written exactly as judged.
//
// Numbers are exact. JSON.parse reads every number as a double, which is exact for integers up to
// 2^53 and for decimals of up to 15 significant digits; a value beyond that in an int64, decimal
// or json column would be changed. Those lines (rare) are read again keeping each number's own
// digits (`ExactNumber`, from JSON.parse's source text), which costs about five times the plain
// parse and so is never the first try.
import type { Column, ColumnType, TimestampUnit } from "../../../../common/table-columns.js";

/** A JSON number as its source digits, for the lines that need them. */
export class ExactNumber {
  constructor(readonly source: string) {}
}

/** Thrown inside a check that met a number a double does not hold exactly: the line is read again with `parseExact`. */
class Inexact extends Error {}

export const parseLine = (text: string): unknown => JSON.parse(text);

export const parseExact = (text: string): unknown =>
  JSON.parse(text, (_key, value: unknown, context?: { source?: string }) =>
    typeof value === "number" && context?.source !== undefined ? new ExactNumber(context.source) : value,
  );

/** Why a value does not fit its column; `path` names the field (`address.zip`, `items[]`). */
export interface Misfit {
  path: string;
  problem: string;
  /** A field the columns do not have: what a new columns version would add. */
  newField?: { path: string[]; value: unknown };
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

const wrong = (value: unknown, type: ColumnType): string =>
  `${describe(value)}, where the column is ${type.kind === "timestamp" ? `a timestamp (${type.unit})` : type.kind}`;

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
      const number = numberOf(value);
      if (number === undefined) return { problem: wrong(value, type) };
      if (!Number.isInteger(number) || number < -0x8000_0000 || number > 0x7fff_ffff)
        return { problem: `${numberText(value)}, which is not a whole number an int32 holds` };
      return number;
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
      return jsonTextOf(value);
    default:
      return { problem: wrong(value, type) };
  }
}

const nonFinite = new Set(["NaN", "Infinity", "-Infinity"]);

const numberOf = (value: unknown): number | undefined => (typeof value === "number" ? value : value instanceof ExactNumber ? Number(value.source) : undefined);

const numberText = (value: unknown) => (value instanceof ExactNumber ? value.source : String(value));

const minInt64 = -(2n ** 63n);
const maxInt64 = 2n ** 63n - 1n;

function int64Of(value: unknown, type: ColumnType): bigint | { problem: string } {
  if (typeof value === "number") {
    if (Number.isSafeInteger(value)) return BigInt(value);
    if (Number.isInteger(value)) throw new Inexact();
    return { problem: `${value}, which is not a whole number` };
  }
  if (!(value instanceof ExactNumber)) return { problem: wrong(value, type) };
  const digits = unscaled(value.source, 0);
  if (typeof digits !== "bigint") return { problem: `${value.source}, which is not a whole number` };
  if (digits < minInt64 || digits > maxInt64) return { problem: `${value.source}, which is beyond an int64's range` };
  return digits;
}

/** Decimals: a JSON number, or a string of one (as registries' decoders and many producers write them). */
function decimalOf(value: unknown, precision: number, scale: number): bigint | { problem: string } {
  let text: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return { problem: `${value}, which is not a decimal` };
    // 15 significant digits always survive a double: more may not be the digits that were sent.
    if (significantDigits(String(value)) > 15) throw new Inexact();
    text = String(value);
  } else if (value instanceof ExactNumber) text = value.source;
  else if (typeof value === "string" && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value)) text = value;
  else return { problem: `${describe(value)}, where the column is decimal(${precision},${scale})` };
  const digits = unscaled(text, scale);
  if (digits === "fraction") return { problem: `${text}, which has more decimal places than the column's ${scale}` };
  if (digits >= 10n ** BigInt(precision) || digits <= -(10n ** BigInt(precision)))
    return { problem: `${text}, which has more digits than the column's precision of ${precision}` };
  return digits;
}

const significantDigits = (text: string) => text.replace(/e.*$/i, "").replace(/[-.]/g, "").replace(/^0+/, "").length;

/** A decimal number's text times 10^scale, exactly; "fraction" when digits would be left over. */
function unscaled(text: string, scale: number): bigint | "fraction" {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text)!;
  const [, sign, whole, fraction = "", exponent = "0"] = match;
  // Move the point by the exponent and the scale: the digits are whole·fraction × 10^(exponent + scale - fraction length).
  const shift = Number(exponent) + scale - fraction.length;
  let digits = BigInt(whole! + fraction);
  if (shift >= 0) digits *= 10n ** BigInt(shift);
  else {
    const divisor = 10n ** BigInt(-shift);
    if (digits % divisor !== 0n) return "fraction";
    digits /= divisor;
  }
  return sign === "-" ? -digits : digits;
}

const isoTime = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const unitDigits: Record<TimestampUnit, number> = { millis: 3, micros: 6 };

/** A timestamp: an RFC 3339 time with its zone (`2026-12-06T10:00:00.123456Z`), or a whole number of the column's unit since 1970 UTC. */
function timestampOf(value: unknown, unit: TimestampUnit): bigint | { problem: string } {
  if (typeof value === "number" || value instanceof ExactNumber) {
    const digits = int64Of(value, { kind: "int64" });
    return typeof digits === "bigint"
      ? digits
      : { problem: `${numberText(value)}, which is not a whole number of ${unit === "millis" ? "milliseconds" : "microseconds"}` };
  }
  if (typeof value !== "string") return { problem: wrong(value, { kind: "timestamp", unit }) };
  const match = isoTime.exec(value);
  if (!match) return { problem: `${JSON.stringify(clip(value))}, which is not a time with its zone, such as 2026-12-06T10:00:00.123Z` };
  const [, year, month, day, hour, minute, second, fraction = "", , sign, offsetHours, offsetMinutes] = match;
  const ms = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
  const date = new Date(ms);
  if (
    Number.isNaN(ms) ||
    date.getUTCDate() !== Number(day) ||
    date.getUTCMonth() !== Number(month) - 1 ||
    Number(hour) > 23 ||
    Number(minute) > 59 ||
    Number(second) > 59
  )
    return { problem: `${JSON.stringify(clip(value))}, which is not a date and time that exists` };
  const kept = unitDigits[unit];
  if (/[1-9]/.test(fraction.slice(kept)))
    return { problem: `${JSON.stringify(clip(value))}, which is more precise than the column's ${unit === "millis" ? "milliseconds" : "microseconds"}` };
  const offset = sign ? (sign === "-" ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000 : 0;
  const seconds = BigInt(ms - offset) / 1000n;
  return seconds * 10n ** BigInt(kept) + BigInt(fraction.slice(0, kept).padEnd(kept, "0"));
}

function dateOf(value: unknown): number | { problem: string } {
  const match = typeof value === "string" ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (!match)
    return { problem: `${typeof value === "string" ? JSON.stringify(clip(value)) : describe(value)}, where the column is a date (such as 2026-12-06)` };
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (new Date(ms).getUTCDate() !== Number(match[3]) || new Date(ms).getUTCMonth() !== Number(match[2]) - 1)
    return { problem: `${JSON.stringify(value)}, which is not a date that exists` };
  return ms / 86_400_000;
}

const clip = (text: string) => (text.length > 64 ? `${text.slice(0, 61)}…` : text);

/**
 * A JSON value's text, or why it has none: JSON.stringify recurses, and JSON nested some ten
 * thousand levels deep (which JSON.parse reads) overflows its stack.
 */
export function jsonTextOf(value: unknown): string | { problem: string } {
  try {
    return jsonText(value);
  } catch (error) {
    if (error instanceof RangeError) return { problem: "JSON nested too deeply to keep as text" };
    throw error;
  }
}

/** JSON.rawJSON (ES2026, in Node 21 on; not yet in TypeScript's lib): a value JSON.stringify writes as the text given. */
const rawJson = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;

/** A JSON value's text, its numbers exact. Throws `Inexact` for a plain-parsed number a double may have changed. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item instanceof ExactNumber) return rawJson(item.source);
    if (typeof item === "number" && !Number.isSafeInteger(item) && significantDigits(String(item)) > 15) throw new Inexact();
    return item;
  });
}

/**
 * Why `value` (a parsed line) does not fit `columns`, or undefined when it does. Every column may
 * be null or absent; a field the columns lack does not fit (it is never dropped silently).
 */
export function misfitOf(value: unknown, columns: readonly Column[]): Misfit | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value) || value instanceof ExactNumber)
    return { path: "", problem: `${describe(value)}, where an event must be a JSON object` };
  return structMisfit(value as Record<string, unknown>, columns, []);
}

function structMisfit(object: Record<string, unknown>, columns: readonly Column[], path: string[]): Misfit | undefined {
  for (const name in object) {
    const column = columns.find((candidate) => candidate.name === name);
    const at = [...path, name];
    if (!column) return { path: at.join("."), problem: `a field the columns do not have`, newField: { path: at, value: object[name] } };
    const misfit = valueMisfit(object[name], column.type, at);
    if (misfit) return misfit;
  }
  return undefined;
}

function valueMisfit(value: unknown, type: ColumnType, path: string[]): Misfit | undefined {
  if (value === null || value === undefined) return undefined;
  const at = () => path.join(".");
  switch (type.kind) {
    case "struct":
      if (typeof value !== "object" || Array.isArray(value) || value instanceof ExactNumber) return { path: at(), problem: wrong(value, type) };
      return structMisfit(value as Record<string, unknown>, type.fields, path);
    case "list": {
      if (!Array.isArray(value)) return { path: at(), problem: wrong(value, type) };
      const items = [...path.slice(0, -1), `${path.at(-1) ?? ""}[]`];
      for (const item of value) {
        const misfit = valueMisfit(item, type.items, items);
        if (misfit) return misfit;
      }
      return undefined;
    }
    case "map": {
      if (typeof value !== "object" || Array.isArray(value) || value instanceof ExactNumber) return { path: at(), problem: wrong(value, type) };
      const values = [...path.slice(0, -1), `${path.at(-1) ?? ""}{}`];
      for (const item of Object.values(value)) {
        const misfit = valueMisfit(item, type.values, values);
        if (misfit) return misfit;
      }
      return undefined;
    }
    default: {
      const leaf = leafValue(type, value);
      return typeof leaf === "object" ? { path: at(), problem: leaf.problem } : undefined;
    }
  }
}

/**
 * `text` parsed and made a row by `rowOf`: plainly when that is exact, else again keeping every
 * number's own digits (rowOf meets such a number by throwing `Inexact`).
 */
export function readRow<T>(text: string, rowOf: (line: unknown) => T): T {
  try {
    return rowOf(parseLine(text));
  } catch (error) {
    if (!(error instanceof Inexact)) throw error;
  }
  return rowOf(parseExact(text));
}

/** Whether a parsed number is `n`, read plainly or exactly. */
export const isNumber = (value: unknown, n: number) => value === n || (value instanceof ExactNumber && Number(value.source) === n);
