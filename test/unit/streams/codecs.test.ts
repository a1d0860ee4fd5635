// The codecs kafkajs reads with: snappy in both of Kafka's framings, the LZ4 frame, zstd (here
// through whichever decoder this Node has), and a corrupt batch named as a codec failure. Real
// batches from Java's client and librdkafka are read in test/integration/codecs.test.ts.
import kafkajs from "kafkajs";
import { compressSync } from "snappy";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  CodecError,
  decompressRecords,
  lz4Compress,
  lz4Decompress,
  registerCodecs,
  snappyCompress,
  snappyDecompress,
  zstdContentBound,
  zstdDecompress,
} from "../../../main/core/streams/codecs.js";
import { freeBuffer } from "../../../main/core/free-buffer.js";

const text = Buffer.from("streamdrop ".repeat(500));

describe("snappy", () => {
  it("reads librdkafka's raw block", () => {
    expect(snappyDecompress(compressSync(text))).toEqual(text);
  });

  it("reads Java's xerial framing, several blocks in order", () => {
    const header = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1]);
    const block = (part: Buffer) => {
      const compressed = compressSync(part);
      const length = Buffer.alloc(4);
      length.writeInt32BE(compressed.length);
      return Buffer.concat([length, compressed]);
    };
    const framed = Buffer.concat([header, block(text.subarray(0, 1000)), block(text.subarray(1000))]);
    expect(snappyDecompress(framed)).toEqual(text);
    expect(snappyDecompress(snappyCompress(text))).toEqual(text);
  });

  it("refuses a truncated xerial block", () => {
    expect(() => snappyDecompress(snappyCompress(text).subarray(0, 30))).toThrow("truncated xerial snappy block");
  });
});

it("reads the LZ4 frame format", () => {
  expect(lz4Decompress(lz4Compress(text))).toEqual(text);
});

it("reads zstd (Node's own zlib)", () => {
  // Made with the zstd command line tool.
  const frame = Buffer.from("28b52ffd045865010054027b226964223a227a7374642d766563746f72222c2274657874223a2268656c6c6f20227d0a01004a5d9eb7bed84e", "hex");
  expect(zstdDecompress(frame).toString()).toBe('{"id":"zstd-vector","text":"hello hello hello hello hello"}\n');
});

describe("the records' memory", () => {
  // Records as a worker meets them: lines of JSON, a few MiB once decompressed.
  const records = Buffer.from(Array.from({ length: 20_000 }, (_, n) => JSON.stringify({ id: n, user: `u${n % 977}`, page: `/p/${n % 31}` })).join("\n"));
  const compressors = { zstd: zlib.zstdCompressSync, gzip: zlib.gzipSync, lz4: lz4Compress, snappy: snappyCompress };
  // A frame without its size, as Java's producer writes zstd (a stream of unknown length).
  const streamed = (body: Buffer) => zlib.zstdCompressSync(body, { params: { [zlib.constants.ZSTD_c_contentSizeFlag]: 0 } });

  it("bounds what zstd frames hold: their content size where the header has one, else what their blocks can hold", () => {
    expect(zstdContentBound(zlib.zstdCompressSync(records))).toBe(records.length);
    expect(zstdContentBound(zlib.zstdCompressSync(Buffer.from("tiny")))).toBe(4);
    // Java's frames: no size, so each compressed block counts for the most it can hold (128 KiB).
    const bound = zstdContentBound(streamed(records))!;
    expect(bound).toBeGreaterThanOrEqual(records.length);
    expect(bound).toBeLessThan(records.length + 128 * 1024);
    // Frames one after the other, a skippable frame between them, and a frame of one RLE block.
    const skippable = Buffer.concat([Buffer.from([0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0]), Buffer.from("zzz")]);
    const run = Buffer.alloc(300_000, 0x61);
    const frames = Buffer.concat([zlib.zstdCompressSync(records), skippable, streamed(run)]);
    expect(zstdContentBound(frames)).toBeGreaterThanOrEqual(records.length + run.length);
    expect(zstdDecompress(frames).equals(Buffer.concat([records, run]))).toBe(true);
    // A small window bounds each block by the window, not by 128 KiB.
    const smallWindow = zlib.zstdCompressSync(records, {
      params: { [zlib.constants.ZSTD_c_contentSizeFlag]: 0, [zlib.constants.ZSTD_c_windowLog]: 10 },
    });
    expect(zstdContentBound(smallWindow)).toBeGreaterThanOrEqual(records.length);
    expect(zstdContentBound(smallWindow)).toBeLessThan(2 * records.length);
    expect(zstdDecompress(smallWindow).equals(records)).toBe(true);
    // Not frames, or cut short: no bound, and zlib says what is wrong.
    expect(zstdContentBound(Buffer.from("not a frame at all"))).toBeUndefined();
    expect(zstdContentBound(streamed(records).subarray(0, 100))).toBeUndefined();
    expect(zstdContentBound(Buffer.concat([zlib.zstdCompressSync(records), Buffer.from([1, 2])]))).toBeUndefined();
  });

  it("decompresses whole batches with and without a size, however far the guess is off", () => {
    // Repetitive records compress far beyond the guess from their compressed size.
    const repetitive = Buffer.from("streamdrop ".repeat(100_000));
    for (const body of [records, repetitive, Buffer.from("x")]) {
      const read = [...Object.entries(compressors), ["zstd", streamed] as const].map(([codec, compress]) => [
        codec,
        decompressRecords(codec as keyof typeof compressors, compress(body)).equals(body),
      ]);
      expect(read).toEqual([...Object.keys(compressors), "zstd"].map((codec) => [codec, true]));
    }
  });

  it("gives decompressed records' memory back when freed, and leaves a buffer of Node's pool alone", () => {
    for (const codec of ["zstd", "gzip", "lz4", "snappy"] as const) {
      const compress = compressors[codec];
      const decompressed = decompressRecords(codec, compress(records));
      const memory = decompressed.buffer;
      freeBuffer(decompressed);
      expect([codec, memory.byteLength]).toEqual([codec, 0]);
    }
    const small = Buffer.from("a small buffer, from the pool");
    const neighbour = Buffer.from("its neighbour in the pool");
    freeBuffer(small);
    expect([small.toString(), neighbour.toString()]).toEqual(["a small buffer, from the pool", "its neighbour in the pool"]);
  });
});

it("registers every codec with kafkajs, and names a corrupt batch as a codec failure", async () => {
  registerCodecs();
  const codecs = kafkajs.CompressionCodecs as unknown as Record<number, () => { decompress(buffer: Buffer): Promise<Buffer> }>;
  for (const type of [kafkajs.CompressionTypes.GZIP, kafkajs.CompressionTypes.Snappy, kafkajs.CompressionTypes.LZ4, kafkajs.CompressionTypes.ZSTD]) {
    await expect(codecs[type]!().decompress(Buffer.from("definitely not compressed"))).rejects.toBeInstanceOf(CodecError);
  }
  expect(await codecs[kafkajs.CompressionTypes.LZ4]!().decompress(lz4Compress(text))).toEqual(text);
});
