// Python tools from PyPI that the tests use as outside clients (confluent-kafka's serializers, the
// aws CLI), each in a venv kept in the cache outside the clone, one per requirement list.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { cacheDir } from "../../stack/paths.js";

/** The python of the venv `name` with `requirements`, installed on first use (pip's own cache keeps the wheels). */
export function venvPython(name: string, requirements: readonly string[]): string {
  const venv = join(cacheDir, name, createHash("sha256").update(requirements.join("\n")).digest("hex").slice(0, 16));
  const binary = join(venv, "bin", "python");
  if (existsSync(binary)) return binary;
  // Installed beside, then renamed into place, so a parallel worker never sees half a venv (only `python -m` is run, never its scripts, whose #! names the scratch path).
  mkdirSync(dirname(venv), { recursive: true });
  const scratch = mkdtempSync(`${venv}.tmp-`);
  try {
    execFileSync("python3", ["-m", "venv", scratch], { stdio: "inherit" });
    execFileSync(join(scratch, "bin", "python"), ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", ...requirements], { stdio: "inherit" });
    try {
      renameSync(scratch, venv);
    } catch (error) {
      if (!existsSync(binary)) throw error; // else another worker won the race
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return binary;
}
