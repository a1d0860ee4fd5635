// Things that several processes sharing one data folder each keep their own of (a worker's spool
// folder, an engine's part of the status board) are named after the process that made them, so
// the others can tell which are left behind: the name ends `~<machine>~<pid>~<nonce>`. The machine
// is the host name and, on Linux, the pid namespace: containers may share a host name and a data
// volume but not a process table, so only this machine's names can be judged by their pid. The
// nonce keeps apart two processes that have the same pid in different namespaces.
import { randomBytes } from "node:crypto";
import { readlinkSync, rmSync, statSync } from "node:fs";
import { hostname } from "node:os";

export interface ProcessOwner {
  machine: string;
  pid: number;
  nonce: string;
  alive(pid: number): boolean;
  now(): number;
}

/** This process, with a fresh nonce (each call names a new owner). */
export const thisProcess = (): ProcessOwner => ({
  machine: thisMachine(),
  pid: process.pid,
  nonce: randomBytes(4).toString("hex"),
  alive: processAlive,
  now: Date.now,
});

/** `~<machine>~<pid>~<nonce>`; a host name may hold anything, and the name must parse back. */
export const ownerSuffix = (owner: ProcessOwner): string => `~${safeMachine(owner.machine)}~${owner.pid}~${owner.nonce}`;

/** The owner a name ends with; none for names made before they were per process. */
export function ownerOf(name: string): { machine: string; pid: number } | undefined {
  const [, machine, pid] = /~([^~]*)~(\d+)~[0-9a-f]+$/.exec(name) ?? [];
  return machine !== undefined && pid !== undefined ? { machine, pid: Number(pid) } : undefined;
}

/** Named by a process of this machine that has exited: nothing will come back to it. */
export function diedHere(name: string, judge: ProcessOwner): boolean {
  const owner = ownerOf(name);
  return owner !== undefined && owner.machine === safeMachine(judge.machine) && !judge.alive(owner.pid);
}

/** What no living process has touched for this long was left by one that died elsewhere (a live one touches its own every few seconds). */
export const abandonedAfterMs = 24 * 60 * 60 * 1000;

/**
 * Whether what `name` names was left behind: by a dead process of this machine, or (another
 * machine's, whose pids mean nothing here, or one named before names were per process) untouched
 * for `abandonedAfterMs`.
 */
export function leftBehind(name: string, judge: ProcessOwner, untouchedForMs: () => number): boolean {
  const owner = ownerOf(name);
  if (owner?.machine === safeMachine(judge.machine)) return !judge.alive(owner.pid);
  return untouchedForMs() >= abandonedAfterMs;
}

/**
 * Removes `path` (a file or a folder) when the process `name` names left it behind. Another
 * user's, or one gone meanwhile, is left where it is: a failure here must not stop the caller.
 */
export function removeIfLeftBehind(path: string, name: string, judge: ProcessOwner): void {
  if (!leftBehind(name, judge, () => untouchedFor(path, judge.now()))) return;
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // Left behind.
  }
}

function untouchedFor(path: string, now: number): number {
  try {
    return now - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

const safeMachine = (machine: string) => machine.replace(/[^A-Za-z0-9.-]/g, "_");

function thisMachine(): string {
  let namespace = "";
  try {
    namespace = /\[(\d+)\]/.exec(readlinkSync("/proc/self/ns/pid"))?.[1] ?? "";
  } catch {
    // Not Linux: one process table per host.
  }
  return `${hostname()}${namespace ? `.pidns${namespace}` : ""}`;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it lives, as another user's.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
