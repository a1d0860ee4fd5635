// Avro values as faithful JSON (the mapping issue #33 sets): a writer compiled once per schema, from avsc's
// types, that turns a decoded value into its JSON text with no per-record look at type names.
// - records are objects, unions their bare value (no {"type": …} wrapper), enums their names,
//   maps objects, bytes and fixed base64;
// - longs are exact (avsc reads them as BigInt here), decimals JSON numbers with their exact digits
//   and scale (never base64, never through a double);
// - timestamp-millis and -micros are RFC 3339 UTC strings at their own precision (local-timestamp
//   without the zone), date is YYYY-MM-DD, time-millis and -micros HH:MM:SS.fff[fff], uuid a string;
// - NaN and the infinities are strings; a float is written with the fewest digits that read back
//   as the same 32-bit float.
import avro from "avsc";
import { floatText, jsonString, timestampText } from "./json-text.js";

type Write = (value: unknown) => string;

/** Avro's long as BigInt: every value exact. A new one per long (avsc ties a logical type to the instance it wraps). */
const exactLong = () =>
  avro.types.LongType.__with({
    fromBuffer: (buffer: Buffer) => buffer.readBigInt64LE(),
    toBuffer: (value: bigint) => {
      const buffer = Buffer.alloc(8);
      buffer.writeBigInt64LE(value);
      return buffer;
    },
    fromJSON: (json: unknown) => BigInt(json as string | number),
    toJSON: (value: bigint) => Number(value),
    isValid: (value: unknown) => typeof value === "bigint",
    compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
  });

/** Set while avsc builds a logical type's underlying type, which must be the exact long too. */
let buildingUnderlying = false;

/** The logical types written differently from their underlying type; the value passes through avsc unchanged. */
const logicalNames = [
  "decimal",
  "timestamp-millis",
  "timestamp-micros",
  "local-timestamp-millis",
  "local-timestamp-micros",
  "date",
  "time-millis",
  "time-micros",
  "uuid",
] as const;
type LogicalName = (typeof logicalNames)[number];

/** A logical type of ours, marked: the decoder writes it (and schema-columns.ts types its column) by `logical`. */
export class Marked extends avro.types.LogicalType {
  readonly logical: LogicalName;
  /** A decimal's, as the schema says them (unchecked: a column decides what it can keep). */
  readonly precision: unknown;
  readonly scale: number;
  constructor(schema: avro.Schema & { logicalType: LogicalName; precision?: unknown; scale?: number }, options?: unknown) {
    buildingUnderlying = true;
    try {
      super(schema, options);
    } finally {
      buildingUnderlying = false;
    }
    this.logical = schema.logicalType;
    this.precision = schema.precision;
    this.scale = schema.scale ?? 0;
  }
  protected override _fromValue(value: unknown): unknown {
    return value;
  }
  protected override _toValue(value: unknown): unknown {
    return value;
  }
}

const logicalTypes = Object.fromEntries(logicalNames.map((name) => [name, Marked])) as unknown as Record<
  string,
  new (schema: avro.Schema, options?: unknown) => avro.types.LogicalType
>;

/** avsc's type for a writer's schema: exact longs, unions wrapped (so each branch is known), logical types marked. */
export function avroType(schema: unknown, registry: Record<string, avro.Type> = {}): avro.Type {
  return avro.Type.forSchema(schema as avro.Schema, { wrapUnions: "always", logicalTypes, registry, typeHook: longHook });
}

/** Every long is the exact one; a long with a logical type of ours is first made that logical type. */
function longHook(schema: avro.Schema): avro.Type | undefined {
  const long = schema === "long" || (typeof schema === "object" && schema !== null && (schema as { type?: unknown }).type === "long");
  if (!long) return undefined;
  const logical = typeof schema === "object" ? (schema as { logicalType?: string }).logicalType : undefined;
  if (logical && !buildingUnderlying && (logicalNames as readonly string[]).includes(logical)) return undefined;
  return exactLong();
}

/** The writer of `type`'s values as JSON text. */
export function compileJson(type: avro.Type): Write {
  return writerOf(type, new Map());
}

function writerOf(type: avro.Type, made: Map<avro.Type, Write>): Write {
  const known = made.get(type);
  if (known) return known;
  // Records may refer to themselves: hand out a forward reference first.
  let write: Write = () => {
    throw new Error("unreachable");
  };
  made.set(type, (value) => write(value));
  write = build(type, made);
  made.set(type, write);
  return write;
}

function build(type: avro.Type, made: Map<avro.Type, Write>): Write {
  if (type instanceof Marked) return logicalWriter(type, writerOf(type.underlyingType, made));
  if (type instanceof avro.types.RecordType) {
    const fields = type.fields.map((field) => ({ name: field.name, key: `${JSON.stringify(field.name)}:`, write: writerOf(field.type, made) }));
    return (value) => {
      const record = value as Record<string, unknown>;
      let text = "{";
      for (let i = 0; i < fields.length; i += 1) text += (i === 0 ? "" : ",") + fields[i]!.key + fields[i]!.write(record[fields[i]!.name]);
      return `${text}}`;
    };
  }
  if (type instanceof avro.types.WrappedUnionType) {
    const branches = new Map(type.types.map((branch) => [branch.branchName!, writerOf(branch, made)]));
    return (value) => {
      if (value === null) return "null";
      const [name, inner] = Object.entries(value as Record<string, unknown>)[0]!;
      return branches.get(name)!(inner);
    };
  }
  if (type instanceof avro.types.ArrayType) {
    const item = writerOf(type.itemsType, made);
    return (value) => `[${(value as unknown[]).map(item).join(",")}]`;
  }
  if (type instanceof avro.types.MapType) {
    const entry = writerOf(type.valuesType as avro.Type, made);
    return (value) =>
      `{${Object.entries(value as Record<string, unknown>)
        .map(([key, inner]) => `${jsonString(key)}:${entry(inner)}`)
        .join(",")}}`;
  }
  switch (type.typeName) {
    case "null":
      return () => "null";
    case "boolean":
    case "int":
      return (value) => String(value);
    case "long":
    case "abstract:long":
      return (value) => (value as bigint).toString();
    case "float":
      return (value) => floatText(value as number, true);
    case "double":
      return (value) => floatText(value as number, false);
    case "string":
      return (value) => jsonString(value as string);
    case "enum":
      return (value) => JSON.stringify(value);
    case "bytes":
    case "fixed":
      return (value) => `"${(value as Buffer).toString("base64")}"`;
    default:
      throw new Error(`Avro type ${type.typeName} has no JSON writer`);
  }
}

function logicalWriter(type: Marked, underlying: Write): Write {
  switch (type.logical) {
    case "decimal":
      return (value) => decimalText(value as Buffer, type.scale);
    case "timestamp-millis":
      return (value) => `"${utcText(value as bigint, 3)}Z"`;
    case "timestamp-micros":
      return (value) => `"${utcText(value as bigint, 6)}Z"`;
    case "local-timestamp-millis":
      return (value) => `"${timestampText(BigInt(value as bigint), 3)}"`;
    case "local-timestamp-micros":
      return (value) => `"${timestampText(BigInt(value as bigint), 6)}"`;
    case "date":
      return (value) => `"${timestampText(BigInt(value as number) * 86_400n, 0).slice(0, 10)}"`;
    case "time-millis":
      return (value) => `"${timeText(BigInt(value as number), 3)}"`;
    case "time-micros":
      return (value) => `"${timeText(BigInt(value as bigint), 6)}"`;
    case "uuid":
      return underlying;
  }
}

/** A two's-complement big-endian unscaled value, with `scale` digits after the point: exact. */
export function decimalText(bytes: Buffer, scale: number): string {
  // Up to 6 bytes (48 bits) a double holds the unscaled value exactly: no BigInt on the common path.
  if (bytes.length > 0 && bytes.length <= 6) return scaledText(bytes.readIntBE(0, bytes.length), scale);
  let unscaled = 0n;
  for (const byte of bytes) unscaled = (unscaled << 8n) | BigInt(byte);
  if (bytes.length > 0 && (bytes[0]! & 0x80) !== 0) unscaled -= 1n << BigInt(bytes.length * 8);
  const sign = unscaled < 0n ? "-" : "";
  const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale + 1, "0");
  return scale === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** Time of day, `units` since midnight (10^-digits of a second each), as HH:MM:SS.f…. */
function timeText(units: bigint, digits: number): string {
  const perSecond = 10n ** BigInt(digits);
  const seconds = units / perSecond;
  const two = (n: bigint) => n.toString().padStart(2, "0");
  return `${two(seconds / 3600n)}:${two((seconds / 60n) % 60n)}:${two(seconds % 60n)}.${(units % perSecond).toString().padStart(digits, "0")}`;
}

/** An exact integer's digits with `scale` of them after the point. */
function scaledText(unscaled: number, scale: number): string {
  const sign = unscaled < 0 ? "-" : "";
  const digits = Math.abs(unscaled)
    .toString()
    .padStart(scale + 1, "0");
  return scale === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** Dates Date can show as YYYY (years 0 to 9999), in milliseconds: the range of the fast path. */
const [earliestMs, latestMs] = [-62_167_219_200_000, 253_402_300_799_999];

/**
 * `units` (10^-digits of a second) since the epoch as YYYY-MM-DDTHH:MM:SS.f…, through Date and
 * Numbers when they hold it exactly (nearly always), else through BigInt (json-text.ts).
 */
function utcText(units: bigint, digits: 3 | 6): string {
  const value = Number(units);
  const perMs = digits === 3 ? 1 : 1000;
  const ms = Math.floor(value / perMs);
  if (!Number.isSafeInteger(value) || ms < earliestMs || ms > latestMs) return timestampText(BigInt(units), digits);
  const iso = new Date(ms).toISOString();
  return digits === 3 ? iso.slice(0, 23) : `${iso.slice(0, 23)}${String(value - ms * perMs).padStart(3, "0")}`;
}
