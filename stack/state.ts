// What this clone's `stack:up` started, so `down` stops exactly that and `up` can reuse it.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stateDir } from "./paths.js";

/** In start order: Kafka's OAuth listener fetches the OpenID provider's (`oidc`) key set when it starts. */
export const stackComponents = ["oidc", "kafka", "moto", "registry"] as const;
export type Component = (typeof stackComponents)[number];

export interface Running {
  pid: number;
  port: number;
  logFile: string;
  /** Folders owned by this run, removed on `down`. */
  dataDir?: string;
}

export type StackState = Partial<Record<Component, Running>>;

const stateFile = join(stateDir, "state.json");

export function readState(): StackState {
  if (!existsSync(stateFile)) return {};
  try {
    return JSON.parse(readFileSync(stateFile, "utf8")) as StackState;
  } catch {
    // A torn write from a killed `up`: treat as nothing recorded; `up` checks ports anyway.
    return {};
  }
}

export function writeState(state: StackState): void {
  mkdirSync(stateDir, { recursive: true });
  if (Object.keys(state).length === 0) {
    rmSync(stateFile, { force: true });
    return;
  }
  const temp = `${stateFile}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(state, null, 2));
  renameSync(temp, stateFile);
}
