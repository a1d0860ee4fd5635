// Runs the built `streamdrop` command the way users do, capturing everything it prints.
import { mkdtempSync } from "node:fs";
import { expect } from "vitest";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../../stack/paths.js";
import { uniqueName } from "./clients.js";
import { runCaptured, type Run } from "./run.js";

export type CliRun = Run;

export const streamdropBin = join(repoRoot, "bin", "streamdrop.cjs");

/** `wrap` runs the command inside another one, e.g. a D-Bus session with a locked keyring. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, wrap: string[] = [], input?: string): Promise<CliRun> {
  const command = [...wrap, process.execPath, streamdropBin, ...args];
  return runCaptured(command[0]!, command.slice(1), { cwd: repoRoot, env, ...(input !== undefined ? { input } : {}) });
}

export interface CliEnvOptions {
  /** A data folder to use (another process's, a harness's); by default a fresh one. */
  dataDir?: string;
  keychainService?: string;
  /** A made-up AWS key in the environment, for sinks on moto that use the default credential chain. */
  awsKey?: boolean;
  /** More variables. */
  env?: NodeJS.ProcessEnv;
}

/** The one environment CLI tests run `streamdrop` in: its own data folder and keychain service. */
export class CliEnv {
  readonly dataDir: string;
  readonly keychainService: string;
  readonly env: NodeJS.ProcessEnv;

  constructor(name: string, options: CliEnvOptions = {}) {
    this.dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), `streamdrop-${name}-`));
    this.keychainService = options.keychainService ?? uniqueName(`Streamdrop-${name}`);
    const aws = options.awsKey
      ? {
          AWS_ACCESS_KEY_ID: `AKIA${name
            .replace(/[^a-z]/gi, "")
            .toUpperCase()
            .padEnd(16, "0")
            .slice(0, 16)}`,
          AWS_SECRET_ACCESS_KEY: uniqueName("not-a-secret"),
          AWS_EC2_METADATA_DISABLED: "true",
        }
      : {};
    this.env = { ...process.env, STREAMDROP_HOME: this.dataDir, STREAMDROP_KEYCHAIN_SERVICE: this.keychainService, ...aws, ...options.env };
  }

  /** `streamdrop args…` here; `input` goes to its stdin. */
  run(args: string[], input?: string): Promise<CliRun> {
    return runCli(args, this.env, [], input);
  }
}

/** `streamdrop` in `env` (`cli`), and run where it must succeed (`ok`: its stderr in the failure). */
export function cliIn(env: NodeJS.ProcessEnv) {
  const cli = (...args: string[]) => runCli(args, env);
  const ok = async (...args: string[]) => {
    const run = await cli(...args);
    expect(run.code, `streamdrop ${args.join(" ")}: ${run.stderr}`).toBe(0);
    return run;
  };
  return { cli, ok };
}
