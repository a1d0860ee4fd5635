// How many places outside the stores' own modules branch on which store a sink uses (S3, Cloud
// Storage): each is a place a new store would have to be added by hand. Issue #18 moves them all
// behind one provider per store and ends this count at zero; until then it may only go down, so
// no new branch is added while the move is under way. Lower `allowed` as branches go.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { expect, it } from "vitest";
import { repoRoot } from "../../stack/paths.js";

const allowed = 30;

/** Where deciding by store belongs: the shared facts, and (from #18) the provider folders. */
const storeModules = [/^common\/stores\.ts$/, /^main\/core\/stores\//];

/** A comparison with a store type, or with the kind of credentials that implies one. */
const branch = /[!=]==\s*"(S3|GCLOUD)"|"(S3|GCLOUD)"\s*[!=]==|case\s+"(S3|GCLOUD)"|kind\s*[!=]==\s*"(aws-access-key|s3-compatible|gcs-service-account)"/g;

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
    readFileSync(file, "utf8").split("\n").forEach((line, index) => {
      for (const match of line.matchAll(branch)) found.push(`${path}:${index + 1}: ${match[0]}`);
    });
  }
  return found;
}

it(`branches on the store in at most ${allowed} places outside the stores' own modules`, () => {
  const found = storeBranches();
  expect(found.length, `store branches outside common/stores.ts and main/core/stores/:\n${found.join("\n")}`).toBeLessThanOrEqual(allowed);
});

it("finds a branch on the store where one is (so the count means something)", () => {
  expect("if (sink.type === \"GCLOUD\") return".match(branch)).toHaveLength(1);
  expect("x.kind !== \"s3-compatible\"".match(branch)).toHaveLength(1);
  expect("stores[sink.type].name".match(branch)).toBeNull();
});
