// A Parquet file's first rows as JSON lines, for the files view's preview: read by the same
// arrow-rs the writer is (parquet-wasm), each value written back as the JSON the line held where
// the type allows (timestamps as RFC 3339 UTC, decimals and 64-bit integers with every digit,
// dates as YYYY-MM-DD). Loaded only when a Parquet file is previewed.
import { tableFromIPC, TimeUnit, Type, type DataType, type Field } from "apache-arrow";
import { readParquet } from "parquet-wasm";

/** The first `limit` rows of a whole Parquet file, one JSON object per line. */
export function parquetRows(bytes: Uint8Array, limit: number): string[] {
  const table = tableFromIPC(readParquet(bytes, { limit }).intoIPCStream());
  const fields = table.schema.fields;
  const lines: string[] = [];
  for (let index = 0; index < Math.min(limit, table.numRows); index++) {
    const row = table.get(index) as unknown as Record<string, unknown>;
    lines.push(`{${fields.map((field) => `${JSON.stringify(field.name)}:${jsonOf(row[field.name], field.type)}`).join(",")}}`);
  }
  return lines;
}

/** A value of Arrow type `type` as JSON text. */
function jsonOf(value: unknown, type: DataType): string {
  if (value === null || value === undefined) return "null";
  switch (type.typeId) {
    case Type.Int:
    case Type.Float:
    case Type.Bool:
    case Type.Utf8:
      return typeof value === "bigint" ? value.toString() : JSON.stringify(value);
    case Type.Timestamp: {
      // Arrow JS gives any timestamp as float milliseconds: a preview's microseconds come from
      // rounding it, exact for times of this era (a double's spacing there is under half a microsecond).
      const millis = (type as unknown as { unit: TimeUnit }).unit === TimeUnit.MILLISECOND;
      return JSON.stringify(timeText(BigInt(Math.round(Number(value) * 1000)), millis));
    }
    case Type.Date:
      return JSON.stringify(new Date(Number(value)).toISOString().slice(0, 10));
    case Type.Decimal:
      // Its text is the unscaled digits; the scale places the point.
      return decimalText(String(value), (type as unknown as { scale: number }).scale);
    case Type.Struct: {
      const record = value as Record<string, unknown>;
      return `{${(type.children as Field[]).map((field) => `${JSON.stringify(field.name)}:${jsonOf(record[field.name], field.type)}`).join(",")}}`;
    }
    case Type.List: {
      const element = (type.children as Field[])[0]!.type;
      return `[${[...(value as Iterable<unknown>)].map((item) => jsonOf(item, element)).join(",")}]`;
    }
    case Type.Map: {
      const entry = (type.children as Field[])[0]!.type;
      const valueType = (entry.children as Field[])[1]!.type;
      return `{${[...(value as Iterable<[string, unknown]>)].map(([key, item]) => `${JSON.stringify(key)}:${jsonOf(item, valueType)}`).join(",")}}`;
    }
    default:
      return JSON.stringify(String(value));
  }
}

/** An RFC 3339 UTC time from microseconds since 1970, to the millisecond or the microsecond. */
function timeText(micros: bigint, millis: boolean): string {
  const ms = Number(micros / 1000n - (micros % 1000n < 0n ? 1n : 0n));
  const rest = ((micros % 1000n) + 1000n) % 1000n;
  const base = new Date(ms).toISOString(); // …THH:mm:ss.sssZ
  return millis ? base : `${base.slice(0, -1)}${rest.toString().padStart(3, "0")}Z`;
}

/** A decimal's unscaled digits (`-12345`) with `scale` of them after the point (`-123.45`). */
function decimalText(unscaled: string, scale: number): string {
  const negative = unscaled.startsWith("-");
  const digits = (negative ? unscaled.slice(1) : unscaled).padStart(scale + 1, "0");
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return `${negative ? "-" : ""}${text}`;
}
