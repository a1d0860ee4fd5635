// Peak resident memory of a process (Linux: VmHWM, the kernel's own high-water mark).
import { readFileSync } from "node:fs";

export function peakRssBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0; // Exited already: the last reading stands.
  }
}

export const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
