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

export const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
