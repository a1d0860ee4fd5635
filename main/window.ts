// The main window: every security setting written out (even where Electron's default agrees, so
// a reader and a scanner see it), no navigation, no new windows, no permissions, and links only
// to the allow-listed consoles, in the user's browser.
import type { BrowserWindow, BrowserWindowConstructorOptions, Session, WebPreferences } from "electron";
import { isAllowedExternalUrl } from "./external-links.js";

export const secureWebPreferences = (preload: string): WebPreferences => ({
  preload,
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  spellcheck: false,
});

export interface WindowDeps {
  createWindow: (options: BrowserWindowConstructorOptions) => BrowserWindow;
  preloadPath: string;
  /** The electron-vite dev server in development, otherwise the built index.html. */
  page: { url: string } | { file: string };
  openExternal: (url: string) => Promise<void>;
  /** Shown hidden when the app started at login, straight to the tray. */
  showOnReady: boolean;
}

export function openMainWindow({ createWindow, preloadPath, page, openExternal, showOnReady }: WindowDeps): BrowserWindow {
  const window = createWindow({
    width: 1200,
    height: 800,
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: "Streamdrop",
    webPreferences: secureWebPreferences(preloadPath),
  });
  if (showOnReady) window.once("ready-to-show", () => window.show());
  const contents = window.webContents;
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void openExternal(url);
    return { action: "deny" };
  });
  contents.on("will-navigate", (event) => event.preventDefault());
  denyPermissions(contents.session);
  if ("url" in page) void window.loadURL(page.url);
  else void window.loadFile(page.file);
  return window;
}

/** The app needs no camera, microphone, notifications from the page, or anything else. */
export function denyPermissions(session: Pick<Session, "setPermissionRequestHandler" | "setPermissionCheckHandler">): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
