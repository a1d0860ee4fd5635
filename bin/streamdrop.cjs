#!/usr/bin/env node
// `streamdrop` command: loads the CLI that `npm run build` writes to out/main/cli.js.
const { existsSync } = require("node:fs");
const { join } = require("node:path");
const { pathToFileURL } = require("node:url");

const entry = join(__dirname, "..", "out", "main", "cli.js");
if (!existsSync(entry)) {
  console.error(`streamdrop: the CLI is not built yet. Run \`npm run build\` in ${join(__dirname, "..")} first.`);
  process.exit(1);
}
import(pathToFileURL(entry).href).catch((error) => {
  console.error(error);
  process.exit(1);
});
