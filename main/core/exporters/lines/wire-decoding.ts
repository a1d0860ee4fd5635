// Keys and values in a Schema Registry's wire format, as a batch's lines decode them. Lines are
// made synchronously, a fetched entry at a time, so the schemas an entry names are made ready
// first (asynchronously, once per id: the registry's answer for an id never changes); a
// registry that cannot be reached is waited for with backoff, one that refuses needs a person.
import { isBatchEntry, type FetchedEntry } from "../../streams/fetch-response.js";
import { forEachRecord } from "../../streams/record-batch.js";
import { RegistryError } from "../../schemas/registry-client.js";
import type { Decoded, SchemaDecoder, WriterColumns } from "../../schemas/schema-decoder.js";
import { parseWire, wireHeaderBytes } from "../../schemas/wire-format.js";
import { withBackoff, type RetryPolicy } from "../backoff.js";
import { NeedsPersonError } from "../needs-person.js";
import { madeOnce } from "../../made-once.js";

export type { Decoded, WriterColumns };

/** What a batch needs to decode wire-format keys and values (schemas/schema-decoder.ts, wrapped by `registryDecoding`). */
export interface WireDecoder {
  /** Makes ready the schemas these ids name. */
  prepare(ids: Iterable<number>): Promise<void>;
  /** The bytes decoded, synchronously: a schema they name must have been prepared. */
  decode(bytes: Buffer | null): Decoded;
  /** The columns of the writer schema a decoded value names (a Parquet file's per schema); prepared as for decode. */
  writerColumns(value: Buffer | null): WriterColumns;
  /** The columns of schema `id`'s values (of the Protobuf message `indexes` name); prepared as for decode. */
  columnsOf(id: number, indexes: readonly number[]): WriterColumns;
}

/**
 * The schema ids the values (and, with `keys`, the keys) of `entry` name, from offset `from` on;
 * a cheap pass over their first bytes. Keys only when lines hold them: a binary key that happens
 * to start with a 0 byte (a big-endian long) would name an id for nothing.
 */
export function wireSchemaIds(entry: FetchedEntry, from: number, keys: boolean): Set<number> {
  const ids = new Set<number>();
  if (!isBatchEntry(entry)) {
    for (const bytes of keys ? [entry.key, entry.value] : [entry.value]) {
      const wire = Number(entry.offset) >= from ? parseWire(bytes ?? null) : undefined;
      if (wire) ids.add(wire.schemaId);
    }
    return ids;
  }
  forEachRecord(entry.recordBatch, from, (record) => {
    const { buffer } = record;
    if (keys && record.keyLength >= wireHeaderBytes && buffer[record.keyStart] === 0) ids.add(buffer.readUInt32BE(record.keyStart + 1));
    if (record.valueLength >= wireHeaderBytes && buffer[record.valueStart] === 0) ids.add(buffer.readUInt32BE(record.valueStart + 1));
  });
  return ids;
}

/**
 * The worker's decoder: schemas prepared through `retry` while the registry is unreachable (the
 * status says retrying, and why); refused credentials stop the worker with the cause named.
 */
export function registryDecoding(decoder: SchemaDecoder, retry: RetryPolicy): WireDecoder {
  return {
    prepare: (ids) =>
      withBackoff(
        () => decoder.prepare(ids),
        // Its messages say what is wrong and what to do: the credentials, or an address that is no registry's.
        (error) =>
          error instanceof RegistryError && (error.failure === "refused" || error.failure === "not-a-registry")
            ? new NeedsPersonError("registry-refused", error.message, { cause: error })
            : undefined,
        retry,
      ),
    decode: (bytes) => decoder.decode(bytes),
    writerColumns: (value) => decoder.writerColumns(value),
    columnsOf: (id, indexes) => decoder.columnsOf(id, indexes),
  };
}

/**
 * The decoder `make` gives, made by the first `prepare`: what it loads (the worker's Schema
 * Registry decoder, over avsc and protobufjs) waits for the first fetch to decode. Every decode
 * follows a prepare (a batch prepares each entry before adding it), so the others find it made;
 * a make that failed fails that prepare, and the next one makes it again.
 */
export function madeOnPrepare(make: () => Promise<WireDecoder>): WireDecoder {
  const decoder = madeOnce(make);
  const ready = (): WireDecoder => {
    if (!decoder.made) throw new Error("the wire decoder was used before any prepare");
    return decoder.made;
  };
  return {
    prepare: async (ids) => (await decoder.get()).prepare(ids),
    decode: (bytes) => ready().decode(bytes),
    writerColumns: (value) => ready().writerColumns(value),
    columnsOf: (id, indexes) => ready().columnsOf(id, indexes),
  };
}
