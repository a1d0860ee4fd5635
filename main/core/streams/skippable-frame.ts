// Skippable frames, which LZ4's frame format and zstd (RFC 8878, 3.1.2) share: a magic number from
// 0x184D2A50 to 0x184D2A5F, a 4-byte little-endian length, then that many bytes a decoder passes
// over. Kafka's clients never write them, but a stream of frames may hold them.

/** Where the skippable frame at `at` ends, or undefined when the frame there is not one (8 bytes must be there). */
export function skippableFrameEnd(frames: Buffer, at: number): number | undefined {
  const magic = frames.readUInt32LE(at);
  return (magic & 0xfffffff0) === 0x184d2a50 ? at + 8 + frames.readUInt32LE(at + 4) : undefined;
}
