// A stand-in for the `electron` module, for running the built main bundle (out/main/index.js)
// under plain Node (test/integration/app-boot.test.ts). It models what the app uses of Electron,
// and is strict where real Electron would fail or silently break:
// - `app`: its lifecycle (ready after the main module ran, before-quit / will-quit / quit,
//   exit), and nothing else: reading a member it does not model throws, so new uses get modelled;
// - `BrowserWindow`: only after ready; `webPreferences.preload` is an absolute path to an existing
//   file, and with the sandbox on it is run as Electron runs a sandboxed preload (CommonJS, and a
//   require() that loads only electron, events, timers and url); `loadFile`'s page must exist, and
//   so must every script and stylesheet it links (relative to the page's file: URL);
// - `Tray` / `nativeImage`: an icon is an existing PNG file at an absolute path (Electron would
//   show an empty icon instead);
// - `utilityProcess.fork`: only after ready, with Electron's options only, an absolute path to an
//   existing module, run as a child Node process that talks through `process.parentPort`
//   (utility-child.mjs) with structured-clone messages;
// - `ipcMain.handle`: one handler per channel; calls come through the preload's exposed API with
//   the event Electron gives (sender, senderFrame of the page's main frame).
// The test drives it over this process's IPC channel (hidden from the app: Electron's main
// process has no process.send) and hears what happened (window, tray, workers, pushes) from it.
import { spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import * as eventsModule from "node:events";
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { constants } from "node:os";
import { basename, isAbsolute, resolve as resolvePath } from "node:path";
import * as timersModule from "node:timers";
import * as urlModule from "node:url";
import { fileURLToPath, pathToFileURL } from "node:url";
import vm from "node:vm";

// --- The test's control channel -----------------------------------------------------------------

const controlSend = process.send?.bind(process);
if (!controlSend) throw new Error("electron stand-in: start the app with an IPC channel to the test (stdio 'ipc')");
process.send = undefined;

/** Tells the test what happened. */
function report(type, fields = {}) {
  controlSend({ type, ...fields }, undefined, {}, () => undefined);
}

/** Something real Electron would refuse (or silently break on): say so and end the app. */
function fail(message) {
  process.stderr.write(`electron stand-in: ${message}\n`);
  report("standin-error", { message });
  process.exitCode = 70;
  setImmediate(() => process.exit(70));
  throw new Error(`electron stand-in: ${message}`);
}

/** An object whose unmodelled string members throw when read (a new use of Electron gets modelled, not ignored). */
function strict(target, name) {
  return new Proxy(target, {
    get(object, property, receiver) {
      if (typeof property === "string" && !(property in object)) fail(`${name}.${property} is not modelled; add it to the stand-in`);
      return Reflect.get(object, property, receiver);
    },
  });
}

function preventable() {
  const event = {
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

const checkFile = (what, path) => {
  if (typeof path !== "string" || !isAbsolute(path)) fail(`${what} must be an absolute path, got ${JSON.stringify(path)}`);
  if (!existsSync(path) || !statSync(path).isFile()) fail(`${what} ${path} does not exist`);
  return path;
};

// --- app ----------------------------------------------------------------------------------------

let ready = false;
let resolveReady;
const readyPromise = new Promise((resolve) => (resolveReady = resolve));

class App extends EventEmitter {
  isPackaged = false;
  // Not #private: the app is used through a Proxy, which private fields do not pass.
  _name = "Electron";
  _quitting = false;

  whenReady() {
    return readyPromise;
  }
  isReady() {
    return ready;
  }
  requestSingleInstanceLock() {
    return true;
  }
  hasSingleInstanceLock() {
    return true;
  }
  setName(name) {
    if (typeof name !== "string" || !name) fail("app.setName takes a name");
    this._name = name;
  }
  getName() {
    return this._name;
  }
  getLoginItemSettings() {
    return {
      openAtLogin: false,
      openAsHidden: false,
      wasOpenedAtLogin: false,
      wasOpenedAsHidden: false,
      restoreState: false,
      executableWillLaunchAtLogin: false,
      launchItems: [],
    };
  }
  setLoginItemSettings(settings) {
    report("login-item", { settings });
  }
  /** As Electron: before-quit (preventable), the windows close (each preventable), will-quit (preventable), quit, exit 0. */
  quit() {
    if (this._quitting) return;
    const beforeQuit = preventable();
    this.emit("before-quit", beforeQuit);
    report("app-event", { event: "before-quit", prevented: beforeQuit.defaultPrevented });
    if (beforeQuit.defaultPrevented) return;
    for (const window of BrowserWindow.getAllWindows()) if (!window.close()) return;
    const willQuit = preventable();
    this.emit("will-quit", willQuit);
    if (willQuit.defaultPrevented) return;
    this._quitting = true;
    this.emit("quit", preventable(), 0);
    exitProcess(0);
  }
  /** As Electron: no events, the windows are destroyed, the process ends with `code`. */
  exit(code = 0) {
    if (!Number.isInteger(code)) fail(`app.exit takes an integer, got ${JSON.stringify(code)}`);
    for (const window of BrowserWindow.getAllWindows()) window.destroy();
    exitProcess(code);
  }
}

function exitProcess(code) {
  report("app-exit", { code, workers: [...liveChildren].map((child) => child.pid) });
  process.exit(code);
}

export const app = strict(new App(), "app");

// Electron keeps its main process alive until it quits; Node would end when the loop is empty.
const keepAlive = setInterval(() => undefined, 60_000);
void keepAlive;

// Ready once the main module (and whatever it imported) has been evaluated, as Electron is.
setImmediate(() => {
  ready = true;
  app.emit("will-finish-launching");
  app.emit("ready", preventable(), {});
  resolveReady();
});

// --- ipcMain --------------------------------------------------------------------------------------

const invokeHandlers = new Map();

class IpcMain extends EventEmitter {
  handle(channel, listener) {
    if (typeof listener !== "function") fail(`ipcMain.handle(${channel}) takes a function`);
    if (invokeHandlers.has(channel)) fail(`Attempted to register a second handler for '${channel}'`);
    invokeHandlers.set(channel, listener);
  }
  handleOnce(channel, listener) {
    this.handle(channel, async (...args) => {
      invokeHandlers.delete(channel);
      return listener(...args);
    });
  }
  removeHandler(channel) {
    invokeHandlers.delete(channel);
  }
}

export const ipcMain = strict(new IpcMain(), "ipcMain");

/** What ipcRenderer.invoke does: structured clones both ways, Electron's event, Electron's errors. */
async function invokeFromFrame(webContents, frame, channel, args) {
  const handler = invokeHandlers.get(channel);
  if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
  const event = { type: "frame", sender: webContents, senderFrame: frame, frameId: frame.routingId, processId: frame.processId };
  try {
    return structuredClone(await handler(event, ...structuredClone(args)));
  } catch (error) {
    throw new Error(`Error invoking remote method '${channel}': ${error}`);
  }
}

// --- BrowserWindow, webContents, the sandboxed preload ---------------------------------------------

let nextWebContentsId = 1;
const windows = [];

class WebFrame {
  constructor(webContents) {
    this.url = "";
    this.parent = null;
    this.top = this;
    this.frames = [];
    this.name = "";
    this.processId = 1000 + webContents.id;
    this.routingId = 1;
  }
}

class WebContents extends EventEmitter {
  constructor(window) {
    super();
    this.id = nextWebContentsId++;
    this.window = window;
    this.mainFrame = new WebFrame(this);
    this.session = strict(
      {
        setPermissionRequestHandler: (handler) => void (this.permissionRequestHandler = handler),
        setPermissionCheckHandler: (handler) => void (this.permissionCheckHandler = handler),
      },
      "session",
    );
    this.rendererListeners = new EventEmitter();
    /** What the preload exposed with contextBridge.exposeInMainWorld. */
    this.mainWorld = {};
  }
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler;
  }
  getURL() {
    return this.mainFrame.url;
  }
  isDestroyed() {
    return this.window.isDestroyed();
  }
  /** To the page's ipcRenderer listeners: structured-cloned, as Electron sends (a function or class instance throws). */
  send(channel, ...args) {
    if (this.isDestroyed()) fail(`webContents.send(${channel}) on a destroyed window`);
    const cloned = structuredClone(args);
    setImmediate(() => this.rendererListeners.emit(channel, { sender: null, senderId: 0, ports: [] }, ...cloned));
  }
}

/** Runs a preload as Electron runs one in a sandboxed renderer: a CommonJS script whose require() loads only a few modules. */
function runSandboxedPreload(path, webContents) {
  const source = readFileSync(path, "utf8");
  const renderer = {
    contextBridge: {
      exposeInMainWorld(key, api) {
        if (key in webContents.mainWorld) fail(`contextBridge.exposeInMainWorld: ${key} is already exposed`);
        webContents.mainWorld[key] = api;
      },
    },
    // eslint-disable-next-line no-restricted-syntax -- the stand-in is what the preload's require("electron") returns
    ipcRenderer: {
      invoke: (channel, ...args) => invokeFromFrame(webContents, webContents.mainFrame, channel, args),
      on(channel, listener) {
        webContents.rendererListeners.on(channel, listener);
        return this;
      },
      once(channel, listener) {
        webContents.rendererListeners.once(channel, listener);
        return this;
      },
      removeListener(channel, listener) {
        webContents.rendererListeners.removeListener(channel, listener);
        return this;
      },
      removeAllListeners(channel) {
        webContents.rendererListeners.removeAllListeners(channel);
        return this;
      },
    },
  };
  const loadable = { electron: renderer, events: eventsModule, timers: timersModule, url: urlModule };
  const sandboxRequire = (name) => {
    const module = loadable[name.replace(/^node:/, "")];
    if (!module)
      fail(
        `the sandboxed preload ${path} requires ${JSON.stringify(name)}, which a sandboxed preload cannot load (only electron, events, timers, url): bundle it`,
      );
    return module;
  };
  const sandboxProcess = {
    platform: process.platform,
    arch: process.arch,
    versions: process.versions,
    env: {},
    type: "renderer",
    sandboxed: true,
    contextIsolated: true,
    argv: [],
    pid: process.pid,
  };
  const context = vm.createContext({
    console,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    queueMicrotask,
    structuredClone,
    URL,
    URLSearchParams,
    TextEncoder,
    TextDecoder,
  });
  let compiled;
  try {
    compiled = vm.compileFunction(source, ["require", "module", "exports", "process", "Buffer", "global"], { filename: path, parsingContext: context });
  } catch (error) {
    fail(`the preload ${path} does not compile as a CommonJS script (a sandboxed preload must be one): ${error}`);
  }
  const module = { exports: {} };
  try {
    compiled(sandboxRequire, module, module.exports, sandboxProcess, Buffer, vm.runInContext("globalThis", context));
  } catch (error) {
    if (String(error?.message).startsWith("electron stand-in:")) throw error;
    fail(`the preload ${path} threw: ${error?.stack ?? error}`);
  }
}

/** The page's scripts and stylesheets, which must be there beside it (a wrong base breaks them under file:). */
function checkPageAssets(pageUrl) {
  const html = readFileSync(fileURLToPath(pageUrl), "utf8");
  const links = [...html.matchAll(/<(?:script|link)\b[^>]*?\s(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
  for (const link of links) {
    const url = new URL(link, pageUrl);
    if (url.protocol !== "file:") fail(`the page ${pageUrl} loads ${link} from outside the app`);
    if (!existsSync(fileURLToPath(url))) fail(`the page ${pageUrl} links ${link}, which is not at ${fileURLToPath(url)}`);
  }
  return links;
}

export class BrowserWindow extends EventEmitter {
  static getAllWindows() {
    return windows.filter((window) => !window.isDestroyed());
  }
  static getFocusedWindow() {
    return BrowserWindow.getAllWindows().find((window) => window.focused) ?? null;
  }

  #destroyed = false;
  #visible = false;
  #minimized = false;

  constructor(options = {}) {
    super();
    if (!ready) fail("Cannot create BrowserWindow before app is ready");
    this.options = options;
    const preferences = options.webPreferences ?? {};
    if (preferences.preload !== undefined) checkFile("webPreferences.preload", preferences.preload);
    this.sandboxed = preferences.sandbox !== false && preferences.nodeIntegration !== true;
    this.webContents = new WebContents(this);
    this.focused = false;
    this.#visible = options.show !== false;
    windows.push(this);
    report("window", {
      id: this.webContents.id,
      preload: preferences.preload,
      sandbox: this.sandboxed,
      contextIsolation: preferences.contextIsolation !== false,
      show: this.#visible,
    });
  }

  async loadFile(filePath, options = {}) {
    const page = resolvePath(filePath);
    if (!existsSync(page)) fail(`loadFile: ${page} does not exist (ERR_FILE_NOT_FOUND)`);
    const url = pathToFileURL(page);
    if (options.search) url.search = options.search;
    if (options.hash) url.hash = options.hash;
    return this.#load(url.href);
  }

  async loadURL(url) {
    if (url.startsWith("file:")) return this.loadFile(fileURLToPath(url));
    fail(`loadURL(${url}): the stand-in loads the built page only`);
  }

  async #load(url) {
    const assets = checkPageAssets(url);
    this.webContents.mainFrame.url = url;
    const preload = this.options.webPreferences?.preload;
    if (preload) {
      if (!this.sandboxed) fail("the stand-in runs sandboxed preloads only (the app's windows are sandboxed)");
      runSandboxedPreload(preload, this.webContents);
    }
    const api = this.webContents.mainWorld.streamdrop;
    // What the window's store does: listen to the pushes. The test hears them.
    if (api) for (const event of ["exporter:status", "exporter:file"]) api.on(event, (payload) => report("push", { event, payload }));
    report("page-loaded", { id: this.webContents.id, url, assets, exposed: Object.keys(this.webContents.mainWorld) });
    setImmediate(() => {
      this.webContents.emit("did-finish-load");
      this.emit("ready-to-show");
    });
  }

  show() {
    this.#visible = true;
    this.focused = true;
    report("window-shown", { id: this.webContents.id });
  }
  hide() {
    this.#visible = false;
    this.focused = false;
  }
  focus() {
    this.focused = true;
  }
  isVisible() {
    return this.#visible;
  }
  isMinimized() {
    return this.#minimized;
  }
  restore() {
    this.#minimized = false;
  }
  isDestroyed() {
    return this.#destroyed;
  }
  /** As Electron: 'close' (preventable), then destroyed and 'closed'. True when it closed. */
  close() {
    if (this.#destroyed) return true;
    const event = preventable();
    this.emit("close", event);
    if (event.defaultPrevented) return false;
    this.destroy();
    return true;
  }
  destroy() {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.emit("closed");
  }
}

// --- nativeImage, Tray, Menu, Notification, shell ----------------------------------------------------

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

class NativeImage {
  constructor(path) {
    this.path = path;
  }
  isEmpty() {
    return this.path === undefined;
  }
}

export const nativeImage = strict(
  {
    createFromPath(path) {
      checkFile("nativeImage.createFromPath: the icon", path);
      const head = Buffer.alloc(8);
      const fd = openSync(path, "r");
      readSync(fd, head, 0, 8, 0);
      closeSync(fd);
      if (!head.equals(pngSignature)) fail(`nativeImage.createFromPath: ${path} is not a PNG`);
      return new NativeImage(path);
    },
    createEmpty: () => new NativeImage(undefined),
  },
  "nativeImage",
);

const checkIcon = (image) => {
  if (!(image instanceof NativeImage) || image.isEmpty()) fail("Tray: the icon is not an image loaded from a file");
  return basename(image.path);
};

class MenuStandIn {
  constructor(items) {
    this.items = items;
  }
}

const menuItemKeys = new Set(["label", "type", "enabled", "click", "visible", "checked", "submenu", "role", "accelerator", "id", "toolTip", "sublabel"]);

export const Menu = strict(
  {
    buildFromTemplate(template) {
      if (!Array.isArray(template)) fail("Menu.buildFromTemplate takes an array");
      for (const item of template) {
        for (const key of Object.keys(item)) if (!menuItemKeys.has(key)) fail(`Menu item has an unknown option ${key}`);
        if (item.type !== "separator" && typeof item.label !== "string" && !item.role) fail(`Menu item without a label: ${JSON.stringify(item)}`);
        if (item.click !== undefined && typeof item.click !== "function") fail("Menu item click must be a function");
      }
      return new MenuStandIn(template);
    },
    setApplicationMenu: () => undefined,
  },
  "Menu",
);

const trays = [];

export class Tray extends EventEmitter {
  #destroyed = false;

  constructor(image) {
    super();
    if (!ready) fail("Cannot create Tray before app is ready");
    this.icon = checkIcon(image);
    this.tooltip = "";
    this.menu = undefined;
    trays.push(this);
    this.#report();
  }
  setImage(image) {
    this.icon = checkIcon(image);
    this.#report();
  }
  setToolTip(text) {
    if (typeof text !== "string") fail("Tray.setToolTip takes a string");
    this.tooltip = text;
    this.#report();
  }
  setContextMenu(menu) {
    if (menu !== null && !(menu instanceof MenuStandIn)) fail("Tray.setContextMenu takes a Menu from Menu.buildFromTemplate");
    this.menu = menu ?? undefined;
    this.#report();
  }
  destroy() {
    this.#destroyed = true;
    report("tray-destroyed");
  }
  isDestroyed() {
    return this.#destroyed;
  }
  #report() {
    if (this.#destroyed) fail("a destroyed Tray was used");
    report("tray", { icon: this.icon, tooltip: this.tooltip, menu: this.menu?.items.map((item) => item.label ?? `(${item.type})`) ?? [] });
  }
}

export class Notification extends EventEmitter {
  static isSupported() {
    return true;
  }
  constructor(options = {}) {
    super();
    if (typeof options.title !== "string") fail("Notification needs a title");
    this.options = options;
  }
  show() {
    report("notification", { title: this.options.title, body: this.options.body });
  }
}

export const shell = strict(
  {
    async openExternal(url) {
      report("open-external", { url });
    },
  },
  "shell",
);

// --- utilityProcess --------------------------------------------------------------------------------

const utilityChildShim = new URL("./utility-child.mjs", import.meta.url).href;
const utilityOptionKeys = new Set(["env", "execArgv", "cwd", "stdio", "serviceName", "allowLoadingUnsignedLibraries", "respondToAuthRequestsFromMainProcess"]);
const liveChildren = new Set();

class UtilityProcess extends EventEmitter {
  #child;
  #pid;

  constructor(modulePath, args, options) {
    super();
    const stdio = options.stdio ?? "inherit";
    const io = typeof stdio === "string" ? [stdio, stdio] : stdio.slice(1, 3);
    for (const entry of io) if (!["inherit", "ignore", "pipe"].includes(entry)) fail(`utilityProcess.fork: stdio ${JSON.stringify(stdio)}`);
    this.#child = spawn(process.execPath, [...(options.execArgv ?? []), "--import", utilityChildShim, modulePath, ...args], {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ["ignore", io[0], io[1], "ipc"],
      serialization: "advanced",
    });
    this.stdout = this.#child.stdout;
    this.stderr = this.#child.stderr;
    liveChildren.add(this.#child);
    this.#child.on("spawn", () => {
      this.#pid = this.#child.pid;
      report("worker-spawn", { pid: this.#pid, modulePath, serviceName: options.serviceName, execArgv: options.execArgv ?? [] });
      this.emit("spawn");
    });
    this.#child.on("message", (message) => this.emit("message", message));
    this.#child.on("error", (error) => this.emit("error", "FatalError", String(error), error));
    this.#child.on("exit", (code, signal) => {
      liveChildren.delete(this.#child);
      const exitCode = code ?? 128 + (constants.signals[signal] ?? 0);
      report("worker-exit", { pid: this.#child.pid, code: exitCode, signal });
      this.#pid = undefined;
      this.emit("exit", exitCode);
    });
  }
  get pid() {
    return this.#pid;
  }
  postMessage(message) {
    if (!this.#child.connected) return;
    this.#child.send(message, undefined, {}, () => undefined);
  }
  kill() {
    return this.#child.kill("SIGTERM");
  }
}

export const utilityProcess = strict(
  {
    fork(modulePath, args = [], options = {}) {
      if (!ready) fail("utilityProcess.fork: the app is not ready yet");
      checkFile("utilityProcess.fork: the module", modulePath);
      if (!Array.isArray(args) || args.some((arg) => typeof arg !== "string")) fail("utilityProcess.fork: args must be strings");
      for (const key of Object.keys(options)) if (!utilityOptionKeys.has(key)) fail(`utilityProcess.fork: Electron has no option ${key}`);
      if (options.execArgv !== undefined && (!Array.isArray(options.execArgv) || options.execArgv.some((arg) => typeof arg !== "string")))
        fail("utilityProcess.fork: execArgv must be strings");
      return new UtilityProcess(modulePath, args, options);
    },
  },
  "utilityProcess",
);

// --- The test's calls ------------------------------------------------------------------------------

/** The main window's page, as the renderer reaches the app: through what the preload exposed. */
function pageApi() {
  const window = BrowserWindow.getAllWindows()[0];
  const api = window?.webContents.mainWorld.streamdrop;
  if (!api) throw new Error("no window has loaded its page with the preload's API yet");
  return { window, api };
}

process.on("message", (message) => {
  void (async () => {
    try {
      switch (message.type) {
        case "invoke": {
          const { api } = pageApi();
          return report("reply", { id: message.id, result: await api.invoke(message.channel, structuredClone(message.input)) });
        }
        case "invoke-from": {
          // The same window, but a frame showing another page: the trusted-sender check must refuse it.
          const { window } = pageApi();
          const frame = { ...window.webContents.mainFrame, url: message.url };
          return report("reply", { id: message.id, result: await invokeFromFrame(window.webContents, frame, message.channel, [message.input]) });
        }
        case "quit":
          app.quit();
          return report("reply", { id: message.id, result: null });
        default:
          throw new Error(`unknown control message ${JSON.stringify(message)}`);
      }
    } catch (error) {
      report("reply", { id: message.id, error: String(error?.stack ?? error) });
    }
  })();
});

export default { app, BrowserWindow, ipcMain, Menu, nativeImage, Notification, shell, Tray, utilityProcess };
