// Where the local stack keeps its state (per clone, git-ignored) and its downloads
// (outside the clone, so a fresh clone on the same machine downloads nothing again).
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Pid files, data folders and logs of what `stack:up` started. */
export const stateDir = process.env.STREAMDROP_STACK_DIR ?? join(repoRoot, ".stack");
export const logDir = join(stateDir, "logs");

/** Downloads shared by every clone: `$XDG_CACHE_HOME/streamdrop` or `~/.cache/streamdrop`. */
export const cacheDir = join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "streamdrop");

/** Maven's own local repository; overridable because the keychain wrapper swaps HOME. */
export const mavenRepo = process.env.STREAMDROP_MAVEN_REPO ?? join(homedir(), ".m2", "repository");
