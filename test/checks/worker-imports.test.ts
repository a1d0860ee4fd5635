// An exporter's worker is a thread of a worker host (a process of its own in the app), one per
// exporter, and most sit idle: whatever its bundle imports statically is resident in every one of
// them (issue #37), and whatever the host's does in every host. What only some workers
// need is imported where it is used: a store's SDK by its first upload, the Schema Registry
// decoder (avsc, protobufjs) by the first fetch of a stream with a registry, AWS's MSK signer by
// an MSK login's first token, the SDK's credential providers by the first credentials asked of
// the default chain or a role, Node's HTTP client by the registry client's first request;
// node-forge (PKCS#12 files) never. The engine's bundles (the CLI, the app's main process) are held
// to the same for what only some commands need: the stores' SDKs, AWS's setup, a PKCS#12 file's
// reader, a registry's schemas (at the end). Checked on the real
// bundle, built here into a folder of its own (out/ may be in use by other tests).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { isBuiltin } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseAst } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtinsLoadedBy } from "../../scripts/builtins-by-require.js";
import { repoRoot } from "../../stack/paths.js";
import { inFreshThread, undiciLoaded } from "../support/fresh-thread.js";

/** Any part of the AWS or Azure SDK, bundled package by package: none is loaded as a worker starts. */
const storeSdkParts = /^@(aws-sdk|smithy|aws-crypto|azure|typespec)\//;

/** Loaded only where they are used: no worker loads them as it starts. */
const onDemand = [
  "@aws-sdk/client-s3",
  "@aws-sdk/credential-providers",
  "@google-cloud/storage",
  "@azure/storage-blob",
  "aws-msk-iam-sasl-signer-js",
  "avsc",
  "protobufjs",
  "node-forge",
  "apache-arrow",
  "parquet-wasm",
  "node:http",
  "node:https",
];

/**
 * Loaded on demand by the engine (the CLI, the app's main process): the stores' SDKs (a sink's
 * check, a preview, a setup), and what only opening a PKCS#12 file or reading a registry's schemas
 * needs.
 */
const engineOnDemand = [
  "@aws-sdk/client-s3",
  "@google-cloud/storage",
  "@azure/storage-blob",
  "@aws-sdk/client-iam",
  "@aws-sdk/client-sts",
  "@aws-sdk/credential-providers",
  "node-forge",
  "avsc",
  "protobufjs",
];

/**
 * The specifiers of a module's static imports and re-exports (`import x from "m"`, `import "m"`,
 * `export { x } from "m"`), and of its dynamic ones (`import("m")`, and a package loaded on first
 * use through a function made by createRequire, as codecs.ts and client-certificate.ts do:
 * `loaded ??= load("m")`, which Rollup may write `load$1`). A createRequire call that is not such
 * a first use (one at a module's top level) counts as neither. Read from the module's syntax tree,
 * not its text: bundled packages' comments hold `import("./x.js")` too (JSDoc types).
 */
function importsOf(code: string): { static: string[]; dynamic: string[] } {
  const imports = { static: [] as string[], dynamic: [] as string[] };
  for (const node of nodesOf(parseAst(code))) {
    const source = specifierOf(node);
    if (source === undefined) continue;
    if (node.type === "ImportExpression" || node.type === "AssignmentExpression") imports.dynamic.push(source);
    else imports.static.push(source);
  }
  return imports;
}

/** The module a node loads, if it is an import, a re-export, or a first use's `??= load("m")`. */
function specifierOf(node: AstNode): string | undefined {
  switch (node.type) {
    case "ImportDeclaration":
    case "ExportNamedDeclaration":
    case "ExportAllDeclaration":
    case "ImportExpression":
      return stringValue(node.source);
    case "AssignmentExpression": {
      const call = node.right as AstNode | undefined;
      const callee = call?.callee as AstNode | undefined;
      const firstUse = node.operator === "??=" && call?.type === "CallExpression" && /^(require|load)(\$\d+)?$/.test(String(callee?.name));
      return firstUse ? stringValue((call.arguments as AstNode[])[0]) : undefined;
    }
    default:
      return undefined;
  }
}

type AstNode = { type: string } & Record<string, unknown>;

const stringValue = (node: unknown) => {
  const value = (node as AstNode | null | undefined)?.value;
  return typeof value === "string" ? value : undefined;
};

/** Every node of a syntax tree, depth first, in source order. */
function* nodesOf(root: unknown): Generator<AstNode> {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== "object") continue;
    if (typeof (value as AstNode).type === "string") yield value as AstNode;
    const children: unknown[] = Array.isArray(value) ? value : Object.values(value);
    for (let index = children.length - 1; index >= 0; index -= 1) stack.push(children[index]);
  }
}

interface Graph {
  /** The bundle's files the entry loads as it starts, its own included. */
  files: string[];
  /** The packages (and Node modules) those files import. */
  packages: Set<string>;
  /** What those files import dynamically: bundle files (absolute paths) and packages. */
  dynamic: Set<string>;
}

/** What loading `entry` loads: its static imports, followed through the bundle's own files. */
function staticGraph(entry: string): Graph {
  const files: string[] = [];
  const packages = new Set<string>();
  const dynamic = new Set<string>();
  const visit = (file: string) => {
    if (files.includes(file)) return;
    files.push(file);
    const { imports, loads } = readBundleFile(file);
    for (const name of loads) packages.add(name);
    for (const specifier of imports.static) {
      if (specifier.startsWith(".")) visit(resolve(dirname(file), specifier));
      else packages.add(packageOf(specifier));
    }
    for (const specifier of imports.dynamic) dynamic.add(specifier.startsWith(".") ? resolve(dirname(file), specifier) : packageOf(specifier));
  };
  visit(entry);
  return { files, packages, dynamic };
}

const bundleFiles = new Map<string, { imports: ReturnType<typeof importsOf>; loads: string[] }>();

/** A bundle file's imports, and the packages and Node modules it holds or loads itself; read once (graphs share files). */
function readBundleFile(file: string) {
  let read = bundleFiles.get(file);
  if (!read) {
    const code = readFileSync(file, "utf8");
    read = { imports: importsOf(code), loads: [...bundledIn(file), ...builtinsLoadedBy(code)] };
    bundleFiles.set(file, read);
  }
  return read;
}

/**
 * The packages bundled into a file rather than imported by it (the main build bundles zod and the
 * AWS and Azure SDKs: electron.vite.config.ts), read from the file's source map; a package nested in another's
 * node_modules counts as itself. Node's modules are reached through calls of the build's own
 * (scripts/builtins-by-require.ts), which Rollup leaves out of source maps: builtinsLoadedBy finds those.
 */
function bundledIn(file: string): string[] {
  const { sources } = JSON.parse(readFileSync(`${file}.map`, "utf8")) as { sources: string[] };
  return sources.flatMap((source) => {
    const inPackage = [...source.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)].at(-1);
    return inPackage ? [inPackage[1]!] : [];
  });
}

const packageOf = (specifier: string) =>
  isBuiltin(specifier)
    ? `node:${specifier.replace(/^node:/, "")}`
    : specifier
        .split("/")
        .slice(0, specifier.startsWith("@") ? 2 : 1)
        .join("/");

let outDir: string;
let worker: Graph;

beforeAll(() => {
  outDir = mkdtempSync(join(tmpdir(), "streamdrop-worker-imports-"));
  execFileSync("npx", ["electron-vite", "build", "--outDir", outDir, "--sourcemap", "--logLevel", "error"], { cwd: repoRoot, stdio: "pipe" });
  worker = staticGraph(join(outDir, "main", "exporter-worker.js"));
  // So that the bundle's external packages resolve when a test runs a part of it.
  symlinkSync(join(repoRoot, "node_modules"), join(outDir, "node_modules"));
}, 120_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** The bundle's file a worker loads on demand (directly or from another such file), and which holds or imports `marker` statically. */
function loadedOnDemand(marker: string): Graph {
  const found = everythingLoadable(worker).filter((graph) => graph.packages.has(marker));
  expect(found.length, `a file the worker loads on demand that holds or imports ${marker}`).toBeGreaterThan(0);
  return found[0]!;
}

describe("the exporter worker's bundle", () => {
  it("reads static and dynamic imports as Rollup writes them", () => {
    const code =
      'import { a as b } from "./chunks/x.js";\nimport kafkajs from "kafkajs";\nimport "node:fs";\nexport { c } from "./y.js";\nconst s = () => import("./chunks/s.js");\nconst f = () => (forge ??= load$1("node-forge"));\nconst d = require("kafkajs/src/protocol/decoder");\n/** @param {import("./Expression.js").default} e */\nexport * from "./all.js";\nexport * as some from "./some.js";\nconst p = () => (pkg ??= require("avsc"));\n';
    expect(importsOf(code)).toEqual({
      static: ["./chunks/x.js", "kafkajs", "node:fs", "./y.js", "./all.js", "./some.js"],
      dynamic: ["./chunks/s.js", "node-forge", "avsc"],
    });
  });

  it("loads only what every worker needs as it starts: kafkajs and zod", () => {
    expect(worker.packages).toContain("kafkajs");
    expect(worker.packages).toContain("zod");
    expect([...worker.packages].filter((name) => onDemand.includes(name) || storeSdkParts.test(name))).toEqual([]);
  });

  it("finds the Node modules and the bundled packages a file loads: node:http in a file loaded on demand, the SDK's parts with its client", () => {
    expect(loadedOnDemand("node:http").files.length).toBeGreaterThan(0);
    const s3 = loadedOnDemand("@aws-sdk/client-s3");
    expect([...s3.packages].filter((name) => name.startsWith("@smithy/")).length).toBeGreaterThan(0);
  });

  it("imports the MSK signer and the credential providers where they are used", () => {
    // Bundled (electron.vite.config.ts), so files of the bundle imported on demand.
    expect(loadedOnDemand("aws-msk-iam-sasl-signer-js").files.length).toBeGreaterThan(0);
    expect(loadedOnDemand("@aws-sdk/credential-providers").files.length).toBeGreaterThan(0);
  });

  it("runs the MSK signer as bundled, its CommonJS requires of the SDK resolved within the bundle: it signs with the credentials given", async () => {
    const signer = (await bundledExport(loadedOnDemand("aws-msk-iam-sasl-signer-js"), "generateAuthTokenFromCredentialsProvider")) as MskSigner;
    const accessKeyId = "AKIACHECKCHECKCHECK1";
    const { token } = await signer.generateAuthTokenFromCredentialsProvider({
      region: "eu-west-1",
      awsCredentialsProvider: async () => ({ accessKeyId, secretAccessKey: "check-not-a-secret" }),
    });
    const url = new URL(Buffer.from(token, "base64url").toString());
    expect(url.searchParams.get("Action")).toBe("kafka-cluster:Connect");
    expect(url.searchParams.get("X-Amz-Credential")).toMatch(new RegExp(`^${accessKeyId}/\\d{8}/eu-west-1/kafka-cluster/aws4_request$`));
  });

  it("loads the Schema Registry decoder (avsc, protobufjs) on demand, without the stores' SDKs", () => {
    const decoder = loadedOnDemand("avsc");
    expect(decoder.packages).toContain("protobufjs");
    expect([...decoder.packages].filter((name) => name.startsWith("@aws-sdk/") || name === "node-forge")).toEqual([]);
  });

  it("loads the S3 store on demand with the S3 SDK, not the credential providers (a static key needs none)", () => {
    const s3 = loadedOnDemand("@aws-sdk/client-s3");
    expect(
      [...s3.packages].filter((name) => ["@aws-sdk/credential-providers", "aws-msk-iam-sasl-signer-js", "node-forge", "avsc", "protobufjs"].includes(name)),
    ).toEqual([]);
  });

  // An ES import of node:http loads undici (scripts/builtins-by-require.ts); a package left external
  // may import it so, which the main build cannot change (the Azure SDK's ES build did).
  it.each(["@aws-sdk/client-s3", "@azure/storage-blob", "@google-cloud/storage"])(
    "loads %s into a thread without undici: its SDK reaches node:http as require() does",
    async (sdk) => {
      const store = pathToFileURL(loadedOnDemand(sdk).files[0]!).href;
      const loaded = await inFreshThread<{ undici: boolean } | { error: string }>(
        `await import(${JSON.stringify(store)}); return { undici: ${undiciLoaded} };`,
      );
      expect(loaded).toEqual({ undici: false });
    },
    30_000,
  );

  it("never loads node-forge, which only opens a PKCS#12 file a person gives", () => {
    const everything = everythingLoadable(worker);
    expect(worker.dynamic).not.toContain("node-forge");
    expect(everything.filter((graph) => graph.packages.has("node-forge") || graph.dynamic.has("node-forge"))).toEqual([]);
  });
});

describe("every file of the main build", () => {
  it("reaches Node's modules as require() does, never by an ES import whose getters load undici (scripts/builtins-by-require.ts)", () => {
    const files = readdirSync(join(outDir, "main"), { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".js"));
    expect(files.length).toBeGreaterThan(10);
    // node:module is electron-vite's own import, for the createRequire it adds; it has no such getters.
    const esImports = files.flatMap((name) =>
      importsOf(readFileSync(join(outDir, "main", name), "utf8")).static.filter((specifier) => isBuiltin(specifier) && specifier !== "node:module"),
    );
    expect(esImports).toEqual([]);
  });
});

describe("the worker host's bundle", () => {
  it("loads no package: its main thread only starts threads and passes messages", () => {
    const host = staticGraph(join(outDir, "main", "exporter-host.js"));
    expect([...host.packages].filter((name) => !name.startsWith("node:"))).toEqual([]);
    expect(host.dynamic.size).toBe(0);
  });
});

/** What the test asks of the MSK signer's module. */
interface MskSigner {
  generateAuthTokenFromCredentialsProvider(options: {
    region: string;
    awsCredentialsProvider: () => Promise<{ accessKeyId: string; secretAccessKey: string }>;
  }): Promise<{ token: string }>;
}

/** The object one of `graph`'s files exports (a package's namespace, as the bundle hands it over) that has the function `name`. */
async function bundledExport(graph: Graph, name: string): Promise<unknown> {
  for (const file of graph.files.filter((candidate) => readFileSync(candidate, "utf8").includes(name))) {
    const exports = Object.values((await import(pathToFileURL(file).href)) as Record<string, unknown>);
    const found = exports.find((value) => typeof (value as Record<string, unknown> | null)?.[name] === "function");
    if (found) return found;
  }
  throw new Error(`no file of the graph exports an object with ${name}`);
}

/** Every bundle file `graph` may load later, followed through their dynamic imports too, and their graphs. */
function everythingLoadable(graph: Graph): Graph[] {
  const graphs: Graph[] = [];
  const seen = new Set(graph.files);
  const queue = [...graph.dynamic].filter((target) => target.startsWith(outDir));
  for (let target = queue.shift(); target !== undefined; target = queue.shift()) {
    if (seen.has(target)) continue;
    seen.add(target);
    const loaded = staticGraph(target);
    graphs.push(loaded);
    queue.push(...[...loaded.dynamic].filter((next) => next.startsWith(outDir)));
  }
  return graphs;
}

// The engine runs in the app's main process and in `streamdrop run`, and every CLI command starts
// it: what it imports statically is resident in the app for as long as it runs, and read by every
// command as it starts (measured: 27 MiB resident of `streamdrop run`'s 120, and two fifths of
// `streamdrop list sinks`'s time; docs/BENCHMARKS.md, "What the engine loads").
describe.each(["cli.js", "index.js"])("the engine's bundle (%s)", (entry) => {
  it("loads the stores' SDKs, the IAM and STS SDKs, the credential providers, node-forge, avsc and protobufjs only where they are used", () => {
    const engine = staticGraph(join(outDir, "main", entry));
    expect(engine.packages).toContain("kafkajs");
    expect([...engine.packages].filter((name) => engineOnDemand.includes(name))).toEqual([]);
    const later = everythingLoadable(engine);
    const loadedLater = new Set([...engine.dynamic, ...later.flatMap((graph) => [...graph.packages, ...graph.dynamic])]);
    expect(engineOnDemand.filter((name) => !loadedLater.has(name))).toEqual([]);
  });
});
