#!/usr/bin/env node
// `streamdrop` command: loads the CLI that `npm run build` writes to out/main/cli.js.
const { existsSync } = require("node:fs");
const { join } = require("node:path");
const { pathToFileURL } = require("node:url");

// The app ships Node 24 (Electron 45); the CLI runs on the same, and says so on anything older.
const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  console.error(
    `streamdrop: Node ${process.versions.node} is too old; Streamdrop runs on Node 24 LTS. \`. scripts/node24.sh\` in ${join(__dirname, "..")} puts it first on PATH.`,
  );
  process.exit(1);
}

const entry = join(__dirname, "..", "out", "main", "cli.js");
if (!existsSync(entry)) {
  console.error(`streamdrop: the CLI is not built yet. Run \`npm run build\` in ${join(__dirname, "..")} first.`);
  process.exit(1);
}
import(pathToFileURL(entry).href).catch((error) => {
  console.error(error);
  process.exit(1);
});
