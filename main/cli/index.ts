// Entry of the built CLI (out/main/cli.js), loaded by bin/streamdrop.cjs.
import { createProgram } from "./program.js";

createProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    console.error(`streamdrop: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
