// Entry of the built CLI (out/main/cli.js), loaded by bin/streamdrop.cjs. User errors print
// their message alone; anything else is a bug and prints its stack.
import { StreamdropError } from "../core/errors.js";
import { cliMessage } from "./fix-text.js";
import { createProgram } from "./program.js";

// The SDK warns on every run that its 2027 releases need Node 22; our pinned versions run on 20.
// (Read when the first client is built, so setting it here is early enough.)
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

createProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    if (error instanceof StreamdropError) console.error(`streamdrop: ${cliMessage(error)}`);
    else console.error("streamdrop: unexpected error:", error);
    process.exitCode = 1;
  });
