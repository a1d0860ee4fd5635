// Entry of the built CLI (out/main/cli.js), loaded by bin/streamdrop.cjs. User errors print
// their message alone; anything else is a bug and prints its stack.
import { StreamdropError } from "../core/errors.js";
import { cliMessage } from "./fix-text.js";
import { createProgram } from "./program.js";

createProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    if (error instanceof StreamdropError) console.error(`streamdrop: ${cliMessage(error)}`);
    else console.error("streamdrop: unexpected error:", error);
    process.exitCode = 1;
  });
