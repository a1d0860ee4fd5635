// The whole tree type-checks (the shell against Electron's real electron.d.ts) and lints clean.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../stack/paths.js";

function run(command: string, args: string[]): { code: number; output: string } {
  try {
    return { code: 0, output: execFileSync(command, args, { cwd: repoRoot, encoding: "utf8", stdio: "pipe" }) };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { code: failed.status, output: `${failed.stdout}${failed.stderr}` };
  }
}

describe("static checks", () => {
  it("type-checks main, core, CLI, preload, stack and tests", () => {
    const result = run("npx", ["tsc", "-p", "tsconfig.json", "--noEmit"]);
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  });

  it("type-checks the renderer", () => {
    const result = run("npx", ["tsc", "-p", "renderer/tsconfig.json", "--noEmit"]);
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  });

  it("lints clean", () => {
    const result = run("npx", ["eslint", "--max-warnings=0", "."]);
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  });
});
