// Starting servers detached (they must not hold the caller's stdout) and stopping them again.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, openSync, closeSync, readFileSync, existsSync } from "node:fs";
import { dirname } from "node:path";
import { StackError } from "./errors.js";

export interface Tool {
  command: string;
  /** What to tell the user when the command is not installed. */
  install: string;
}

/** Runs a tool to completion, failing with `install` advice when it is missing. */
export function runTool(tool: Tool, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const result = spawnSync(tool.command, args, { ...options, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new StackError(`${tool.command} is not installed or not on PATH. ${tool.install}`);
    throw new StackError(`Could not run ${tool.command}: ${result.error.message}`);
  }
  if (result.status !== 0) {
    const output = `${result.stdout}\n${result.stderr}`.trim().split("\n").slice(-15).join("\n");
    throw new StackError(`${tool.command} ${args.slice(0, 3).join(" ")} ... failed (exit ${result.status}):\n${output}`);
  }
  return result.stdout;
}

/** Starts a long-running server in its own process group with output to a log file. */
function spawnDetached(tool: Tool, args: string[], logFile: string, cwd?: string): number {
  mkdirSync(dirname(logFile), { recursive: true });
  const log = openSync(logFile, "a");
  try {
    const child = spawn(tool.command, args, { cwd, detached: true, stdio: ["ignore", log, log] });
    if (child.pid === undefined) throw new StackError(`${tool.command} could not be started. ${tool.install}`);
    child.unref();
    return child.pid;
  } finally {
    closeSync(log);
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGTERM to the process group, then SIGKILL if it has not gone after `graceMs`. */
export async function stopProcessGroup(pid: number, graceMs = 15_000): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      // Already gone.
    }
  };
  signal("SIGTERM");
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) signal("SIGKILL");
  while (isAlive(pid)) await sleep(50);
}

/**
 * Spawns a server and waits until `answers` says it serves. If it never does, it is
 * stopped again before the error is thrown, so a failed start leaves nothing running.
 */
export async function startServer(options: {
  name: string;
  tool: Tool;
  args: string[];
  /** Its working folder (default: the caller's). */
  cwd?: string;
  logFile: string;
  answers: () => Promise<boolean>;
  timeoutMs: number;
}): Promise<number> {
  const pid = spawnDetached(options.tool, options.args, options.logFile, options.cwd);
  try {
    await waitUntil(options.name, options.answers, { pid, logFile: options.logFile, timeoutMs: options.timeoutMs });
    return pid;
  } catch (error) {
    await stopProcessGroup(pid, 5000);
    throw error;
  }
}

/** Polls `check` until it returns true; on timeout or process death explains with the log's tail. */
async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  { pid, logFile, timeoutMs }: { pid: number; logFile: string; timeoutMs: number },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    if (!isAlive(pid)) throw new StackError(`${what} exited while starting. Last lines of ${logFile}:\n${tail(logFile)}`);
    await sleep(250);
  }
  throw new StackError(`${what} did not answer within ${timeoutMs / 1000} s. Last lines of ${logFile}:\n${tail(logFile)}`);
}

export function tail(file: string, lines = 20): string {
  if (!existsSync(file)) return "(no log)";
  return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
}
