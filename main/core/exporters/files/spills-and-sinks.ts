// Where a batch's bytes go, apart from the batch (batch.ts) and the disk (spool.ts), which both
// build on it: spills take each partition's full chunks while a batch is gathered, and a body sink
// takes each file's lines when the batch is cut. A worker's Spool is both, on the local disk; the
// in-memory kinds here serve tests and tools that have no spool.

/**
 * Where a batch's full chunks go when it is given one: a file on the local disk per partition's
 * lines (exporters/spool.ts), so that only the chunks being filled stay in memory.
 */
export interface SpillTarget {
  open(): Spill;
}

export interface Spill {
  readonly length: number;
  append(bytes: Buffer): void;
  /** The bytes appended, in order; each piece is valid only until the next is asked for. */
  pieces(): Generator<Buffer>;
  /** Its lines are gone: the target removes it, or hands it out again to be written over. */
  release(): void;
}

/** One partition's lines of one kind, as the batch hands them to a body. */
export interface BodyLines {
  /** Where the lines' full chunks went as they were gathered. */
  readonly spillTarget: SpillTarget;
  /** The lines' bytes, in order; each piece is valid only until the next is asked for. */
  pieces(): Generator<Buffer>;
  /**
   * The lines as they lie, taken once: their spill, the chunk being filled appended to it, handed
   * over (whoever took it releases it); or, when they never filled a chunk, their bytes in memory,
   * valid until the batch is released; undefined when they hold no bytes.
   */
  handOver(): Spill | Buffer | undefined;
}

/** Where a cut's file bodies go: the batch hands each body over as its lines, in the file's order. */
export interface BodySink<Body> {
  write(length: number, parts: readonly BodyLines[]): Body;
}

/**
 * Spills kept in memory, as copies: for tests and tools that have no spool (a worker always has
 * one). One kind of Lines either way, so what the tests gather is what a worker gathers.
 */
export const memorySpills: SpillTarget = { open: () => new MemorySpill() };

class MemorySpill implements Spill {
  private readonly parts: Buffer[] = [];
  length = 0;

  append(bytes: Buffer): void {
    this.parts.push(Buffer.from(bytes));
    this.length += bytes.length;
  }

  *pieces(): Generator<Buffer> {
    yield* this.parts;
  }

  release(): void {
    this.parts.length = 0;
  }
}

/** Bodies in fresh buffers of their own (tests, tools). */
export const memorySink: BodySink<Buffer> = {
  write: (length, parts) => {
    const body = Buffer.allocUnsafe(length);
    let at = 0;
    for (const part of parts) for (const piece of part.pieces()) at += piece.copy(body, at);
    if (at !== length) throw new Error(`a body of ${length} bytes came as ${at}`);
    return body;
  },
};
