// One Streamdrop per user: a second launch hands over to the first (which shows its window) and
// quits, so two apps never run the same exporters side by side from one config.
import type { App } from "electron";

export function claimSingleInstance(app: Pick<App, "requestSingleInstanceLock" | "quit" | "on">, showFirst: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on("second-instance", () => showFirst());
  return true;
}
