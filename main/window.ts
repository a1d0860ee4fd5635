// The main window: sandboxed, context-isolated, and unable to navigate or open other windows.
import type { BrowserWindow, BrowserWindowConstructorOptions } from "electron";

export interface WindowDeps {
  createWindow: (options: BrowserWindowConstructorOptions) => BrowserWindow;
  preloadPath: string;
  /** The electron-vite dev server in development, otherwise the built index.html. */
  page: { url: string } | { file: string };
}

export function openMainWindow({ createWindow, preloadPath, page }: WindowDeps): BrowserWindow {
  const window = createWindow({
    width: 1200,
    height: 800,
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: "Streamdrop",
    webPreferences: { preload: preloadPath, contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  window.once("ready-to-show", () => window.show());
  window.webContents.setWindowOpenHandler(() => ({ action: "deny" }));
  window.webContents.on("will-navigate", (event) => event.preventDefault());
  if ("url" in page) void window.loadURL(page.url);
  else void window.loadFile(page.file);
  return window;
}
