// One WebAssembly instance of a kind per process (the LZ4 decoder, the gather kernel), made on
// first use and kept from batch to batch so its memory is not grown again for each. WebAssembly
// memory never shrinks, and LZ4 packs a run of one byte 255 to 1, so a 1 MiB batch may hold
// 256 MiB of records: an instance grown past its cap for such a batch is dropped once done, and
// its memory with it.

export interface HoldsMemory {
  /** The bytes of WebAssembly memory it holds now. */
  readonly memoryBytes: number;
}

export class KeptInstance<T extends HoldsMemory> {
  private kept: T | undefined;

  constructor(
    private readonly make: () => T,
    /** The most memory an instance may keep for the next use. */
    readonly capBytes: number,
  ) {}

  /** Runs `work` with the process's instance; what it returns must not be a view of its memory. */
  use<R>(work: (instance: T) => R): R {
    const instance = (this.kept ??= this.make());
    try {
      return work(instance);
    } finally {
      if (instance.memoryBytes > this.capBytes) this.kept = undefined;
    }
  }

  /** The memory the kept instance holds (0: none made yet, or the last one dropped). */
  get memoryBytes(): number {
    return this.kept?.memoryBytes ?? 0;
  }
}
