// Spooled bodies in tests: their bytes read back from the spans they are, and lines handed to a
// body sink from plain buffers (as a batch without a spool would hand them).
import { readFileSync } from "node:fs";
import { memorySpills, type BodyLines, type SpillTarget } from "../../main/core/exporters/files/spills-and-sinks.js";
import type { SpooledBytes } from "../../main/core/stores/file-body.js";

/** The body's bytes, span after span, as they are on the disk now. */
export function spooledBytes(body: SpooledBytes): Buffer {
  return Buffer.concat(body.spans.map((span) => readFileSync(span.path).subarray(span.start, span.start + span.length)));
}

/** One part of a body holding `pieces`, spilled nowhere a spool knows: a spool copies it into a file of its own. */
export function linesOf(pieces: Buffer[]): BodyLines {
  return {
    spillTarget: memorySpills,
    *pieces() {
      yield* pieces;
    },
    handOver: () => undefined,
  };
}

/** A whole file as a spooled body. */
export const wholeFile = (path: string, length: number) => ({ spans: [{ path, start: 0, length }], length, wholeFile: path });

/** One part of a body in a spill of `target` (a spool), as a batch gathering into it hands it over. */
export function spilledLines(target: SpillTarget, pieces: Buffer[]): BodyLines {
  const spill = target.open();
  for (const piece of pieces) spill.append(piece);
  return { spillTarget: target, pieces: () => spill.pieces(), handOver: () => spill };
}
