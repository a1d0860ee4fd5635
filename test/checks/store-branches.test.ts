// No place outside the stores' own modules branches on which store a sink uses: each such branch
// would be a place a new store has to be added by hand. The rest of the code asks the store's
// provider (main/core/stores/registry.ts) or a table keyed by store type, which the type checker
// keeps whole.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { expect, it } from "vitest";
import { repoRoot } from "../../stack/paths.js";

/** Where deciding by store belongs: the shared facts, and (from #18) the provider folders. */
const storeModules = [/^common\/stores\.ts$/, /^main\/core\/stores\//];

/** A comparison with a store type, or with the kind of credentials that implies one. */
const branch =
  /[!=]==\s*"(S3|GCLOUD|AZURE)"|"(S3|GCLOUD|AZURE)"\s*[!=]==|case\s+"(S3|GCLOUD|AZURE)"|kind\s*[!=]==\s*"(aws-access-key|s3-compatible|gcs-service-account|azure-sas|azure-connection-string)"/g;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

function storeBranches(): string[] {
  const found: string[] = [];
  for (const file of ["main", "common", "preload", "renderer"].flatMap((dir) => sources(join(repoRoot, dir)))) {
    const path = relative(repoRoot, file);
    if (storeModules.some((module) => module.test(path))) continue;
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((line, index) => {
        for (const match of line.matchAll(branch)) found.push(`${path}:${index + 1}: ${match[0]}`);
      });
  }
  return found;
}

it("never branches on the store outside the stores' own modules", () => {
  const found = storeBranches();
  expect(found, `store branches outside common/stores.ts and main/core/stores/:\n${found.join("\n")}`).toEqual([]);
});

it("finds a branch on the store where one is (so the count means something)", () => {
  expect('if (sink.type === "GCLOUD") return'.match(branch)).toHaveLength(1);
  expect('x.kind !== "s3-compatible"'.match(branch)).toHaveLength(1);
  expect("stores[sink.type].name".match(branch)).toBeNull();
});
