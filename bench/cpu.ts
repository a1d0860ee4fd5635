// CPU time by part of a run (the broker, the reader, the store), from Linux's /proc: on a machine
// of two shared cores, whether a goal is reachable at all is a question of CPU per event.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { readState } from "../stack/state.js";

/** CPU microseconds per event, by part; parts the run does not have are left out. */
export interface CpuPerEvent {
  broker: number;
  reader: number;
  store?: number;
}

const ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

interface ProcStat {
  ppid: number;
  /** This process's own user and system time. */
  ownMs: number;
  /** The children it has waited for (a kcat that exited, a worker that was stopped). */
  reapedMs: number;
}

function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined; // Gone between the listing and the read.
  }
  // The command name may hold spaces and parentheses: fields start after the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const ms = (ticks: string | undefined) => (Number(ticks) * 1000) / ticksPerSecond;
  return { ppid: Number(fields[1]), ownMs: ms(fields[11]) + ms(fields[12]), reapedMs: ms(fields[13]) + ms(fields[14]) };
}

/** CPU milliseconds used so far by `pid` and every process under it, living or reaped, but for the trees of `except`. */
export function treeCpuMs(pid: number, except: number[] = []): number {
  const stats = new Map<number, ProcStat>();
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = procStat(Number(name));
    if (!stat) continue;
    stats.set(Number(name), stat);
    children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), Number(name)]);
  }
  let total = 0;
  const queue = [pid];
  while (queue.length > 0) {
    const at = queue.pop()!;
    const stat = stats.get(at);
    if (!stat || except.includes(at)) continue;
    total += stat.ownMs + stat.reapedMs;
    queue.push(...(children.get(at) ?? []));
  }
  return total;
}

/** The processes whose parent is `pid` (an engine's workers). */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const name of readdirSync("/proc")) if (/^\d+$/.test(name) && procStat(Number(name))?.ppid === pid) children.push(Number(name));
  return children;
}

/** The stack's broker (a process group started by `stack:up`, or reused from an earlier one). */
export function brokerPid(): number {
  const pid = readState().kafka?.pid;
  if (pid === undefined)
    throw new Error("The bench reads the broker's CPU from the stack's state, which names no Kafka process; run `npm run stack:up` again.");
  return pid;
}

/** The bench's own CPU (its event loop, its kafkajs client) in milliseconds. */
export function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/**
 * Readings of the parts at the start of a span and at its end. `reader` is whatever does the
 * reading: the bench's own children (kcat, the workers) or the bench itself (kafkajs).
 */
export class CpuSpan {
  private readonly startedAt: { broker: number; reader: number; store?: number };

  constructor(private readonly parts: { reader: () => number; store?: number }) {
    this.startedAt = this.read();
  }

  private read() {
    return { broker: treeCpuMs(brokerPid()), reader: this.parts.reader(), ...(this.parts.store !== undefined ? { store: treeCpuMs(this.parts.store) } : {}) };
  }

  /** Microseconds of CPU per event over the span, by part. */
  perEvent(events: number): CpuPerEvent {
    const now = this.read();
    const per = (ms: number) => Math.round(((ms * 1000) / events) * 100) / 100;
    return {
      broker: per(now.broker - this.startedAt.broker),
      reader: per(now.reader - this.startedAt.reader),
      ...(now.store !== undefined ? { store: per(now.store - this.startedAt.store!) } : {}),
    };
  }
}

/**
 * The bench's children that read: kcat, or the exporter's worker processes. Left out: the bench's
 * own loop, and the broker and store, which may be its children too (it may have started them).
 */
export const readerCpuMs = (store?: number) => () => treeCpuMs(process.pid, [brokerPid(), ...(store !== undefined ? [store] : [])]) - ownCpuMs();
