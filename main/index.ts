// Electron main process: app lifecycle only. Everything it does lives in core or in small,
// injectable modules beside it.
import { fileURLToPath, pathToFileURL } from "node:url";
import { app, BrowserWindow, ipcMain } from "electron";
import { dataDir } from "./core/data-dir.js";
import { productName, productVersion } from "./core/product.js";
import { createHandlers } from "./ipc/handlers.js";
import { registerHandlers, trustedSender } from "./ipc/register.js";
import { openMainWindow } from "./window.js";

const preloadPath = fileURLToPath(new URL("../preload/index.cjs", import.meta.url));
const rendererFile = fileURLToPath(new URL("../renderer/index.html", import.meta.url));
const devUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const page = devUrl ? { url: devUrl } : { file: rendererFile };
const appUrlPrefix = devUrl ?? pathToFileURL(rendererFile).href;

let mainWindow: BrowserWindow | undefined;

function showMainWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) {
    mainWindow = openMainWindow({ createWindow: (options) => new BrowserWindow(options), preloadPath, page });
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

if (!app.requestSingleInstanceLock()) {
  // A second launch only focuses the first.
  app.quit();
} else {
  app.setName(productName);
  app.on("second-instance", showMainWindow);
  void app.whenReady().then(() => {
    const isOurs = (id: number) => BrowserWindow.getAllWindows().some((window) => window.webContents.id === id);
    registerHandlers(ipcMain, createHandlers({ appInfo: { name: productName, version: productVersion, dataDir: dataDir() } }), trustedSender(isOurs, appUrlPrefix));
    showMainWindow();
    app.on("activate", showMainWindow);
  });
}
