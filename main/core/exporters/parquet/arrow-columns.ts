// Rows (parsed lines that fit their columns) laid out as Arrow columns, built by hand with
// `makeData`. apache-arrow's generic builders are about six times slower here, and they coerce a
// wrong value silently ('abc' to 0 in an int column); these take only what `leafValue` accepted.
import {
  Bool,
  Data,
  DateDay,
  Decimal,
  Field,
  Float64,
  Int32,
  Int64,
  List,
  makeData,
  Map_,
  RecordBatch,
  Schema,
  Struct,
  TimestampMicrosecond,
  TimestampMillisecond,
  Utf8,
  type DataType,
} from "apache-arrow";
import type { Column, ColumnType } from "../../../../common/table-columns.js";
import { leafValue, ownField, type LeafValue } from "./column-values.js";

/** One column's values as they arrive, row by row, then its Arrow data. */
interface ColumnBuilder {
  readonly type: DataType;
  append(value: unknown): void;
  finish(): Data;
}

/** Which entries are not null, as Arrow's validity bitmap. */
class Validity {
  private bits: number[] = [];
  length = 0;
  nulls = 0;

  push(valid: boolean): void {
    if (this.length % 8 === 0) this.bits.push(0);
    if (valid) this.bits[this.bits.length - 1]! |= 1 << (this.length % 8);
    else this.nulls += 1;
    this.length += 1;
  }

  bitmap(): Uint8Array {
    return Uint8Array.from(this.bits);
  }
}

/** A leaf's value, known to fit (checked when its record joined the batch). */
function fitting(type: ColumnType, value: unknown): LeafValue {
  const leaf = leafValue(type, value);
  if (typeof leaf === "object") throw new Error(`a value that was checked no longer fits: ${leaf.problem}`);
  return leaf;
}

const utf8 = new TextEncoder();

class StringBuilder implements ColumnBuilder {
  readonly type = new Utf8();
  private readonly validity = new Validity();
  private readonly offsets: number[] = [0];
  private bytes = new Uint8Array(1024);
  private used = 0;

  constructor(private readonly column: ColumnType) {}

  append(value: unknown): void {
    const valid = value !== null && value !== undefined;
    this.validity.push(valid);
    if (valid) {
      const text = fitting(this.column, value) as string;
      // UTF-8 takes at most 3 bytes per UTF-16 unit.
      if (this.used + text.length * 3 > this.bytes.length) this.grow(this.used + text.length * 3);
      this.used += utf8.encodeInto(text, this.bytes.subarray(this.used)).written;
    }
    this.offsets.push(this.used);
  }

  private grow(needed: number): void {
    const bigger = new Uint8Array(Math.max(needed, this.bytes.length * 2));
    bigger.set(this.bytes.subarray(0, this.used));
    this.bytes = bigger;
  }

  finish(): Data {
    return makeData({
      type: this.type,
      length: this.validity.length,
      nullCount: this.validity.nulls,
      nullBitmap: this.validity.bitmap(),
      valueOffsets: Int32Array.from(this.offsets),
      data: this.bytes.subarray(0, this.used),
    });
  }
}

/** Fixed-width leaves: booleans, int32, int64, doubles, timestamps, dates and decimals. */
class FixedBuilder implements ColumnBuilder {
  readonly type: DataType;
  private readonly validity = new Validity();
  private readonly values: LeafValue[] = [];

  constructor(private readonly column: ColumnType) {
    this.type = arrowLeafType(column);
  }

  append(value: unknown): void {
    const valid = value !== null && value !== undefined;
    this.validity.push(valid);
    this.values.push(valid ? fitting(this.column, value) : 0);
  }

  finish(): Data {
    const props = { type: this.type, length: this.validity.length, nullCount: this.validity.nulls, nullBitmap: this.validity.bitmap() };
    return makeData({ ...props, data: this.layout() } as Parameters<typeof makeData>[0]);
  }

  private layout(): Uint8Array | Int32Array | BigInt64Array | Float64Array | Uint32Array {
    const values = this.values;
    switch (this.column.kind) {
      case "boolean": {
        const bits = new Uint8Array(Math.ceil(values.length / 8));
        values.forEach((value, index) => {
          if (value === true) bits[index >> 3]! |= 1 << (index & 7);
        });
        return bits;
      }
      case "int32":
      case "date":
        return Int32Array.from(values as number[]);
      case "double":
        return Float64Array.from(values as number[]);
      case "int64":
      case "timestamp":
        return BigInt64Array.from(values.map((value) => (typeof value === "bigint" ? value : 0n)));
      case "decimal": {
        // Four little-endian 32-bit words per value: the unscaled digits in two's complement.
        const words = new Uint32Array(values.length * 4);
        values.forEach((value, index) => {
          let digits = BigInt.asUintN(128, typeof value === "bigint" ? value : 0n);
          for (let word = 0; word < 4; word++) {
            words[index * 4 + word] = Number(digits & 0xffff_ffffn);
            digits >>= 32n;
          }
        });
        return words;
      }
      default:
        throw new Error(`${this.column.kind} is not a fixed-width column`);
    }
  }
}

class StructBuilder implements ColumnBuilder {
  readonly type: Struct;
  private readonly validity = new Validity();
  private readonly children: Array<[string, ColumnBuilder]>;

  constructor(fields: readonly Column[]) {
    this.children = fields.map((field) => [field.name, builderOf(field.type)]);
    this.type = new Struct(this.children.map(([name, child]) => new Field(name, child.type, true)));
  }

  append(value: unknown): void {
    const object = value as Record<string, unknown> | null | undefined;
    const valid = object !== null && object !== undefined;
    this.validity.push(valid);
    for (const [name, child] of this.children) child.append(valid ? ownField(object, name) : null);
  }

  /** Appends a row's top-level columns (a record batch is a struct that is never null). */
  appendRow(row: Record<string, unknown>): void {
    this.append(row);
  }

  get length(): number {
    return this.validity.length;
  }

  finish(): Data<Struct> {
    return makeData({
      type: this.type,
      length: this.validity.length,
      nullCount: this.validity.nulls,
      nullBitmap: this.validity.bitmap(),
      children: this.children.map(([, child]) => child.finish()),
    });
  }
}

class ListBuilder implements ColumnBuilder {
  readonly type: List | Map_;
  private readonly validity = new Validity();
  private readonly offsets: number[] = [0];
  private readonly child: ColumnBuilder;
  private count = 0;

  constructor(private readonly column: Extract<ColumnType, { kind: "list" | "map" }>) {
    if (column.kind === "list") {
      this.child = builderOf(column.items);
      this.type = new List(new Field("element", this.child.type, true));
    } else {
      // A map's entries: a struct of a key that is never null and a value that may be.
      this.child = new StructBuilder([
        { name: "key", type: { kind: "string" } },
        { name: "value", type: column.values },
      ]);
      const entries = (this.child as StructBuilder).type;
      this.type = new Map_(new Field("entries", new Struct([new Field("key", new Utf8(), false), entries.children[1]!]), false));
    }
  }

  append(value: unknown): void {
    const valid = value !== null && value !== undefined;
    this.validity.push(valid);
    if (valid) {
      const items =
        this.column.kind === "list" ? (value as unknown[]) : Object.entries(value as Record<string, unknown>).map(([key, item]) => ({ key, value: item }));
      for (const item of items) this.child.append(item);
      this.count += items.length;
    }
    this.offsets.push(this.count);
  }

  finish(): Data {
    const child = this.child.finish();
    const props = {
      length: this.validity.length,
      nullCount: this.validity.nulls,
      nullBitmap: this.validity.bitmap(),
      valueOffsets: Int32Array.from(this.offsets),
    };
    if (this.type instanceof List) return makeData({ ...props, type: this.type, child });
    // The entries' key field is declared non-null: the struct's own type must say so too.
    const entries = makeData({ type: this.type.children[0]!.type, length: child.length, nullCount: 0, children: child.children });
    return makeData({ ...props, type: this.type, child: entries });
  }
}

function arrowLeafType(type: ColumnType): DataType {
  switch (type.kind) {
    case "boolean":
      return new Bool();
    case "int32":
      return new Int32();
    case "int64":
      return new Int64();
    case "double":
      return new Float64();
    case "date":
      return new DateDay();
    // The zone makes the Parquet type `isAdjustedToUTC`: without it readers see a local time.
    case "timestamp":
      return type.unit === "millis" ? new TimestampMillisecond("UTC") : new TimestampMicrosecond("UTC");
    case "decimal":
      return new Decimal(type.scale, type.precision, 128);
    default:
      throw new Error(`${type.kind} is not a fixed-width column`);
  }
}

function builderOf(type: ColumnType): ColumnBuilder {
  switch (type.kind) {
    case "string":
    case "json":
      return new StringBuilder(type);
    case "struct":
      return new StructBuilder(type.fields);
    case "list":
    case "map":
      return new ListBuilder(type);
    default:
      return new FixedBuilder(type);
  }
}

/** Rows gathered into one Arrow record batch (a Parquet row group) of `columns`. */
export class RowGroupBuilder {
  private builder: StructBuilder;

  constructor(private readonly columns: readonly Column[]) {
    this.builder = new StructBuilder(columns);
  }

  append(row: Record<string, unknown>): void {
    this.builder.appendRow(row);
  }

  get rows(): number {
    return this.builder.length;
  }

  /** The rows so far as a record batch; the builder starts empty again. */
  take(): RecordBatch {
    const data = this.builder.finish();
    const schema = new Schema(this.builder.type.children);
    this.builder = new StructBuilder(this.columns);
    return new RecordBatch(schema, data);
  }
}
