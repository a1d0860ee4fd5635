// A worker's lines on the local disk, so that neither the batch being gathered nor the file being
// stored is resident (docs/BENCHMARKS.md: they and the copy an upload made of the file were 48 MiB
// of a worker's 190 MiB peak). Each partition's lines of each kind go to a spill of their own as
// the batch is gathered: every chunk they fill (the first is 4 KiB, the next ones twice the last,
// up to 256 KiB), only the chunk being filled staying in memory. When the batch is cut, each
// file's body is:
// - its lines as they lie, read in turn as spans (S3): the batch hands their spills over, lines
//   that never filled a chunk going into one tails spill per cut, and the cut's slot holds them
//   until it is taken again, when the cut is stored (a worker stores up to two cuts at once, in
//   two slots, and a third waits for the older);
// - or one file of its own, written in order from the spills, for stores whose SDK uploads a file
//   by its path (Cloud Storage, Azure), in the slot's names, written over by the cut two later.
// Both kinds are written over in place, not created afresh: the kernel then reuses the file's
// cached pages instead of freeing them and taking new ones, which cost about as much as the writes
// themselves (docs/BENCHMARKS.md, "What each change bought"). A cut's file is then cut to its
// length (a longer one before loses its tail), and released spills beyond idleLimits are removed.
// The folder is the worker process's own (several `streamdrop run` processes may serve one
// exporter from one data folder), emptied when the worker stops; folders left by workers that died
// are removed when the next one starts (processSpoolDir). It holds the user's events, so it is private.
import { createHash } from "node:crypto";
import { closeSync, constants, ftruncateSync, openSync, readdirSync, readSync, rmSync, utimesSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import type { BodyLines, Spill, SpillTarget } from "./spills-and-sinks.js";
import type { SpooledFile, SpooledSpan } from "../../stores/file-body.js";
import type { CutSpool, Slot } from "../commit/commit-protocol.js";
import { privateDirSync } from "../../private-dir.js";
import { localDiskProblem, type NeedsPersonError } from "../needs-person.js";
import { abandonedAfterMs, ownerSuffix, removeIfLeftBehind, thisProcess, type ProcessOwner } from "../process-owner.js";

/** Pieces read back from a spill, through one buffer. */
const readBytes = 256 * 1024;

/**
 * Released spills kept for the next batches, at most this many and this many bytes of files in all
 * (each keeps the size of the most it held): the rest are removed, so the folder stays within
 * about a batch or two beside what is being gathered, however the batches fell on the partitions.
 */
export const idleLimits = { count: 256, bytes: 64 * 1024 * 1024 };

/** Opens for writing over what is there (no O_TRUNC: its pages are reused, see the header), creating it if missing. */
const writeOver = constants.O_RDWR | constants.O_CREAT;

export interface SpoolOptions {
  /** The store signs each body's SHA-256: computed here as the body is made (its spills read once more), rather than by the put. */
  hashes?: boolean;
  /** Bodies as the spills where they lie (spans), or as one file each (stores that upload by path). */
  bodies?: "spans" | "files";
  limits?: { count: number; bytes: number };
}

export class Spool implements CutSpool, SpillTarget {
  private slot: Slot = 0;
  private next = 0;
  private spills = 0;
  /** Spills released by their batch, open and ready to be written over by the next; and their files' bytes. */
  private idle: SpillFile[] = [];
  private idleBytes = 0;
  /** The spills each slot's cut took as its bodies: released when the slot is reset (that cut is stored by then). */
  private readonly held: [SpillFile[], SpillFile[]] = [[], []];
  /** The cut's spill for the lines that never filled a chunk, all of its bodies' in one file. */
  private tails?: SpillFile;
  /** Bumped by clear(): a spill of an earlier folder is closed when released, not taken again. */
  private generation = 0;
  private readBuffer?: Buffer;
  /** Whether the folder exists since the last clear: made once, not per spill (a mkdir and a chmod each). */
  private made = false;
  private readonly hashes: boolean;
  private readonly bodies: "spans" | "files";
  private readonly limits: { count: number; bytes: number };

  /** `dir` is this worker's alone (`processSpoolDir`): it is emptied now. */
  constructor(
    readonly dir: string,
    { hashes = false, bodies = "spans", limits = idleLimits }: SpoolOptions = {},
  ) {
    this.hashes = hashes;
    this.bodies = bodies;
    this.limits = limits;
    this.clear();
  }

  /**
   * A new cut, into `slot`: the cut that used it before is stored by now, so the spills its bodies
   * were go back for the next batches, and its files are written over.
   */
  reset(slot: Slot): void {
    this.slot = slot;
    this.next = 0;
    this.tails = undefined;
    for (const spill of this.held[slot].splice(0)) spill.release();
  }

  /**
   * A body of the cut: its lines as they lie, or copied into one file (see the header). Lines that
   * filled a chunk give their spill; the rest (a partition's few lines, most `-invalid` ones)
   * share the cut's tails spill, so a cut holds one file beside the spills there were anyway,
   * not one per partition and kind.
   */
  write(length: number, parts: readonly BodyLines[]): SpooledFile {
    if (this.bodies === "files" || !parts.every((part) => part.spillTarget === this)) return this.copy(length, parts);
    const spans: SpooledSpan[] = [];
    const hash = this.hashes ? createHash("sha256") : undefined;
    for (const part of parts) {
      const handed = part.handOver();
      if (handed === undefined) continue;
      if (Buffer.isBuffer(handed)) {
        const tails = this.tailsSpill();
        spans.push({ path: tails.path, start: tails.length, length: handed.length });
        tails.append(handed);
        hash?.update(handed);
        continue;
      }
      const spill = handed as SpillFile;
      // Held at once, so a later part's failure cannot leave it to no one.
      this.held[this.slot].push(spill);
      spans.push({ path: spill.path, start: 0, length: spill.length });
      if (hash) for (const piece of spill.pieces()) hash.update(piece);
    }
    const total = spans.reduce((sum, span) => sum + span.length, 0);
    if (total !== length) throw spoolProblem(this.dir, new Error(`a body of ${length} bytes came as ${total}`));
    return hash ? { spans, length, sha256: hash.digest("hex") } : { spans, length };
  }

  private tailsSpill(): SpillFile {
    if (this.tails) return this.tails;
    const tails = this.open() as SpillFile;
    this.held[this.slot].push(tails);
    return (this.tails = tails);
  }

  /** The body as one file of its own, in `slot`'s names. */
  private copy(length: number, parts: readonly BodyLines[]): SpooledFile {
    const path = join(this.dir, `cut${this.slot}-${this.next}.part`);
    this.next += 1;
    const hash = this.hashes ? createHash("sha256") : undefined;
    try {
      this.ensureDir();
      const fd = openSync(path, writeOver, 0o600);
      try {
        let written = 0;
        for (const part of parts)
          for (const piece of part.pieces()) {
            written += writeAll(fd, piece, written);
            hash?.update(piece);
          }
        if (written !== length) throw new Error(`wrote ${written} bytes of ${length}`);
        // The last cut's file may have been longer: its tail goes (the pages kept are ours again).
        ftruncateSync(fd, length);
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      throw spoolProblem(this.dir, error);
    }
    const spans = [{ path, start: 0, length }];
    return hash ? { spans, length, wholeFile: path, sha256: hash.digest("hex") } : { spans, length, wholeFile: path };
  }

  /** A file for one partition's full chunks while its batch is gathered: a released one when there is one. */
  open(): Spill {
    const reused = this.idle.pop();
    if (reused) {
      this.idleBytes -= reused.size;
      return reused;
    }
    const path = join(this.dir, `spill-${this.spills}.part`);
    this.spills += 1;
    try {
      this.ensureDir();
      const generation = this.generation;
      return new SpillFile(
        path,
        openSync(path, writeOver, 0o600),
        () => (this.readBuffer ??= Buffer.allocUnsafe(readBytes)),
        (spill) => this.released(spill, generation),
      );
    } catch (error) {
      throw spoolProblem(this.dir, error);
    }
  }

  /** A spill its batch let go: kept for the next within the limits, else removed (and always, once the folder was cleared). */
  private released(spill: SpillFile, generation: number): void {
    if (generation === this.generation && this.idle.length < this.limits.count && this.idleBytes + spill.size <= this.limits.bytes) {
      this.idle.push(spill);
      this.idleBytes += spill.size;
    } else spill.remove();
  }

  private ensureDir(): void {
    if (this.made) return;
    privateDirSync(this.dir);
    this.made = true;
  }

  /** Says this folder's worker lives, to workers of other machines sharing the data folder (processSpoolDir). */
  touch(): void {
    if (!this.made) return;
    const now = new Date();
    try {
      utimesSync(this.dir, now, now);
    } catch {
      // Gone or unwritable: the next write says why.
    }
  }

  /** Removes the files (the worker stops, or starts after a crash). */
  clear(): void {
    this.made = false;
    this.generation += 1;
    this.tails = undefined;
    for (const spill of [...this.idle.splice(0), ...this.held[0].splice(0), ...this.held[1].splice(0)]) spill.close();
    this.idleBytes = 0;
    try {
      rmSync(this.dir, { recursive: true, force: true });
    } catch {
      // Left behind: harmless, and a folder that cannot be written fails the next write, which says why.
    }
  }
}

export { abandonedAfterMs };

/**
 * This process's spool folder under `root` for `name` (an exporter's worker), after removing the
 * folders there that no worker will come back to: those of this machine's dead processes (a
 * SIGKILLed worker leaves its events behind), and any other left untouched for a day (another
 * machine's, or one named before folders were per process).
 */
export function processSpoolDir(root: string, name: string, owner: ProcessOwner = thisProcess()): string {
  const mine = `${name}${ownerSuffix(owner)}`;
  for (const entry of readdirOrNone(root)) if (entry !== mine) removeIfLeftBehind(join(root, entry), entry, owner);
  return join(root, mine);
}

function readdirOrNone(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

class SpillFile implements Spill {
  length = 0;
  /** The file's size: the most it ever held (it is written over, never truncated). */
  size = 0;

  constructor(
    readonly path: string,
    private readonly fd: number,
    private readonly readBuffer: () => Buffer,
    private readonly released: (spill: SpillFile) => void,
  ) {}

  append(bytes: Buffer): void {
    try {
      this.length += writeAll(this.fd, bytes, this.length);
      this.size = Math.max(this.size, this.length);
    } catch (error) {
      throw spoolProblem(dirname(this.path), error);
    }
  }

  *pieces(): Generator<Buffer> {
    const buffer = this.readBuffer();
    for (let at = 0; at < this.length;) {
      const read = readSync(this.fd, buffer, 0, Math.min(buffer.length, this.length - at), at);
      if (read === 0) throw spoolProblem(dirname(this.path), new Error(`${this.path} ends at ${at} of its ${this.length} bytes`));
      yield buffer.subarray(0, read);
      at += read;
    }
  }

  /** Its lines are gone: the next batch writes over them from the start (only `length` bytes are ever read). */
  release(): void {
    this.length = 0;
    this.released(this);
  }

  /** The worker stops (or the folder was cleared): the file goes with its folder. */
  close(): void {
    try {
      closeSync(this.fd);
    } catch {
      // Closed already.
    }
  }

  /** Not kept for another batch: closed and removed now. */
  remove(): void {
    this.close();
    rmSync(this.path, { force: true });
  }
}

/** Writes the whole piece at `position` of the file (a spill written over holds older bytes past its length). */
function writeAll(fd: number, piece: Buffer, position: number): number {
  for (let at = 0; at < piece.length;) at += writeSync(fd, piece, at, piece.length - at, position + at);
  return piece.length;
}

/** The spool could not be written. */
export const spoolProblem = (dir: string, error: unknown): NeedsPersonError =>
  localDiskProblem("spool", `the next batch file to ${dir} before storing it`, error, "the events stay in Kafka until their file is stored");
