// LZ4's frame format (https://github.com/lz4/lz4/blob/dev/doc/lz4_Frame_format.md), as Kafka's
// clients write record batches with it: the frame is parsed here and its blocks decoded by
// lz4-block.wat into one WebAssembly memory per process, kept from batch to batch; the records
// are then copied into a buffer of their own, which the batch frees when gathered (record-batch.ts,
// free-buffer.ts). lz4-napi decoded into mimalloc's heap, which kept 30 MiB of a worker's peak.
//
// What is checked: the magic number, the version, the block sizes against the frame's maximum,
// and every length and match inside the blocks. What is not: the optional xxHash32 checksums of
// the header, blocks and content (Kafka's own CRC32C covers the batch's bytes; magic v0 and v1
// messages even carry a header checksum computed wrongly, which Kafka's Java client accepts).
// Frames with a dictionary are refused (Kafka's clients never write them).
import { KeptInstance } from "../kept-instance.js";
import { lz4BlockWasm } from "./lz4-block-wasm.js";
import { skippableFrameEnd } from "./skippable-frame.js";

const frameMagic = 0x184d2204;
const blockMaxBytes: Record<number, number> = { 4: 64 * 1024, 5: 256 * 1024, 6: 1024 * 1024, 7: 4 * 1024 * 1024 };
/** Room the decoder may read and write past its input and output (it copies 16 bytes at a time). */
const slack = 16;
const page = 65536;

/** An LZ4 frame that does not parse: corrupt, or a variant Kafka's clients never write. */
export class Lz4FrameError extends Error {
  override name = "Lz4FrameError";
}

interface BlockExports {
  memory: WebAssembly.Memory;
  block(src: number, end: number, dst: number, limit: number, start: number): number;
}

class Lz4Decoder {
  private readonly wasm: BlockExports;

  constructor() {
    const module = new WebAssembly.Module(Buffer.from(lz4BlockWasm, "base64"));
    this.wasm = new WebAssembly.Instance(module, {}).exports as unknown as BlockExports;
  }

  get memoryBytes(): number {
    return this.wasm.memory.buffer.byteLength;
  }

  /** The memory's bytes, with room for `bytes` in all (growing it, which replaces the buffer). */
  private room(bytes: number): Uint8Array {
    const missing = bytes - this.wasm.memory.buffer.byteLength;
    if (missing > 0) this.wasm.memory.grow(Math.ceil(missing / page));
    return new Uint8Array(this.wasm.memory.buffer);
  }

  /** The frames' content, in a buffer of its own. */
  decompress(frames: Buffer): Buffer {
    // The input first, then the output after it (its slack included).
    const start = align(frames.length + slack);
    this.room(start).set(frames, 0);
    let at = 0;
    let end = start;
    while (at < frames.length) {
      if (at + 8 > frames.length) throw new Lz4FrameError("the last frame is cut short");
      const skipped = skippableFrameEnd(frames, at);
      if (skipped !== undefined) {
        at = skipped;
        continue;
      }
      const magic = frames.readUInt32LE(at);
      if (magic !== frameMagic) throw new Lz4FrameError(`not an LZ4 frame (magic 0x${magic.toString(16)} at byte ${at})`);
      [at, end] = this.frame(frames, at + 4, end);
    }
    if (at !== frames.length) throw new Lz4FrameError("the last frame is cut short");
    return Buffer.from(new Uint8Array(this.wasm.memory.buffer, start, end - start));
  }

  /** Decodes the frame whose descriptor is at `at` to `out`; returns where it and its output end. */
  private frame(frames: Buffer, at: number, out: number): [number, number] {
    if (at + 3 > frames.length) throw new Lz4FrameError("the frame's descriptor is cut short");
    const flags = frames[at]!;
    const blockMax = blockMaxBytes[(frames[at + 1]! >> 4) & 7];
    if (flags >> 6 !== 1) throw new Lz4FrameError(`LZ4 frame version ${flags >> 6} (only 1 exists)`);
    if (flags & 1) throw new Lz4FrameError("an LZ4 frame with a dictionary (Kafka's clients never write one)");
    if (!blockMax) throw new Lz4FrameError("an LZ4 frame with an unknown block size");
    const blockChecksum = (flags & 0x10) !== 0;
    const contentChecksum = (flags & 0x04) !== 0;
    at += 2 + ((flags & 0x08) !== 0 ? 8 : 0) + 1; // FLG, BD, the content size if any, the header checksum
    const frameStart = out;
    for (;;) {
      if (at + 4 > frames.length) throw new Lz4FrameError("a block size is cut short");
      const word = frames.readUInt32LE(at);
      at += 4;
      if (word === 0) break; // the end mark
      const size = word & 0x7fffffff;
      if (size > blockMax || at + size > frames.length) throw new Lz4FrameError(`a block of ${size} bytes overruns the frame or its ${blockMax}-byte maximum`);
      const bytes = this.room(out + blockMax + slack);
      if (word & 0x80000000) {
        bytes.copyWithin(out, at, at + size); // stored as it is
        out += size;
      } else {
        const written = this.wasm.block(at, at + size, out, out + blockMax, frameStart);
        if (written === -1) throw new Lz4FrameError(`a corrupt block at byte ${at - 4}`);
        out = written >>> 0; // an address, unsigned (WebAssembly's i32 comes back signed)
      }
      at += size + (blockChecksum ? 4 : 0);
    }
    return [at + (contentChecksum ? 4 : 0), out];
  }
}

const align = (bytes: number) => (bytes + 15) & ~15;

/** The process's decoder, which keeps at most 32 MiB of memory for the next batch. */
export const lz4Decoders = new KeptInstance(() => new Lz4Decoder(), 32 * 1024 * 1024);

/** An LZ4 frame's content (several frames' one after the other), as Kafka's records are compressed. */
export const lz4DecompressFrame = (frames: Buffer): Buffer => lz4Decoders.use((decoder) => decoder.decompress(frames));
