// Runs the built `streamdrop` command the way users do, capturing everything it prints.
import { join } from "node:path";
import { repoRoot } from "../../stack/paths.js";
import { runCaptured, type Run } from "./run.js";

export type CliRun = Run;

export const streamdropBin = join(repoRoot, "bin", "streamdrop.cjs");

/** `wrap` runs the command inside another one, e.g. a D-Bus session with a locked keyring. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, wrap: string[] = [], input?: string): Promise<CliRun> {
  const command = [...wrap, process.execPath, streamdropBin, ...args];
  return runCaptured(command[0]!, command.slice(1), { cwd: repoRoot, env, ...(input !== undefined ? { input } : {}) });
}
