// Electron main process: wiring only. The behaviour lives in AppShell, TrayView, the window
// module and the IPC handlers, which take their Electron objects from here.
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { app, BrowserWindow, ipcMain, Menu, nativeImage, Notification, shell, Tray, utilityProcess, type BrowserWindowConstructorOptions } from "electron";
import type { PushEvent, PushEvents } from "../preload/contract.js";
import { AppShell } from "./app-shell.js";
import { createCore } from "./core/index.js";
import { builtWorkerEntry } from "./core/exporters/control/worker-launcher.js";
import { productName, productVersion } from "./core/product.js";
import { isAllowedExternalUrl } from "./external-links.js";
import { createHandlers } from "./ipc/handlers.js";
import { hiddenFlag, loginItem } from "./login-item.js";
import { claimSingleInstance } from "./single-instance.js";
import { registerHandlers, trustedSender } from "./ipc/register.js";
import type { TrayIcon } from "./tray/tray-model.js";
import { TrayView } from "./tray/tray-view.js";
import { utilityWorkerLauncher } from "./utility-worker.js";
import { openMainWindow } from "./window.js";

const preloadPath = fileURLToPath(new URL("../preload/index.cjs", import.meta.url));
const rendererFile = fileURLToPath(new URL("../renderer/index.html", import.meta.url));
const devUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const page = devUrl ? { url: devUrl } : { file: rendererFile };
const appUrlPrefix = devUrl ?? pathToFileURL(rendererFile).href;
const resources = app.isPackaged ? join(process.resourcesPath, "resources") : fileURLToPath(new URL("../../resources", import.meta.url));
// Started at login: straight to the tray.
const startHidden = process.argv.includes(hiddenFlag) || app.getLoginItemSettings().wasOpenedAtLogin;

let mainWindow: BrowserWindow | undefined;

const openExternal = async (url: string) => {
  // Only the AWS and Google Cloud console pages pass the allow-list (external-links.ts, tested).
  if (isAllowedExternalUrl(url)) await shell.openExternal(url); /* eng-disable OPEN_EXTERNAL_JS_CHECK */
};

function showMainWindow(show = true): void {
  if (!mainWindow || mainWindow.isDestroyed()) {
    // Electronegativity sees a BrowserWindow without its options here; they are made in window.ts
    // (contextIsolation and sandbox on, nodeIntegration off, auxclick and new windows refused, all
    // tested in test/unit/shell/window.test.ts).
    const createWindow = (options: BrowserWindowConstructorOptions) =>
      new BrowserWindow(options); /* eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK */
    mainWindow = openMainWindow({ createWindow, preloadPath, page, openExternal, showOnReady: show });
    mainWindow.on("close", (event) => shellLogic?.onWindowClose(event, mainWindow!));
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

function push<E extends PushEvent>(event: E, payload: PushEvents[E]): void {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(event, payload);
}

let shellLogic: AppShell | undefined;

if (claimSingleInstance(app, () => showMainWindow())) {
  app.setName(productName);
  // Exporters run from the tray: closing every window is not quitting.
  app.on("window-all-closed", () => undefined);
  app.on("before-quit", (event) => {
    if (shellLogic && !shellLogic.isQuitting) {
      event.preventDefault();
      void shellLogic.quit();
    }
  });
  void app.whenReady().then(async () => {
    const core = createCore({ component: "app" });
    const engine = core.engine({ launch: utilityWorkerLauncher(utilityProcess.fork, builtWorkerEntry(dirname(fileURLToPath(import.meta.url)))) });
    const tray = new TrayView(
      {
        createTray: (icon) => new Tray(icon),
        icon: (state: TrayIcon) => nativeImage.createFromPath(join(resources, `tray-${state}.png`)),
        buildMenu: (template) => Menu.buildFromTemplate(template),
      },
      (action) => void shellLogic?.onTrayAction(action),
    );
    shellLogic = new AppShell({
      engine,
      exporters: core.exporters,
      tray,
      showWindow: () => showMainWindow(),
      notify: (title, body) => new Notification({ title, body }).show(),
      notificationsOn: async () => (await core.appSettings.read()).notifications,
      push,
      exit: () => app.exit(0),
    });
    const isOurs = (id: number) => BrowserWindow.getAllWindows().some((window) => window.webContents.id === id);
    const handlers = createHandlers({
      appInfo: { name: productName, version: productVersion, dataDir: core.dataDir },
      core,
      engine,
      settings: loginItem(process.platform, app, process.execPath),
      openExternal,
    });
    registerHandlers(ipcMain, handlers, trustedSender(isOurs, appUrlPrefix), core.log);
    showMainWindow(!startHidden);
    await shellLogic.start();
    app.on("activate", () => showMainWindow());
  });
}
