// A Schema Registry for topics in the Confluent wire format: Apicurio Registry 2.6.13.Final, the
// runnable archive from Maven Central (kept in Maven's repository, unpacked once into the cache),
// on Java 17 with in-memory storage. Confluent's API is at /apis/ccompat/v7, as Confluent Cloud's
// registry and Karapace speak it. Notes: ../shared/reference/test-stack-notes.md.
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { StackError } from "./errors.js";
import { stackOidcAudience } from "./oidc.js";
import { cacheDir, logDir, mavenRepo } from "./paths.js";
import { host, httpAnswers, ports } from "./ports.js";
import { runTool, startServer, type Tool } from "./processes.js";
import type { Running } from "./state.js";

export const apicurioVersion = "2.6.13.Final";
const home = join(cacheDir, `apicurio-registry-${apicurioVersion}`);
const runner = join(home, `apicurio-registry-app-${apicurioVersion}-runner.jar`);
const maven: Tool = { command: "mvn", install: "Install Maven, e.g. `apt-get install -y maven`." };
const tar: Tool = { command: "tar", install: "Install tar." };
const java: Tool = { command: "java", install: "Install Java 17, e.g. `apt-get install -y openjdk-17-jre-headless`." };

/** The registry's runner jar (its lib/ beside it), fetched and unpacked on first use. */
export function registryJar(): string {
  if (existsSync(runner)) return runner;
  const archive = join(mavenRepo, "io", "apicurio", "apicurio-registry-app", apicurioVersion, `apicurio-registry-app-${apicurioVersion}-all.tar.gz`);
  if (!existsSync(archive)) {
    try {
      runTool(maven, [
        "-B",
        "-q",
        `-Dmaven.repo.local=${mavenRepo}`,
        "dependency:get",
        `-Dartifact=io.apicurio:apicurio-registry-app:${apicurioVersion}:tar.gz:all`,
        "-Dtransitive=false",
      ]);
    } catch (error) {
      throw new StackError(`Maven could not fetch Apicurio Registry ${apicurioVersion}. Check that Maven Central is reachable.\n${(error as Error).message}`);
    }
  }
  // Unpacked beside the final folder and renamed into place: a killed unpack leaves no half a registry.
  const unpacking = `${home}.${process.pid}.tmp`;
  rmSync(unpacking, { recursive: true, force: true });
  mkdirSync(unpacking, { recursive: true });
  runTool(tar, ["-xzf", archive, "-C", unpacking]);
  rmSync(home, { recursive: true, force: true });
  renameSync(unpacking, home);
  return runner;
}

/** Where clients reach Confluent's API. */
export const registryUrl = (port = ports.registry) => `http://${host}:${port}/apis/ccompat/v7`;

export const registryAnswers = (port = ports.registry, timeoutMs = 5000): Promise<boolean> => httpAnswers(`http://${host}:${port}/health/ready`, timeoutMs);

export async function startRegistry(): Promise<Running> {
  const jar = registryJar();
  const logFile = join(logDir, "registry.log");
  const pid = await startServer({
    name: "Apicurio Registry",
    tool: java,
    args: ["-Xmx384m", `-Dquarkus.http.host=${host}`, `-Dquarkus.http.port=${ports.registry}`, "-Dquarkus.http.access-log.enabled=false", "-jar", jar],
    logFile,
    answers: () => registryAnswers(),
    timeoutMs: 120_000,
  });
  return { pid, port: ports.registry, logFile };
}

export interface AuthenticatedRegistryNode {
  port: number;
  /** The OpenID provider whose tokens it accepts: its `iss`, where discovery (`/.well-known/openid-configuration`) and the key set are found. */
  issuer: string;
  /** The `aud` a token must carry (default: the stack provider's `kafka-broker`, so a stream's Kafka token serves here too). */
  audience?: string;
  logFile: string;
}

/**
 * The same registry, but every API call (reads too) needs `Authorization: Bearer <access token>`
 * signed by `issuer`'s keys, with that `iss` and `aud` `audience`; anything else gets 401. Apicurio's
 * own OIDC switch (`registry.auth.enabled`, which turns Quarkus' OIDC tenant on) with the provider
 * named directly instead of a Keycloak realm; no roles or owners, so any valid token may write.
 * Quarkus fetches discovery and keys from `issuer` when it starts, so the provider must be serving.
 * Health stays open, which is how readiness is seen. Resolves with Confluent's API URL.
 */
export async function startAuthenticatedRegistry(node: AuthenticatedRegistryNode): Promise<{ pid: number; url: string }> {
  const jar = registryJar();
  const pid = await startServer({
    name: "Apicurio Registry (OIDC)",
    tool: java,
    args: [
      "-Xmx256m",
      `-Dquarkus.http.host=${host}`,
      `-Dquarkus.http.port=${node.port}`,
      "-Dquarkus.http.access-log.enabled=false",
      "-Dregistry.auth.enabled=true",
      "-Dquarkus.oidc.tenant-enabled=true",
      `-Dquarkus.oidc.auth-server-url=${node.issuer}`,
      `-Dquarkus.oidc.token.issuer=${node.issuer}`,
      `-Dquarkus.oidc.token.audience=${node.audience ?? stackOidcAudience}`,
      "-Dquarkus.oidc.client-id=apicurio-registry",
      "-Dregistry.auth.anonymous-read-access.enabled=false",
      "-Dregistry.auth.role-based-authorization=false",
      "-Dregistry.auth.basic-auth-client-credentials.enabled=false",
      "-jar",
      jar,
    ],
    logFile: node.logFile,
    answers: () => registryAnswers(node.port),
    timeoutMs: 120_000,
  });
  return { pid, url: registryUrl(node.port) };
}
