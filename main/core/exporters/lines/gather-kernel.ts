// The JavaScript side of gather-kernel.wat: one WebAssembly instance per process, holding the
// JSON automaton's table (json-bytes.ts builds it; both run the very same table) and, per record
// batch, a copy of the batch's records and the lines gathered from them. Batch.addEntry drives it
// and handles, through the general path, each record the kernel leaves to JavaScript.
import { KeptInstance } from "../../kept-instance.js";
import { automaton } from "./json-bytes.js";
import { gatherKernelWasm } from "./gather-kernel-wasm.js";

/** Where the kernel's set of keys begins: the table must end before it. */
const keysAt = 32768;
const idsAt = 61696;
const resultsAt = 61760;
const inputAt = 65536;
const page = 65536;

interface KernelExports {
  memory: WebAssembly.Memory;
  gather(at: number, index: number, count: number, inEnd: number, out: number, outLimit: number, from: number, through: number): void;
  plain(at: number, end: number): number;
}

export type StopReason = "end" | "record" | "full" | "past";
const reasons: StopReason[] = ["end", "record", "full", "past"];

export interface GatherResult {
  /** end: the batch's last record was done; record: the one at `at` is for JavaScript; full: the output limit was reached; past: the next record is past `through`. */
  reason: StopReason;
  /** Where the next record starts (on "record": the record to handle), relative to the records. */
  at: number;
  index: number;
  /** Lines copied by this call, and their bytes (newlines included) in `output()`. */
  copied: number;
  outBytes: number;
  /** Offset deltas of the first and last record copied (-1: none). */
  firstDelta: number;
  lastDelta: number;
}

export class GatherKernel {
  private readonly kernel: KernelExports;
  private bytes = new Uint8Array(0);
  private results = new Int32Array(0);
  private inputLength = 0;

  constructor() {
    const module = new WebAssembly.Module(Buffer.from(gatherKernelWasm, "base64"));
    this.kernel = new WebAssembly.Instance(module, {}).exports as unknown as KernelExports;
    if (automaton.table.length > keysAt) throw new Error("gather-kernel: the automaton's table does not fit below the set of keys");
    if (automaton.maxOpenKeys !== 1024 || automaton.maxDepth > 256) throw new Error("gather-kernel: the automaton's limits differ from the kernel's");
    this.views();
    this.bytes.set(automaton.table, 0);
    const { objectStart, arrayStart, key, value, after, done, keyBody, valueBody, colon } = automaton.states;
    new Int32Array(this.kernel.memory.buffer, idsAt, 10).set([objectStart, arrayStart, key, value, after, done, automaton.maxDepth, keyBody, valueBody, colon]);
  }

  get memoryBytes(): number {
    return this.kernel.memory.buffer.byteLength;
  }

  /** After the memory grows its buffer is a new one. */
  private views(): void {
    this.bytes = new Uint8Array(this.kernel.memory.buffer);
    this.results = new Int32Array(this.kernel.memory.buffer, resultsAt, 8);
  }

  private reserve(bytes: number): void {
    const missing = inputAt + bytes - this.kernel.memory.buffer.byteLength;
    if (missing > 0) {
      this.kernel.memory.grow(Math.ceil(missing / page));
      this.views();
    }
  }

  private get outputAt(): number {
    return inputAt + this.inputLength;
  }

  /** Copies a batch's records in, with room after them for every line they could give. */
  load(records: Uint8Array, count: number): void {
    this.reserve(2 * records.length + count + 16);
    this.bytes.set(records, inputAt);
    this.inputLength = records.length;
  }

  /** Walks the loaded records from `at` (record `index` of `count`); offsets are deltas from the batch's base. */
  gather(at: number, index: number, count: number, outLimit: number, from: number, through: number): GatherResult {
    this.kernel.gather(inputAt + at, index, count, inputAt + this.inputLength, this.outputAt, outLimit, from, through);
    const [reason, next, nextIndex, outEnd, copied, firstDelta, lastDelta] = this.results;
    return {
      reason: reasons[reason!]!,
      at: next! - inputAt,
      index: nextIndex!,
      copied: copied!,
      outBytes: outEnd! - this.outputAt,
      firstDelta: firstDelta!,
      lastDelta: lastDelta!,
    };
  }

  /** The last call's lines: a view of the kernel's memory, valid until the next call. */
  output(length: number): Buffer {
    return Buffer.from(this.bytes.buffer, this.outputAt, length);
  }

  /** The kernel's own check of `value` (for tests: it must agree with isPlainJsonObject). */
  plain(value: Uint8Array): boolean {
    this.reserve(value.length);
    this.bytes.set(value, inputAt);
    return this.kernel.plain(inputAt, inputAt + value.length) === 1;
  }
}

/**
 * The process's kernel (a worker gathers one batch at a time, so one instance serves it), which
 * keeps at most 64 MiB of memory for the next batch.
 */
export const gatherKernels = new KeptInstance(() => new GatherKernel(), 64 * 1024 * 1024);
