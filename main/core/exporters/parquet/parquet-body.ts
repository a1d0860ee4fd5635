// A Parquet file from a batch's event lines, written by Apache arrow-rs compiled to WebAssembly
// (parquet-wasm; why this writer: docs/research/parquet-writer.md). The lines are read back from
// the spool a piece at a time and laid out a row group at a time, so a worker holds one row group,
// never the file's rows.
//
// The bytes are a pure function of the lines and the shape: row groups are cut by rules of our own
// (a row count and the lines' bytes), each fed to the writer as one record batch that it flushes
// whole, and the codecs live inside the wasm, so neither Node's zlib nor how Kafka's fetches fell
// can change them. parquet-rules.ts names these rules. Loaded only where Parquet is written
// (file-format.ts and validation.ts import it when they need it): Arrow and the wasm cost a
// process 30 MiB and 100 ms.
import { tableToIPC, Table as ArrowTable, type RecordBatch } from "apache-arrow";
import {
  Compression as WasmCompression,
  Table as WasmTable,
  transformParquetStream,
  writeParquet,
  WriterPropertiesBuilder,
  WriterVersion,
  type WriterProperties,
} from "parquet-wasm";
import type { ParquetCompression } from "../../../../common/record-format.js";
import { isSpooled, openBody, type FileBody } from "../../stores/file-body.js";
import { RowGroupBuilder } from "./arrow-columns.js";
import { readRow } from "./column-values.js";
import { groupLineBytes, groupRows, knownParquetWriters, parquetWriter } from "./parquet-rules.js";
import type { ParquetTable } from "./parquet-table.js";

const codecs: Record<ParquetCompression, WasmCompression> = {
  zstd: WasmCompression.ZSTD,
  snappy: WasmCompression.SNAPPY,
  gzip: WasmCompression.GZIP,
  none: WasmCompression.UNCOMPRESSED,
};

function writerProperties(compression: ParquetCompression, writer: number): WriterProperties {
  return (
    new WriterPropertiesBuilder()
      .setWriterVersion(WriterVersion.V1)
      .setCompression(codecs[compression])
      // Never the app's version: a re-created file must be the same bytes after an upgrade that kept the rules.
      .setCreatedBy(`streamdrop parquet writer ${writer} (parquet-wasm 0.8.0)`)
      .setMaxRowGroupSize(groupRows)
      // Flush after every batch fed: each of our row groups is exactly one of the file's.
      .setMaxRowGroupBytes(1)
      .build()
  );
}

/** The body's lines, one at a time, as text (a spooled body is read a piece at a time). */
async function* linesOf(body: FileBody): AsyncGenerator<string> {
  const pieces: AsyncIterable<Buffer> | Iterable<Buffer> = isSpooled(body) ? openBody(body) : [body];
  let rest: Buffer | undefined;
  for await (const piece of pieces) {
    const bytes = rest ? Buffer.concat([rest, piece]) : piece;
    let from = 0;
    for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, from)) {
      yield bytes.toString("utf8", from, at);
      from = at + 1;
    }
    rest = from < bytes.length ? Buffer.from(bytes.subarray(from)) : undefined;
  }
  if (rest) yield rest.toString("utf8");
}

/** Row groups of the lines, each an Arrow record batch. */
async function* rowGroups(body: FileBody, table: ParquetTable): AsyncGenerator<RecordBatch> {
  const group = new RowGroupBuilder(table.columns);
  let bytes = 0;
  for await (const line of linesOf(body)) {
    const read = readRow(line, table.rowOf);
    // Checked as the record joined the batch: a line that no longer fits is a fault of ours, not the record's.
    if ("misfit" in read) throw new Error(`a line checked into the batch does not fit its columns: ${read.misfit.path} ${read.misfit.problem}`);
    group.append(read.row);
    bytes += Buffer.byteLength(line) + 1;
    if (group.rows >= groupRows || bytes >= groupLineBytes) {
      yield group.take();
      bytes = 0;
    }
  }
  if (group.rows > 0) yield group.take();
}

/** The Parquet file of `body`'s event lines, for `table`, compressed with `compression`. */
export async function parquetBody(body: FileBody, table: ParquetTable, compression: ParquetCompression, writer = parquetWriter): Promise<Buffer> {
  if (!knownParquetWriters.includes(writer)) throw new Error(`Parquet writer rules ${writer} are not known to this version`);
  const groups = rowGroups(body, table);
  // The wasm sees a failed pull only as "Dyn casting error": the failure itself is kept to be thrown.
  let failure: unknown;
  const input = new ReadableStream({
    async pull(controller) {
      try {
        const next = await groups.next();
        if (next.done) controller.close();
        // Into the wasm as Arrow IPC: one copy of one row group.
        else controller.enqueue(WasmTable.fromIPCStream(tableToIPC(new ArrowTable(next.value), "stream")).recordBatch(0));
      } catch (error) {
        failure ??= error;
        controller.error(error);
      }
    },
  });
  const chunks: Uint8Array[] = [];
  try {
    const output = await transformParquetStream(input, writerProperties(compression, writer));
    for await (const chunk of output as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  } catch (error) {
    throw failure ?? error;
  }
  if (failure) throw failure;
  return Buffer.concat(chunks);
}

/**
 * A Parquet file of no rows and one column: the validation file a Parquet exporter writes (its
 * name starts with a dot and holds no batch file's time, so no table definition reads it).
 */
export function emptyParquetFile(): Buffer {
  const empty = new ArrowTable(new RowGroupBuilder([{ name: "streamdrop_validation", type: { kind: "string" } }]).take());
  return Buffer.from(writeParquet(WasmTable.fromIPCStream(tableToIPC(empty, "stream")), writerProperties("none", parquetWriter)));
}
