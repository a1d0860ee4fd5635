// A file's format: how records become its bytes, how the file is finished, and what its name ends
// with and its Content-Type says. The seam the Confluent S3 sink calls a RecordWriterProvider:
// the commit protocol and the file writer ask the format, and nothing outside it branches on which
// one it is. JSON Lines, plain or compressed, is the first; a columnar format comes in here.
import { compressionFormats } from "../../../../common/record-format.js";
import type { FileBody } from "../../stores/file-body.js";
import { Batch } from "./batch.js";
import { compressBody } from "./compression.js";
import type { FileShape } from "../file-shape.js";
import type { SpillTarget } from "./spills-and-sinks.js";
import type { WireDecoder } from "../lines/wire-decoding.js";

export interface FileFormat {
  /** What a stored file's name ends with: `.jsonl`, `.jsonl.gz`. */
  readonly suffix: string;
  readonly contentType: string;
  /** Whether the stored body is the gathered lines as they are (no finishing pass): a store that signs a body's hash can have it computed as the lines are spooled. */
  readonly bodyIsLines: boolean;
  /** Gathers records as the format's lines, spilling full chunks to `spill`; `decoder` when the shape decodes. */
  newBatch(topic: string, spill: SpillTarget, decoder?: WireDecoder): Batch;
  /** The body as stored, from the gathered lines (compressed off the main thread). */
  finish(lines: FileBody): Promise<FileBody>;
}

/** The format of files of this shape: the same shape gives the same bytes (a re-created file is identical). */
export function fileFormatOf(shape: FileShape): FileFormat {
  const { suffix, contentType } = compressionFormats[shape.compression];
  return {
    suffix,
    contentType,
    bodyIsLines: shape.compression === "none",
    newBatch: (topic, spill, decoder) => new Batch(shape.lines, topic, spill, shape.rules, decoder),
    finish: (lines) => compressBody(lines, shape.compression),
  };
}
