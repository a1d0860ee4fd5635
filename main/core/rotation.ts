// Size-based rotation for files that would otherwise grow forever (the app log, export logs):
// `file` -> `file.1` -> ... -> `file.<keep>`, the oldest dropped.
import { existsSync, renameSync, rmSync } from "node:fs";

export function rotate(file: string, keep: number): void {
  rmSync(`${file}.${keep}`, { force: true });
  for (let index = keep - 1; index >= 1; index -= 1) if (existsSync(`${file}.${index}`)) renameSync(`${file}.${index}`, `${file}.${index + 1}`);
  if (existsSync(file)) renameSync(file, `${file}.1`);
}

/** The rotated files, oldest first, then the current one. */
export function rotatedFiles(file: string, keep: number): string[] {
  return [...Array.from({ length: keep }, (_, i) => `${file}.${keep - i}`), file];
}
