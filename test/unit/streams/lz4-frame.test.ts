// Our LZ4 frame decoder (lz4-frame.ts with lz4-block.wat) against frames lz4-napi (lz4_flex)
// writes, frames written by hand for what it never writes (linked blocks, stored blocks,
// checksums, skippable frames), and corrupt frames, which must fail as such and never trap.
// Frames from Java's producer and librdkafka are read in test/integration/codecs.test.ts.
import { randomBytes } from "node:crypto";
import { compressFrameSync } from "lz4-napi";
import { describe, expect, it } from "vitest";
import { Lz4FrameError, lz4Decoders, lz4DecompressFrame } from "../../../main/core/streams/lz4-frame.js";
import { assemble, committedModule, generatedModule, wasmModules } from "../../../scripts/build-wasm.js";

/** Records as a topic holds them: JSON with repeated keys, short repeats, long runs. */
const jsonLines = (count: number) =>
  Buffer.from(
    Array.from({ length: count }, (_, n) =>
      JSON.stringify({ id: n, user: `u${n % 977}`, page: `/p/${n % 31}`, pad: "ab".repeat(n % 40), zeros: "0".repeat(n % 70) }),
    ).join("\n"),
  );

/** A frame by hand: FLG (version 1, linked blocks, no checksums unless said), 64 KiB blocks. */
function frame(blocks: Buffer[], { flags = 0x40, trailer = Buffer.alloc(0) } = {}): Buffer {
  const checksum = (flags & 0x10) !== 0 ? Buffer.from("BSUM") : Buffer.alloc(0);
  const sized = blocks.map((block) => {
    const size = Buffer.alloc(4);
    size.writeUInt32LE(block.length);
    return Buffer.concat([size, block, checksum]);
  });
  return Buffer.concat([Buffer.from([0x04, 0x22, 0x4d, 0x18, flags, 0x40, 0x00]), ...sized, Buffer.alloc(4), trailer]);
}

describe("the LZ4 frame decoder", () => {
  it("is the module its .wat assembles to (run `npm run build:wasm` after editing it)", async () => {
    const module = wasmModules.lz4Block;
    expect(committedModule(module)).toBe(generatedModule(module, await assemble(module)));
  });

  it("reads what lz4_flex writes: records, runs, random bytes, nothing, and several blocks", () => {
    const inputs = [
      jsonLines(5000),
      jsonLines(30),
      Buffer.alloc(300_000, 0x61),
      Buffer.from("abc".repeat(50_000)),
      randomBytes(200_000),
      Buffer.alloc(0),
      Buffer.from("x"),
    ];
    for (const input of inputs) expect(lz4DecompressFrame(compressFrameSync(input)).equals(input)).toBe(true);
  });

  it("reads a match that reaches back into the block before (linked blocks), and a stored block", () => {
    const first = Buffer.concat([Buffer.from([0x80]), Buffer.from("abcdefgh")]); // 8 literals
    const second = Buffer.from([0x04, 0x08, 0x00, 0x10, 0x21]); // 8 bytes from 8 back, then "!"
    const stored = Buffer.from("stored as it is");
    const storedBlock = Buffer.concat([Buffer.alloc(4), stored]);
    storedBlock.writeUInt32LE((stored.length | 0x80000000) >>> 0);
    const framed = frame([first, second]);
    const withStored = Buffer.concat([framed.subarray(0, framed.length - 4), storedBlock, Buffer.alloc(4)]);
    expect(lz4DecompressFrame(withStored).toString()).toBe("abcdefghabcdefgh!stored as it is");
  });

  it("skips block and content checksums, skippable frames, and reads frames one after the other", () => {
    const block = Buffer.concat([Buffer.from([0x50]), Buffer.from("hello")]);
    const checked = frame([block], { flags: 0x40 | 0x10 | 0x04, trailer: Buffer.from("CSUM") });
    const skippable = Buffer.concat([Buffer.from([0x5a, 0x2a, 0x4d, 0x18, 3, 0, 0, 0]), Buffer.from("zzz")]);
    expect(lz4DecompressFrame(Buffer.concat([checked, skippable, frame([block])])).toString()).toBe("hellohello");
  });

  it("drops a decoder a huge batch grew (a run of one byte packs 255 to 1), and its memory with it", () => {
    const run = Buffer.alloc(lz4Decoders.capBytes + 1024 * 1024, 0x30);
    const frame = compressFrameSync(run);
    expect(frame.length).toBeLessThan(run.length / 100);
    expect(lz4DecompressFrame(frame).equals(run)).toBe(true);
    expect(lz4Decoders.memoryBytes).toBe(0);
    lz4DecompressFrame(compressFrameSync(jsonLines(100)));
    expect(lz4Decoders.memoryBytes).toBeGreaterThan(0);
    expect(lz4Decoders.memoryBytes).toBeLessThanOrEqual(lz4Decoders.capBytes);
  });

  it("refuses corrupt frames with an error of its own, and never traps, whatever the damage", () => {
    const input = jsonLines(2000);
    const good = compressFrameSync(input);
    expect(() => lz4DecompressFrame(Buffer.from("definitely not lz4"))).toThrow(Lz4FrameError);
    expect(() => lz4DecompressFrame(good.subarray(0, good.length - 9))).toThrow(Lz4FrameError);
    // A match from before the frame's first byte.
    expect(() => lz4DecompressFrame(frame([Buffer.from([0x14, 0x61, 0x09, 0x00, 0x10, 0x21])]))).toThrow("a corrupt block");
    let refused = 0;
    for (let round = 0; round < 3000; round += 1) {
      const damaged = Buffer.from(good);
      for (let hits = 1 + (round % 4); hits > 0; hits -= 1) damaged[7 + Math.floor(Math.random() * (damaged.length - 7))] = Math.floor(Math.random() * 256);
      try {
        lz4DecompressFrame(damaged);
      } catch (error) {
        expect(error).toBeInstanceOf(Lz4FrameError);
        refused += 1;
      }
    }
    // Damage inside literals decodes to other bytes (the checksums that would catch it are Kafka's CRC's job).
    expect(refused).toBeGreaterThan(100);
  });
});
