// `npm run ui:web`: the renderer in any browser, on the real core (STREAMDROP_HOME and the
// keychain as the CLI uses them). Prints `UI_URL=...`; Ctrl-C stops it and its exporters.
import { join } from "node:path";
import { repoRoot } from "../../stack/paths.js";
import { startWebBridge } from "./web-bridge.js";

const bridge = await startWebBridge({ staticDir: join(repoRoot, "out", "renderer"), port: Number(process.env.UI_PORT ?? 0) });
console.log(`UI_URL=${bridge.url}`);
console.error("Serving the Streamdrop UI on 127.0.0.1 for this machine only; Ctrl-C stops it.");
const stop = async () => {
  await bridge.close();
  process.exit(0);
};
process.once("SIGINT", () => void stop());
process.once("SIGTERM", () => void stop());
