// Values in the Confluent wire format, decoded to JSON text with their writer's schema. Reading a
// record must stay synchronous (a batch is gathered in one pass), so the schemas a fetch needs are
// fetched and compiled first (`prepare`), once per id: a schema never changes once registered, so
// a line stays a pure function of its record, and a re-created file is the same file.
import type avro from "avsc";
import { avroType, compileJson } from "./avro-json.js";
import type { Column } from "../../../common/table-columns.js";
import { descriptorOf, messageIndexesOf, protobufReader } from "./protobuf-json.js";
import { RegistryError, type RegisteredSchema, type SchemaReference } from "./registry-client.js";
import { writerColumns } from "./schema-columns.js";
import { parseWire } from "./wire-format.js";

/** What the decoder needs of a registry (registry-client.ts; a fake in unit tests). */
export interface SchemaSource {
  schema(id: number): Promise<RegisteredSchema>;
  version(subject: string, version: number): Promise<RegisteredSchema>;
  /** A Protobuf file as its descriptor, where the registry can give it (registry-client.ts). */
  serialized?(id: number): Promise<string>;
  serializedVersion?(subject: string, version: number): Promise<string>;
}

export type Decoded =
  /** Not in the wire format: the value as it is. */
  | { kind: "plain" }
  /** One line of JSON, as this decoder writes it (exact numbers, no duplicate names, U+2028 escaped). */
  | { kind: "json"; schemaId: number; text: string }
  /** A JSON Schema value: the JSON its producer wrote, to be checked as any JSON value is. */
  | { kind: "payload"; schemaId: number; bytes: Buffer }
  /** In the wire format, but not decodable: the record goes to the -invalid file with the reason (a phrase, as lines' reasons are). */
  | { kind: "invalid"; schemaId: number; reason: string };

/** A schema ready to decode with (and the writer's schema it came from, for its columns), or why none can be. */
type Compiled = (({ decode: (payload: Buffer) => string } | { payload: true }) & { writer: Writer }) | { reason: string };

/** A writer's schema as compiled: the schema and the schemas it imports, dependencies first (for Protobuf, as read: descriptors where the registry gives them). */
interface Writer {
  schema: RegisteredSchema;
  imports: RegisteredSchema[];
}

/**
 * The columns a decoded value's writer schema gives (schema-columns.ts), as the group of a file's
 * events written with them: named by the schema id, and for Protobuf the message indexes when
 * they are not the first message's (`12-1-0`). Or why the value cannot be a row of columns.
 */
export type WriterColumns = { group: { name: string; columns: Column[] } } | { problem: string };

/** Schemas kept compiled; a topic uses a handful, garbage values may name many unknown ids. */
const keptSchemas = 1000;

export class SchemaDecoder {
  private readonly compiled = new Map<number, Compiled>();
  /** Columns by group name: a schema's never change, so they are made once per writer schema and message. */
  private readonly columns = new Map<string, WriterColumns>();

  constructor(
    private readonly source: SchemaSource,
    private readonly kept = keptSchemas,
  ) {}

  /**
   * Makes ready the schemas of the wire-format values among `values`. An id the registry does
   * not know makes those records invalid; a registry that is unreachable or refuses throws (the
   * batch waits for it, or a person).
   */
  async prepareValues(values: Iterable<Buffer | null>): Promise<void> {
    const ids: number[] = [];
    for (const value of values) {
      const wire = parseWire(value);
      if (wire) ids.push(wire.schemaId);
    }
    await this.prepare(ids);
  }

  /** Makes ready the schemas these ids name (see prepareValues). */
  async prepare(ids: Iterable<number>): Promise<void> {
    const needed = new Set(ids);
    for (const id of needed) {
      const known = this.compiled.get(id);
      // Least recently used first: what this entry needs moves to the end.
      this.compiled.delete(id);
      this.compiled.set(id, known ?? (await this.compile(id)));
    }
    // The least recently used go first, never one this entry needs: decode must find them all.
    for (const id of this.compiled.keys()) {
      if (this.compiled.size <= Math.max(this.kept, needed.size)) break;
      if (!needed.has(id)) this.compiled.delete(id);
    }
  }

  /** The value decoded; its schema must have been prepared. */
  decode(value: Buffer | null): Decoded {
    const wire = parseWire(value);
    if (!wire) return { kind: "plain" };
    const compiled = this.compiled.get(wire.schemaId);
    if (!compiled) throw new Error(`schema id ${wire.schemaId} was not prepared`);
    if ("reason" in compiled) return { kind: "invalid", schemaId: wire.schemaId, reason: compiled.reason };
    if ("payload" in compiled) return { kind: "payload", schemaId: wire.schemaId, bytes: wire.payload };
    try {
      return { kind: "json", schemaId: wire.schemaId, text: compiled.decode(wire.payload) };
    } catch (error) {
      return { kind: "invalid", schemaId: wire.schemaId, reason: `the bytes do not decode with schema id ${wire.schemaId} (${(error as Error).message})` };
    }
  }

  /** The columns of the writer schema `value` was decoded with; its schema must have been prepared. */
  writerColumns(value: Buffer | null): WriterColumns {
    const wire = parseWire(value);
    if (!wire) return { problem: "the value is not in the Schema Registry's wire format, and this file's columns are those of each value's registered schema" };
    let indexes = [0];
    try {
      if (this.writerOf(wire.schemaId)?.schema.schemaType === "PROTOBUF") indexes = messageIndexesOf(wire.payload);
    } catch (error) {
      return { problem: `its Protobuf message indexes cannot be read (${(error as Error).message})` };
    }
    return this.columnsOf(wire.schemaId, indexes);
  }

  /**
   * The columns of schema `id` (for Protobuf, of the message `indexes` name), as its values' files
   * have them; it must have been prepared. Table definitions ask this too, so a table declares
   * exactly the columns the files hold.
   */
  columnsOf(id: number, indexes: readonly number[]): WriterColumns {
    const compiled = this.compiled.get(id);
    if (!compiled) throw new Error(`schema id ${id} was not prepared`);
    if ("reason" in compiled) return { problem: compiled.reason };
    const { schema, imports } = compiled.writer;
    const name = indexes.length === 1 && indexes[0] === 0 ? `${id}` : `${id}-${indexes.join("-")}`;
    let known = this.columns.get(name);
    if (!known) {
      const columns = writerColumns(schema, imports, indexes);
      known = typeof columns === "string" ? { problem: columns } : { group: { name, columns } };
      if (this.columns.size >= this.kept) this.columns.clear();
      this.columns.set(name, known);
    }
    return known;
  }

  private writerOf(id: number): Writer | undefined {
    const compiled = this.compiled.get(id);
    return compiled && "writer" in compiled ? compiled.writer : undefined;
  }

  private async compile(id: number): Promise<Compiled> {
    let registered: RegisteredSchema;
    try {
      registered = await this.source.schema(id);
    } catch (error) {
      if (error instanceof RegistryError && error.failure === "unknown") return { reason: `the Schema Registry does not know schema id ${id}` };
      throw error;
    }
    switch (registered.schemaType) {
      case "AVRO":
        return this.compileAvro(registered);
      case "JSON":
        // The payload is the JSON document itself; what it references gives its columns' types.
        return this.compileJsonSchema(registered);
      case "PROTOBUF":
        return this.compileProtobuf(registered);
    }
  }

  private async compileAvro(registered: RegisteredSchema): Promise<Compiled> {
    try {
      // Named types from referenced schemas first, so the schema can use them by name.
      const registry: Record<string, avro.Type> = {};
      const imports = await referencedSchemas(this.source, registered.references);
      for (const reference of imports) avroType(JSON.parse(reference.schema), registry);
      const type = avroType(JSON.parse(registered.schema), registry);
      const write = compileJson(type);
      return { decode: (payload) => write(type.fromBuffer(payload)), writer: { schema: registered, imports } };
    } catch (error) {
      if (error instanceof RegistryError && error.failure !== "unknown") throw error;
      return { reason: `schema id ${registered.id} cannot be read as Avro (${(error as Error).message})` };
    }
  }

  private async compileJsonSchema(registered: RegisteredSchema): Promise<Compiled> {
    try {
      return { payload: true, writer: { schema: registered, imports: await referencedSchemas(this.source, registered.references) } };
    } catch (error) {
      if (error instanceof RegistryError && error.failure !== "unknown") throw error;
      return { reason: `schema id ${registered.id}'s references cannot be read (${(error as Error).message})` };
    }
  }

  private async compileProtobuf(registered: RegisteredSchema): Promise<Compiled> {
    try {
      // Its imports (other files, by reference) first: the well-known types come with the reader.
      const imports = await referencedSchemas(this.source, registered.references);
      const files = [...imports, registered];
      // .proto text (Confluent's registry answers with it by default) numbers nested messages
      // without the map entries producers count: its descriptor instead, where the registry gives it.
      if (files.some((file) => descriptorOf(file.schema) === undefined) && this.source.serialized && this.source.serializedVersion) {
        const serialized = await Promise.all([
          ...imports.map((file) => (file.subject && file.version !== undefined ? this.source.serializedVersion!(file.subject, file.version) : file.schema)),
          this.source.serialized(registered.id),
        ]);
        if (serialized.every((schema) => descriptorOf(schema) !== undefined)) {
          const read = files.map((file, index) => ({ ...file, schema: serialized[index]! }));
          return { decode: protobufReader(serialized), writer: { schema: read.at(-1)!, imports: read.slice(0, -1) } };
        }
      }
      return { decode: protobufReader(files.map((file) => file.schema)), writer: { schema: registered, imports } };
    } catch (error) {
      if (error instanceof RegistryError && error.failure !== "unknown") throw error;
      return { reason: `schema id ${registered.id} cannot be read as Protobuf (${(error as Error).message})` };
    }
  }
}

/** Every schema `references` reach, dependencies before what depends on them. */
export async function referencedSchemas(source: SchemaSource, references: SchemaReference[], seen = new Set<string>()): Promise<RegisteredSchema[]> {
  const ordered: RegisteredSchema[] = [];
  for (const reference of references) {
    const key = `${reference.subject}/${reference.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const schema = await source.version(reference.subject, reference.version);
    ordered.push(...(await referencedSchemas(source, schema.references, seen)), schema);
  }
  return ordered;
}
