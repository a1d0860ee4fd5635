// Lint rules that hold the design's boundaries:
// - main/core runs under plain Node (CLI, tests): it may not import Electron in any form;
// - only preload/ may touch ipcRenderer; everything else goes through the typed contract;
// - the renderer never imports main/ (shared rules and types live in common/), and common/
//   imports nothing of the repo but itself;
// - the IPC contract (preload/contract.ts), which the renderer type-checks against, imports only
//   common/ and zod;
// - in main/core/exporters/, what runs in a worker process (worker/ and the pipeline it builds
//   on: lines/, files/, commit/) never imports what runs in the app or CLI process (control/), nor
//   control/ the worker: the supervisor starts a worker by its entry's path.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

const electronInCore = "main/core runs under plain Node (the CLI and the tests build it): keep Electron in main/ outside core and inject what core needs.";
const frontEndInCore =
  "main/core is the engine both front ends drive: it must not import the CLI, the IPC handlers, the preload or the renderer. Move what it needs into main/core (or common/), and let the front end call it.";
const frontEnds = "^(\\.\\.\\/)+(cli|ipc|preload|renderer)(\\/|$)";
const mainInRenderer = "The renderer is browser code: it may import common/ and preload/contract.ts, never main/. Move what both sides need to common/.";
const outsideContract =
  "preload/contract.ts imports only common/ and zod: the renderer type-checks against it, so it must not reach main/ (not even for a type). Define the type in common/ and let the core import it from there too.";
/** Any module but zod and common/'s own (with no way back out of common/). */
const notForContract = "^(?!zod(\\/|$)|\\.\\.\\/common\\/(?!.*\\.\\.)).*";
const controlInWorker =
  "This runs in the exporter's worker process, which must not load the app side (control/: the engine, the service, the ledger). Move what both need up to main/core/exporters/ (or common/).";
const workerInControl =
  "control/ runs in the app or CLI process: it starts workers by their entry's path and talks to them through worker-protocol.ts, never by importing worker/.";
const corePatterns = [
  { regex: "^electron(/|$)", message: electronInCore },
  { regex: frontEnds, message: frontEndInCore },
];
const rawIpc = "Use the typed API from preload/contract.ts (window.streamdrop in the renderer); raw ipcRenderer is only allowed in preload/.";

const noIpcRendererSyntax = [
  { selector: "MemberExpression[property.name='ipcRenderer']", message: rawIpc },
  { selector: "Identifier[name='ipcRenderer']", message: rawIpc },
];
const noFrontEndSyntax = [
  { selector: `ImportExpression[source.value=/${frontEnds}/]`, message: frontEndInCore },
  { selector: `CallExpression[callee.name='require'][arguments.0.value=/${frontEnds}/]`, message: frontEndInCore },
];
const noContractSyntax = [
  { selector: `ImportExpression[source.value=/${notForContract}/]`, message: outsideContract },
  { selector: `CallExpression[callee.name='require'][arguments.0.value=/${notForContract}/]`, message: outsideContract },
  { selector: `TSImportType[source.value=/${notForContract}/]`, message: outsideContract },
];
const noElectronSyntax = [
  { selector: "ImportExpression[source.value=/^electron(\\/|$)/]", message: electronInCore },
  { selector: "CallExpression[callee.name='require'][arguments.0.value=/^electron(\\/|$)/]", message: electronInCore },
];

export default tseslint.config(
  { ignores: ["out/", "dist/", "node_modules/", ".stack/", "test-results/", "test/checks/fixtures/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  { files: ["renderer/**/*.{ts,tsx}", "scripts/ui-web/bridge-client.js"], languageOptions: { globals: { ...globals.browser } } },
  // CommonJS by necessity: the CLI launcher, and what `node --require` loads into a tool we run.
  { files: ["bin/**/*.cjs", "test/checks/*.cjs"], languageOptions: { sourceType: "commonjs" }, rules: { "@typescript-eslint/no-require-imports": "off" } },
  {
    files: ["**/*.{ts,tsx,js,cjs,mjs}"],
    ignores: ["preload/**"],
    rules: {
      "no-restricted-syntax": ["error", ...noIpcRendererSyntax],
      "@typescript-eslint/no-restricted-imports": ["error", { paths: [{ name: "electron", importNames: ["ipcRenderer"], message: rawIpc }] }],
    },
  },
  {
    files: ["main/core/**/*.{ts,tsx,js}"],
    rules: {
      "no-restricted-syntax": ["error", ...noIpcRendererSyntax, ...noElectronSyntax, ...noFrontEndSyntax],
      "@typescript-eslint/no-restricted-imports": ["error", { patterns: corePatterns }],
    },
  },
  {
    files: ["main/core/exporters/{worker,lines,files,commit}/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", { patterns: [...corePatterns, { regex: "^(\\.\\./)+control/", message: controlInWorker }] }],
    },
  },
  {
    files: ["main/core/exporters/control/**/*.ts"],
    rules: { "@typescript-eslint/no-restricted-imports": ["error", { patterns: [...corePatterns, { regex: "^\\.\\./worker/", message: workerInControl }] }] },
  },
  {
    files: ["renderer/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-syntax": ["error", ...noIpcRendererSyntax],
      "@typescript-eslint/no-restricted-imports": [
        "error",
        { paths: [{ name: "electron", importNames: ["ipcRenderer"], message: rawIpc }], patterns: [{ regex: "(^|/)main(/|$)", message: mainInRenderer }] },
      ],
    },
  },
  {
    files: ["preload/contract.ts"],
    rules: {
      "no-restricted-syntax": ["error", ...noContractSyntax],
      "@typescript-eslint/no-restricted-imports": ["error", { patterns: [{ regex: notForContract, message: outsideContract }] }],
    },
  },
  {
    files: ["common/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        { patterns: [{ regex: "^(node:|electron|\\.\\./)", message: "common/ is shared with the renderer: no Node, no Electron, nothing outside common/." }] },
      ],
    },
  },
);
