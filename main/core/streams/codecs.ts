// Kafka's compression codecs for kafkajs, which ships gzip only and crash-loops on any other batch.
// Topics carry whatever their producers (or the topic's `compression.type`) chose, often several
// in one partition, so every codec is registered before any client is built; the exporter, the
// recovery range reader and the topic check all read through the same kafkajs clients.
//
// The libraries, and why (the app runs them under Electron's Node, the CLI under plain Node):
// - snappy: `snappy` (napi-rs): N-API, so one binary serves every Node and Electron ABI with no
//   rebuild; prebuilt per platform as npm packages, well kept. Kafka carries two framings: Java's
//   client writes xerial's SnappyOutputStream framing, librdkafka writes one raw block; both read.
// - lz4: read by our own decoder (lz4-frame.ts, its blocks in WebAssembly), which keeps its memory
//   from batch to batch; `lz4-napi` (napi-rs, lz4_flex) writes frames (the simulator, tests), N-API
//   for the same reason as snappy.
// - zstd: Node's own zlib (libzstd, native; Node 24 everywhere, as in Electron 45).
// snappy and lz4-napi load on their first use: a worker whose topic has none never holds their
// native libraries (6 MiB resident, docs/BENCHMARKS.md).
import { createRequire } from "node:module";
import zlib from "node:zlib";
import kafkajs from "kafkajs";
import { codecNames, type CodecName } from "../../../common/topic-check.js";
import { lz4DecompressFrame } from "./lz4-frame.js";
import { skippableFrameEnd } from "./skippable-frame.js";
import { freeBuffer } from "../free-buffer.js";

const { CompressionCodecs, CompressionTypes } = kafkajs;

const load = createRequire(import.meta.url);
let snappyModule: typeof import("snappy") | undefined;
let lz4Module: typeof import("lz4-napi") | undefined;
const snappy = () => (snappyModule ??= load("snappy") as typeof import("snappy"));
const lz4 = () => (lz4Module ??= load("lz4-napi") as typeof import("lz4-napi"));

export { codecNames, type CodecName };

/** Xerial's SnappyOutputStream header: magic, then version and compatible version (int32 each). */
const xerialMagic = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const xerialHeaderBytes = xerialMagic.length + 8;

export function snappyDecompress(buffer: Buffer): Buffer {
  if (buffer.length < xerialHeaderBytes || !buffer.subarray(0, xerialMagic.length).equals(xerialMagic)) {
    return asBuffer(snappy().uncompressSync(buffer, { asBuffer: true }));
  }
  // Xerial framing: after the header, blocks of [int32 big-endian length][raw snappy block].
  const blocks: Buffer[] = [];
  let at = xerialHeaderBytes;
  while (at < buffer.length) {
    if (at + 4 > buffer.length) throw new Error("truncated xerial snappy block header");
    const length = buffer.readInt32BE(at);
    at += 4;
    if (length < 0 || at + length > buffer.length) throw new Error("truncated xerial snappy block");
    blocks.push(asBuffer(snappy().uncompressSync(buffer.subarray(at, at + length), { asBuffer: true })));
    at += length;
  }
  if (blocks.length === 1) return blocks[0]!;
  const records = Buffer.concat(blocks);
  blocks.forEach(freeBuffer);
  return records;
}

/** As Java's client writes it (xerial framing), which every Kafka client reads. */
export function snappyCompress(buffer: Buffer): Buffer {
  const header = Buffer.alloc(xerialHeaderBytes);
  xerialMagic.copy(header);
  header.writeInt32BE(1, 8);
  header.writeInt32BE(1, 12);
  const block = snappy().compressSync(buffer);
  const length = Buffer.alloc(4);
  length.writeInt32BE(block.length);
  return Buffer.concat([header, length, block]);
}

export const lz4Decompress = lz4DecompressFrame;
export const lz4Compress = (buffer: Buffer): Buffer => lz4().compressFrameSync(buffer);

export const zstdDecompress = (buffer: Buffer): Buffer => zlib.zstdDecompressSync(buffer, { chunkSize: zlibRoom(zstdContentBound(buffer), buffer) });
export const zstdCompress = (buffer: Buffer): Buffer => zlib.zstdCompressSync(buffer);

const minRoom = 256 * 1024; // more than Node's buffer pool (64 KiB on Node 24)

/**
 * zlib's room for a batch's records: their size, or the most they can be, where the frames say it
 * (zstd's content size or blocks, gzip's trailer), else a guess from the compressed size; always
 * more than Node's buffer pool, so the records own their memory (freeBuffer). With room for all of
 * them zlib writes one buffer, instead of 16 KiB chunks joined at the end: a quarter of the CPU
 * (with copying out and freeing), and no chunks left for a collection to find
 * (docs/BENCHMARKS.md, "What each change bought").
 */
function zlibRoom(size: number | undefined, compressed: Buffer): number {
  // One byte more than the records: zlib takes a full output as a sign of more, and makes more room.
  const room = size !== undefined ? size + 1 : compressed.length * 10;
  return Math.min(64 * 1024 * 1024, Math.max(minRoom, room));
}

const zstdMagic = 0xfd2fb528;
/** The most a compressed block holds once decompressed (RFC 8878, 3.1.1.2.3: Block_Maximum_Size). */
const zstdBlockMaxBytes = 128 * 1024;

/**
 * The most the zstd frames of a batch decompress to (RFC 8878, 3.1.1): each frame's content size
 * where its header says it, else what its blocks can hold: a raw or RLE block its stated size, a
 * compressed one at most 128 KiB (less with a smaller window). Java's producer and librdkafka write
 * zstd as a stream, with no content size, and their records compress ten to twenty times: a guess
 * from the compressed size alone left zlib joining chunks, three times the CPU. Undefined when the
 * bytes are no frame.
 */
export function zstdContentBound(frames: Buffer): number | undefined {
  let at = 0;
  let bound = 0;
  while (at < frames.length) {
    if (at + 8 > frames.length) return undefined;
    const skipped = skippableFrameEnd(frames, at);
    if (skipped !== undefined) {
      at = skipped;
      continue;
    }
    if (frames.readUInt32LE(at) !== zstdMagic) return undefined;
    const frame = zstdFrameBound(frames, at + 4);
    if (!frame) return undefined;
    [at, bound] = [frame.end, bound + frame.bound];
  }
  return at === frames.length ? bound : undefined;
}

/** One frame from its header at `at`: where it ends, and its content size or the most its blocks hold. */
function zstdFrameBound(frames: Buffer, at: number): { end: number; bound: number } | undefined {
  const descriptor = frames[at]!;
  const sizeFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  const sizeAt = at + 1 + (singleSegment ? 0 : 1) + [0, 1, 2, 4][descriptor & 3]!;
  const sizeBytes = [singleSegment ? 1 : 0, 2, 4, 8][sizeFlag]!;
  let blocksAt = sizeAt + sizeBytes;
  if (blocksAt > frames.length) return undefined;
  const blockMax = singleSegment ? zstdBlockMaxBytes : Math.min(zstdBlockMaxBytes, zstdWindowBytes(frames[at + 1]!));
  let blocksBound = 0;
  for (let last = false; !last;) {
    if (blocksAt + 3 > frames.length) return undefined;
    const header = frames.readUIntLE(blocksAt, 3);
    const [type, size] = [(header >> 1) & 3, header >>> 3];
    last = (header & 1) === 1;
    blocksAt += 3 + (type === 1 ? 1 : size); // an RLE block holds one byte, repeated `size` times
    blocksBound += type === 2 ? blockMax : size;
    if (type === 3) return undefined;
  }
  const end = blocksAt + ((descriptor >> 2) & 1 ? 4 : 0); // the content checksum
  const size = sizeBytes === 0 ? undefined : zstdStatedSize(frames, sizeAt, sizeBytes);
  return end <= frames.length ? { end, bound: size ?? blocksBound } : undefined;
}

/** A frame's Window_Size from its Window_Descriptor (RFC 8878, 3.1.1.1.2): no block holds more. */
function zstdWindowBytes(descriptor: number): number {
  const base = 2 ** (10 + (descriptor >> 3));
  return base + (base / 8) * (descriptor & 7);
}

/** A frame's Frame_Content_Size field of `bytes` bytes (2 bytes count from 256). */
function zstdStatedSize(frames: Buffer, at: number, bytes: number): number | undefined {
  if (bytes === 1) return frames[at]!;
  if (bytes === 2) return frames.readUInt16LE(at) + 256;
  if (bytes === 4) return frames.readUInt32LE(at);
  const size = frames.readBigUInt64LE(at);
  return size <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(size) : undefined;
}

/** A gzip member's size, from its trailer (modulo 2^32, as RFC 1952 keeps it). */
const gzipContentSize = (member: Buffer): number | undefined => (member.length >= 18 ? member.readUInt32LE(member.length - 4) : undefined);

const decompressors: Record<Exclude<CodecName, "none">, (buffer: Buffer) => Buffer> = {
  gzip: (buffer) => zlib.gunzipSync(buffer, { chunkSize: zlibRoom(gzipContentSize(buffer), buffer) }),
  snappy: snappyDecompress,
  lz4: lz4Decompress,
  zstd: zstdDecompress,
};

/** A compressed batch's records, for the batch-level decoder (record-batch.ts), in memory of their own (see freeBuffer). */
export function decompressRecords(codec: Exclude<CodecName, "none">, buffer: Buffer): Buffer {
  try {
    return decompressors[codec](buffer);
  } catch (error) {
    throw new CodecError(`${codec}: ${(error as Error).message}`, { cause: error });
  }
}

/** A record batch whose bytes a codec could not decode: corrupt, or a variant we do not know. */
export class CodecError extends Error {
  override name = "CodecError";
}

const asBuffer = (value: string | Buffer) => (typeof value === "string" ? Buffer.from(value) : value);

/** kafkajs's codec shape: it hands `compress` an encoder and `decompress` the batch's bytes. */
const kafkajsCodec = (name: Exclude<CodecName, "none">, compress: (buffer: Buffer) => Buffer) => () => ({
  compress: async (encoder: { buffer: Buffer }) => compress(encoder.buffer),
  decompress: async (buffer: Buffer) => decompressRecords(name, buffer),
});

let registered = false;

/** Registers every codec with kafkajs (gzip too, so that a corrupt batch fails alike in all). Idempotent. */
export function registerCodecs(): void {
  if (registered) return;
  registered = true;
  const codecs = CompressionCodecs as Record<number, unknown>;
  codecs[CompressionTypes.GZIP] = kafkajsCodec("gzip", (buffer) => zlib.gzipSync(buffer));
  codecs[CompressionTypes.Snappy] = kafkajsCodec("snappy", snappyCompress);
  codecs[CompressionTypes.LZ4] = kafkajsCodec("lz4", lz4Compress);
  codecs[CompressionTypes.ZSTD] = kafkajsCodec("zstd", zstdCompress);
}
