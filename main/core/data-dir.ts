// The data folder that the desktop app and the CLI share, so either sees what the other set up.
import { homedir } from "node:os";
import { join } from "node:path";
import { productName } from "./product.js";

type Env = Record<string, string | undefined>;

/** `STREAMDROP_HOME` wins everywhere; otherwise each platform's usual place for app data. */
export function dataDir(env: Env = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (env.STREAMDROP_HOME) return env.STREAMDROP_HOME;
  switch (platform) {
    case "darwin":
      return join(home, "Library", "Application Support", productName);
    case "win32":
      return join(env.APPDATA ?? join(home, "AppData", "Roaming"), productName);
    default:
      return join(env.XDG_CONFIG_HOME || join(home, ".config"), productName);
  }
}
