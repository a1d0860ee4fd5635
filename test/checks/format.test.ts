// Every source file is as Prettier writes it (.prettierrc.json; `npm run format` fixes them all):
// a diff shows what changed, never how it was laid out.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as prettier from "prettier";
import { expect, it } from "vitest";
import { repoRoot } from "../../stack/paths.js";

it("finds every tracked source file formatted", async () => {
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "*.ts", "*.tsx", "*.js", "*.mjs", "*.cjs"], {
    cwd: repoRoot,
    encoding: "utf8",
  })
    .split("\n")
    .filter(Boolean);
  expect(files.length).toBeGreaterThan(300);
  const unformatted: string[] = [];
  for (const file of files) {
    const path = join(repoRoot, file);
    if ((await prettier.getFileInfo(path, { ignorePath: join(repoRoot, ".prettierignore") })).ignored) continue;
    const options = await prettier.resolveConfig(path);
    if (!(await prettier.check(readFileSync(path, "utf8"), { ...options, filepath: path }))) unformatted.push(file);
  }
  expect(unformatted, "run `npm run format`").toEqual([]);
});
