// The boundary rules fire on deliberate violations. The fixtures live outside main/core/ (which
// must stay free of electron) and are linted as if they were placed where the rule applies.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../stack/paths.js";

const eslint = new ESLint({ cwd: repoRoot });

async function lintAs(fixture: string, pretendPath: string) {
  const code = readFileSync(join(repoRoot, "test/checks/fixtures", fixture), "utf8");
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, pretendPath) });
  return result!.messages.map((message) => `${message.ruleId}: ${message.message}`);
}

describe("boundary lint rules", () => {
  it.each([
    ["imports-electron.ts", "main/core/violation.ts"],
    ["type-imports-electron.ts", "main/core/violation.ts"],
    ["requires-electron.ts", "main/core/sinks/violation.ts"],
  ])("%s fails inside main/core", async (fixture, path) => {
    const messages = await lintAs(fixture, path);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.join("\n")).toContain("main/core runs under plain Node");
  });

  it("allows the same electron import in the Electron shell", async () => {
    expect(await lintAs("imports-electron.ts", "main/window-fixture.ts")).toEqual([]);
  });

  it("allows Node modules in main/core", async () => {
    expect(await lintAs("clean-core.ts", "main/core/clean.ts")).toEqual([]);
  });

  it("bans raw ipcRenderer in the renderer and in main", async () => {
    for (const path of ["renderer/src/violation.tsx", "main/violation.ts"]) {
      const messages = await lintAs("raw-ipc-renderer.tsx", path);
      expect(messages.join("\n")).toContain("raw ipcRenderer is only allowed in preload/");
    }
  });

  it("allows ipcRenderer in preload/", async () => {
    expect(await lintAs("raw-ipc-renderer.tsx", "preload/bridge.tsx")).toEqual([]);
  });

  it("keeps main/ out of the renderer", async () => {
    const messages = await lintAs("renderer-imports-main.tsx", "renderer/src/wizard/violation.tsx");
    expect(messages.join("\n")).toContain("never main/");
    expect(await lintAs("renderer-imports-main.tsx", "main/ipc/violation.ts")).toEqual([]);
  });

  it.each([
    ["core-imports-front-end.ts", "main/core/violation.ts"],
    ["core-loads-front-end.ts", "main/core/sinks/violation.ts"],
  ])("%s: main/core imports no front end", async (fixture, path) => {
    expect((await lintAs(fixture, path)).join("\n")).toContain("main/core is the engine both front ends drive");
  });

  it("lets the front ends import the core, and the core its own folders", async () => {
    expect(await lintAs("core-imports-front-end.ts", "main/ipc/fine.ts")).toEqual([]);
    expect(await lintAs("clean-core.ts", "main/core/exporters/fine.ts")).toEqual([]);
  });

  it.each([
    ["contract-imports-core.ts", "preload/contract.ts"],
    ["contract-loads-core.ts", "preload/contract.ts"],
    ["common-imports-node.ts", "preload/contract.ts"],
  ])("%s: the contract imports only common/ and zod", async (fixture, path) => {
    expect((await lintAs(fixture, path)).join("\n")).toContain("preload/contract.ts imports only common/ and zod");
  });

  it("lets the contract build on common/ and zod, and the rest of preload/ import the contract", async () => {
    expect(await lintAs("contract-imports-common.ts", "preload/contract.ts")).toEqual([]);
    expect(await lintAs("contract-imports-core.ts", "preload/index.ts")).toEqual([]);
  });

  it.each(["main/core/exporters/worker/violation.ts", "main/core/exporters/files/violation.ts", "main/core/exporters/commit/violation.ts"])(
    "keeps the app side out of the worker process (%s)",
    async (path) => {
      expect((await lintAs("worker-imports-control.ts", path)).join("\n")).toContain("must not load the app side");
      expect(await lintAs("worker-imports-control.ts", "main/core/exporters/control/fine.ts")).toEqual([]);
    },
  );

  it("keeps the worker's code out of control/, and the core's rules hold there too", async () => {
    expect((await lintAs("control-imports-worker.ts", "main/core/exporters/control/violation.ts")).join("\n")).toContain("never by importing worker/");
    expect(await lintAs("control-imports-worker.ts", "main/core/exporters/worker/fine.ts")).toEqual([]);
    expect((await lintAs("imports-electron.ts", "main/core/exporters/control/violation.ts")).join("\n")).toContain("main/core runs under plain Node");
    expect((await lintAs("imports-electron.ts", "main/core/exporters/worker/violation.ts")).join("\n")).toContain("main/core runs under plain Node");
  });

  it("keeps Node out of common/", async () => {
    expect((await lintAs("common-imports-node.ts", "common/violation.ts")).join("\n")).toContain("common/ is shared with the renderer");
    expect(await lintAs("common-imports-node.ts", "main/core/fine.ts")).toEqual([]);
  });
});
