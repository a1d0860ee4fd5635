// Gives a buffer's memory back now, rather than when a collection finds it: V8 frees external
// memory in a full collection, which the memory itself starts only once 64 MiB more of it is
// held, so a worker whose decompressed batches lived one batch each carried up to 64 MiB of them
// (docs/BENCHMARKS.md, "What each change bought: memory and CPU of compressed topics").
//
// Only for a buffer no one will read again, which alone uses its memory: the ArrayBuffer is
// detached, and every view of it reads as empty from then on. Node's small buffers share one
// ArrayBuffer (its pool, at most Buffer.poolSize bytes); those are left to the collector.
export function freeBuffer(buffer: Uint8Array): void {
  const memory = buffer.buffer;
  if (memory instanceof ArrayBuffer && memory.byteLength > Buffer.poolSize) memory.transfer(0);
}
