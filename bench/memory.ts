// Resident memory of a process (Linux): its peak (VmHWM, the kernel's own high-water mark) and now (VmRSS).
import { readFileSync } from "node:fs";

export function peakRssBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0; // Exited already: the last reading stands.
  }
}

/** Resident memory of a process now (VmRSS), in bytes; 0 once it has exited. */
export function rssBytes(pid: number): number {
  try {
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/**
 * A process's resident memory now, split into its own pages and the pages it shares with other
 * processes (/proc/<pid>/smaps_rollup): for Node, mostly the executable's code, resident once for
 * every Node process on the machine however many count it in their RSS.
 */
export function residentSplit(pid: number): { own: number; shared: number } {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(rollup)?.[1] ?? 0) * 1024;
    return { own: kb("Private_Clean") + kb("Private_Dirty"), shared: kb("Shared_Clean") + kb("Shared_Dirty") };
  } catch {
    return { own: 0, shared: 0 };
  }
}

/** Resident memory of processes together, each page once: their own pages, and the most any of them shares (the same executable's). */
export function residentTogether(pids: number[]): number {
  const splits = pids.map(residentSplit);
  return splits.reduce((total, split) => total + split.own, 0) + Math.max(0, ...splits.map((split) => split.shared));
}

export const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
