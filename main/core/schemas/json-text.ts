// JSON text for decoded values, shared by the Avro and Protobuf writers: strings that stay one line
// for every reader, floats as short as read back the same (NaN and the infinities as strings), and
// timestamps as RFC 3339 at the precision their type has.

/**
 * A JSON string that is one line for every reader: JSON allows U+2028 and U+2029 raw, but readers
 * that split lines on them (Python's splitlines) would cut the line there (as lines/jsonl.ts does).
 */
export function jsonString(text: string): string {
  const json = JSON.stringify(text);
  return /[\u2028\u2029]/.test(json) ? json.replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029") : json;
}

const floorDiv = (a: bigint, b: bigint) => (a >= 0n ? a / b : -((-a + b - 1n) / b));

/** `units` since the epoch (10^-digits of a second each) as YYYY-MM-DDTHH:MM:SS[.f…]. */
export function timestampText(units: bigint, digits: number): string {
  const perSecond = 10n ** BigInt(digits);
  const seconds = floorDiv(units, perSecond);
  const fraction = units - seconds * perSecond;
  // Years 0 to 9999 only: past them toISOString writes a six-digit year that no reader takes as a timestamp.
  if (seconds < -62_167_219_200n || seconds > 253_402_300_799n) throw new RangeError(`${units} is outside the years 0 to 9999 a timestamp is written in`);
  const date = new Date(Number(seconds) * 1000);
  const whole = date.toISOString().slice(0, 19);
  return digits === 0 ? whole : `${whole}.${fraction.toString().padStart(digits, "0")}`;
}

/** JSON has no NaN or infinities: they are written as strings. A float is as short as reads back the same. */
export function floatText(value: number, single: boolean): string {
  if (!Number.isFinite(value)) return `"${value}"`;
  if (!single) return JSON.stringify(value);
  for (let precision = 1; precision < 10; precision += 1) {
    const text = Number(value.toPrecision(precision));
    if (Math.fround(text) === value) return JSON.stringify(text);
  }
  return JSON.stringify(value);
}
