// Fetching what the stack, the tests and the bench run, into caches outside the clone: a Maven
// project's classpath (Maven's own repository, the resolved list remembered per pom version, so a
// warm start does not run Maven at all) and Go programs (`go install` into Go's own bin folder).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { StackError } from "./errors.js";
import { cacheDir, mavenRepo } from "./paths.js";
import { runTool, type Tool } from "./processes.js";

const maven: Tool = { command: "mvn", install: "Install Maven, e.g. `apt-get install -y maven`." };
const go: Tool = { command: "go", install: "Install Go 1.22+, e.g. `apt-get install -y golang-go`, or from go.dev." };

/** The classpath of `pom`'s dependencies; `what` names them in the error when Maven fails. */
export function mavenClasspath(pom: string, cacheName: string, what: string): string {
  const digest = createHash("sha256").update(readFileSync(pom)).update(mavenRepo).digest("hex").slice(0, 16);
  const cached = join(cacheDir, cacheName, `classpath-${digest}.txt`);
  if (existsSync(cached)) {
    const classpath = readFileSync(cached, "utf8").trim();
    if (classpath.split(":").every((jar) => existsSync(jar))) return classpath;
  }
  mkdirSync(join(cacheDir, cacheName), { recursive: true });
  try {
    runTool(maven, ["-B", "-q", "-f", pom, `-Dmaven.repo.local=${mavenRepo}`, "dependency:build-classpath", `-Dmdep.outputFile=${cached}`]);
  } catch (error) {
    throw new StackError(`Maven could not resolve ${what} from ${pom}. Check that Maven Central is reachable.\n${(error as Error).message}`);
  }
  return readFileSync(cached, "utf8").trim();
}

const goBin = () => process.env.GOBIN ?? join(process.env.GOPATH ?? join(homedir(), "go"), "bin");

/** The binary `name`, built from `module@version` with `go install` on first use. */
export function goProgram(name: string, module: string, version: string): string {
  const binary = join(goBin(), name);
  if (existsSync(binary)) return binary;
  try {
    runTool(go, ["install", `${module}@${version}`], { env: { ...process.env, GOBIN: goBin() } });
  } catch (error) {
    throw new StackError(`go could not install ${module}@${version}. Check that the Go module proxy is reachable.\n${(error as Error).message}`);
  }
  return binary;
}
