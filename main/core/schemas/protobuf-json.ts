// Protobuf values as faithful JSON: proto3's JSON mapping, but with the .proto field names (not
// lowerCamelCase), every field present with its default (so columns are stable; an unset message,
// oneof member or optional field is null), 64-bit integers as exact JSON numbers (the mapping's
// strings would make them text columns), enums by name, bytes base64, NaN and the infinities as
// strings, and the well-known types as the mapping has them: Timestamp as RFC 3339 UTC, Duration
// as "1.5s", wrappers as their value, Struct, Value and ListValue as JSON, FieldMask as a string.
// An Any is written as its type URL and its bytes (base64): its type is not in the schema.
//
// A schema reaches us as its file: a FileDescriptorProto in base64 (what Confluent's serializers
// register) or .proto text; its imports are other files (schema references), and the well-known
// types, which serializers do not register, come from protobufjs. A value names its message by
// indexes into the file's messages and their nested types, as the descriptor lists them (map
// entries included), so the descriptor is what numbers them.
import type Long from "long";
import protobuf from "protobufjs";
import descriptorExtension from "protobufjs/ext/descriptor/index.js";
import type { IDescriptorProto, IFileDescriptorProto } from "protobufjs/ext/descriptor.generated.js";
import { floatText, jsonString, timestampText } from "./json-text.js";

type Write = (value: unknown) => string;
type FileProto = IFileDescriptorProto;
type MessageProto = IDescriptorProto;

const { FileDescriptorProto } = descriptorExtension as unknown as { FileDescriptorProto: { decode(bytes: Uint8Array): FileProto } };
const fromDescriptor = (protobuf.Root as unknown as { fromDescriptor(set: { file: FileProto[] }, options: { keepCase: boolean }): protobuf.Root })
  .fromDescriptor;

const wellKnownNames = ["any", "duration", "empty", "field_mask", "struct", "timestamp", "wrappers"].map((name) => `google/protobuf/${name}.proto`);
let wellKnown: FileProto[] | undefined;

/** The well-known types, as protobufjs ships them, into `root`. */
function addWellKnown(root: protobuf.Root): void {
  for (const name of wellKnownNames) root.addJSON((protobuf.common.get(name) as { nested: protobuf.INamespace["nested"] }).nested!);
}

/** The well-known types' files, which Confluent's serializers do not register (skip.known.types). */
function wellKnownFiles(): FileProto[] {
  if (wellKnown) return wellKnown;
  const root = new protobuf.Root();
  addWellKnown(root);
  root.resolveAll();
  wellKnown = (root as unknown as { toDescriptor(edition: string): { file: FileProto[] } }).toDescriptor("proto3").file;
  return wellKnown;
}

/** A schema's file: a FileDescriptorProto in base64, or undefined when the schema is .proto text. */
export function descriptorOf(schema: string): FileProto | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(schema.trim())) return undefined;
  try {
    const file = FileDescriptorProto.decode(Buffer.from(schema.trim(), "base64"));
    return file.name || (file.messageType?.length ?? 0) > 0 ? file : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A reader of the values of the last of `schemas` (the others are its imports, dependencies
 * first): payload (after the schema id) to JSON text. Throws when the files do not make a schema.
 */
export function protobufReader(schemas: string[]): (payload: Buffer) => string {
  const numbered = numberedRoot(schemas);
  const writers = new Map<string, { type: protobuf.Type; write: Write }>();
  const made = new Map<protobuf.Type, Write>();
  return (payload) => {
    const reader = protobuf.Reader.create(payload);
    const indexes = messageIndexes(reader);
    const key = indexes.join(".");
    let entry = writers.get(key);
    if (!entry) {
      const type = numbered.root.lookupType(numbered.nameOf(indexes));
      entry = { type, write: messageWriter(type, made) };
      writers.set(key, entry);
    }
    return entry.write(entry.type.decode(reader));
  };
}

/** The message type a value's `indexes` name in the last of `schemas` (what table columns are taken from). */
export function protobufMessage(schemas: string[], indexes: number[]): protobuf.Type {
  const numbered = numberedRoot(schemas);
  return numbered.root.lookupType(numbered.nameOf(indexes));
}

/** The message indexes at the start of a value's payload (after the schema id). */
export const messageIndexesOf = (payload: Buffer): number[] => messageIndexes(protobuf.Reader.create(payload));

function numberedRoot(schemas: string[]): NumberedRoot {
  const files = schemas.map((schema) => descriptorOf(schema));
  return files.every((file) => file !== undefined) ? protobufRoot(files as FileProto[]) : textRoot(schemas);
}

interface NumberedRoot {
  root: protobuf.Root;
  /** The full name of the message these indexes name in the main file. */
  nameOf(indexes: number[]): string;
}

function protobufRoot(files: FileProto[]): NumberedRoot {
  // Java's serializer registers the well-known files as references too: ours stand in for them (the same types, once).
  const imports = files.slice(0, -1).filter((file) => !wellKnownNames.includes(file.name ?? ""));
  const main = files.at(-1)!;
  const root = fromDescriptor({ file: [...wellKnownFiles(), ...imports, main] }, { keepCase: true });
  return {
    root,
    nameOf(indexes) {
      let names: string[] = main.package ? [main.package] : [];
      let messages: MessageProto[] = main.messageType ?? [];
      for (const index of indexes) {
        const message = messages[index];
        if (!message) throw new Error(`the value names message ${indexes.join(".")}, which the schema does not have`);
        names = [...names, message.name!];
        messages = message.nestedType ?? [];
      }
      return names.join(".");
    },
  };
}

/**
 * .proto text (as some registries return it): parsed by protobufjs. Its parse keeps the main
 * file's messages in order, but not the map entries a descriptor lists among nested messages, so
 * a nested message declared after a map field would be numbered one too low: text schemas are
 * numbered by their messages alone.
 */
function textRoot(schemas: string[]): NumberedRoot {
  const root = new protobuf.Root();
  addWellKnown(root);
  // A registered copy of a well-known file (Java's serializer registers them) would define its types twice.
  const imports = schemas.slice(0, -1).filter((schema) => !/^\s*package\s+google\.protobuf\s*;/m.test(schema));
  for (const schema of [...imports, schemas.at(-1)!]) protobuf.parse(schema, root, { keepCase: true });
  root.resolveAll();
  // The main file alone, for the order of its own messages (the full root mixes in its imports').
  const own = new protobuf.Root();
  const parsed = protobuf.parse(schemas.at(-1)!, own, { keepCase: true });
  const messagesOf = (namespace: protobuf.ReflectionObject | null) =>
    ((namespace as protobuf.Namespace | null)?.nestedArray ?? []).filter((nested): nested is protobuf.Type => nested instanceof protobuf.Type);
  return {
    root,
    nameOf(indexes) {
      let messages = messagesOf(parsed.package ? own.lookup(parsed.package) : own);
      let type: protobuf.Type | undefined;
      for (const index of indexes) {
        type = messages[index];
        if (!type) throw new Error(`the value names message ${indexes.join(".")}, which the schema does not have`);
        messages = messagesOf(type);
      }
      return type!.fullName.slice(1);
    },
  };
}

/** Proto3's JSON writes 0, 3, 6 or 9 digits of a second's fraction: as few as hold it. */
const fractionDigits = (nanos: number) => (nanos === 0 ? 0 : nanos % 1_000_000 === 0 ? 3 : nanos % 1000 === 0 ? 6 : 9);

/** Confluent's message indexes: a zigzag count, then zigzag indexes; a lone 0 stands for [0], the first message. */
function messageIndexes(reader: protobuf.Reader): number[] {
  const count = reader.sint32();
  if (count === 0) return [0];
  if (count < 0 || count > 100) throw new Error(`the message indexes are malformed (a count of ${count})`);
  return Array.from({ length: count }, () => reader.sint32());
}

const wellKnownWriters: Record<string, (type: protobuf.Type, made: Map<protobuf.Type, Write>) => Write> = {
  ".google.protobuf.Timestamp": () => (value) => {
    const { seconds, nanos } = value as { seconds: Long | number; nanos: number };
    const digits = fractionDigits(nanos);
    return `"${timestampText(BigInt(String(seconds)) * 10n ** BigInt(digits) + BigInt(nanos) / 10n ** BigInt(9 - digits), digits)}Z"`;
  },
  ".google.protobuf.Duration": () => (value) => {
    const { seconds, nanos } = value as { seconds: Long | number; nanos: number };
    const total = BigInt(String(seconds)) * 1_000_000_000n + BigInt(nanos);
    const magnitude = total < 0n ? -total : total;
    const digits = fractionDigits(Number(magnitude % 1_000_000_000n));
    const fraction = (magnitude % 1_000_000_000n).toString().padStart(9, "0").slice(0, digits);
    return `"${total < 0n ? "-" : ""}${magnitude / 1_000_000_000n}${digits ? `.${fraction}` : ""}s"`;
  },
  ".google.protobuf.Struct": (type, made) => {
    const value = fieldWriter(type.fields.fields!, made);
    return (struct) =>
      `{${Object.entries((struct as { fields?: Record<string, unknown> }).fields ?? {}).map(([key, entry]) => `${jsonString(key)}:${value(entry)}`)}}`;
  },
  ".google.protobuf.ListValue": (type, made) => {
    const value = fieldWriter(type.fields.values!, made);
    return (list) => `[${((list as { values?: unknown[] }).values ?? []).map((entry) => value(entry)).join(",")}]`;
  },
  ".google.protobuf.Value": (type, made) => (value) => {
    const kind = (value as { kind?: string }).kind;
    if (kind === undefined || kind === "nullValue" || kind === "null_value") return "null";
    return fieldWriter(type.fields[kind]!, made)((value as Record<string, unknown>)[kind]);
  },
  ".google.protobuf.FieldMask": () => (value) => jsonString(((value as { paths?: string[] }).paths ?? []).join(",")),
  ".google.protobuf.Any": () => (value) => {
    const { type_url: url, value: bytes } = value as { type_url?: string; value?: Uint8Array };
    return `{"@type":${jsonString(url ?? "")},"value":"${Buffer.from(bytes ?? []).toString("base64")}"}`;
  },
  ".google.protobuf.Empty": () => () => "{}",
};
for (const wrapper of ["Double", "Float", "Int64", "UInt64", "Int32", "UInt32", "Bool", "String", "Bytes"]) {
  wellKnownWriters[`.google.protobuf.${wrapper}Value`] = (type, made) => {
    const write = fieldWriter(type.fields.value!, made);
    return (wrapped) => write((wrapped as { value: unknown }).value);
  };
}

/** The writer of a message type, compiled once; types that contain themselves reach it through `made`. */
function messageWriter(type: protobuf.Type, made: Map<protobuf.Type, Write>): Write {
  const known = made.get(type);
  if (known) return known;
  let write: Write = () => {
    throw new Error(`${type.fullName} is used before its writer is made`);
  };
  made.set(type, (value) => write(value));
  const special = wellKnownWriters[type.fullName];
  if (special) {
    write = special(type, made);
    return write;
  }
  const fields = type.fieldsArray.map((field) => ({
    name: field.name,
    key: `${jsonString(field.name)}:`,
    // Presence: a message, a oneof member or a proto3 optional unset is null; anything else has its default.
    present: field.resolvedType instanceof protobuf.Type || field.partOf !== null,
    write: field.map ? mapWriter(field as unknown as protobuf.MapField, made) : field.repeated ? listWriter(field, made) : fieldWriter(field, made),
  }));
  write = (value) => {
    const message = value as Record<string, unknown>;
    let text = "{";
    for (let i = 0; i < fields.length; i += 1) {
      const field = fields[i]!;
      const set = !field.present || Object.prototype.hasOwnProperty.call(message, field.name);
      text += (i === 0 ? "" : ",") + field.key + (set ? field.write(message[field.name]) : "null");
    }
    return `${text}}`;
  };
  return write;
}

function listWriter(field: protobuf.Field, made: Map<protobuf.Type, Write>): Write {
  const item = fieldWriter(field, made);
  return (value) => `[${((value as unknown[] | undefined) ?? []).map(item).join(",")}]`;
}

function mapWriter(field: protobuf.MapField, made: Map<protobuf.Type, Write>): Write {
  const entry = fieldWriter(field as unknown as protobuf.Field, made);
  // Map keys are strings in JSON; protobufjs keeps 64-bit keys as their bits in a string, turned back here.
  const key = /64$/.test(field.keyType)
    ? (raw: string) => longKey(raw, field.keyType.startsWith("u") || field.keyType.startsWith("fixed"))
    : (raw: string) => raw;
  return (value) =>
    `{${Object.entries((value as Record<string, unknown> | undefined) ?? {})
      .map(([raw, inner]) => `${jsonString(key(raw))}:${entry(inner)}`)
      .join(",")}}`;
}

function longKey(raw: string, unsigned: boolean): string {
  // protobufjs keys a 64-bit map by the value's 8 bytes as a string (with long.js installed, always);
  // 8 ASCII digits are such bytes too, not a number.
  if (raw.length !== 8) return raw;
  const { LongBits } = protobuf.util as unknown as { LongBits: { fromHash(hash: string): { toLong(unsigned: boolean): Long } } };
  return LongBits.fromHash(raw).toLong(unsigned).toString();
}

/** One value of a field (an element of a list, a map's value): scalars, enums and messages. */
function fieldWriter(field: protobuf.Field, made: Map<protobuf.Type, Write>): Write {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return (value) => (value === null || value === undefined ? "null" : messageWriter(resolved, made)(value));
  if (resolved instanceof protobuf.Enum) {
    const names = resolved.valuesById;
    // A value the schema does not name (written by a newer schema) stays its number.
    return (value) => (names[value as number] !== undefined ? jsonString(names[value as number]!) : String(value));
  }
  switch (field.type) {
    case "double":
      return (value) => floatText(value as number, false);
    case "float":
      return (value) => floatText(value as number, true);
    case "int64":
    case "uint64":
    case "sint64":
    case "fixed64":
    case "sfixed64":
      // Long from protobufjs (exact), or a number where it fits.
      return (value) => String(value);
    case "bool":
    case "int32":
    case "uint32":
    case "sint32":
    case "fixed32":
    case "sfixed32":
      return (value) => String(value);
    case "string":
      return (value) => jsonString(value as string);
    case "bytes":
      return (value) => `"${Buffer.from(value as Uint8Array).toString("base64")}"`;
    default:
      throw new Error(`the field ${field.name} has type ${field.type}, which has no JSON writer`);
  }
}
