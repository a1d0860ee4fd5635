// The main window, created through a fake BrowserWindow: every security setting, no navigation,
// no new windows, no permissions, links only to allow-listed consoles.
import { EventEmitter } from "node:events";
import type { BrowserWindow, BrowserWindowConstructorOptions } from "electron";
import { describe, expect, it, vi } from "vitest";
import { isAllowedExternalUrl } from "../../../main/external-links.js";
import { openMainWindow } from "../../../main/window.js";

function fakeWindow() {
  const contents = Object.assign(new EventEmitter(), {
    windowOpenHandler: undefined as undefined | ((details: { url: string }) => { action: string }),
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.windowOpenHandler = handler;
    },
    session: {
      requestHandler: undefined as undefined | ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void),
      checkHandler: undefined as undefined | (() => boolean),
      setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void) {
        this.requestHandler = handler;
      },
      setPermissionCheckHandler(handler: () => boolean) {
        this.checkHandler = handler;
      },
    },
  });
  const window = Object.assign(new EventEmitter(), {
    webContents: contents,
    show: vi.fn(),
    loadFile: vi.fn(async () => undefined),
    loadURL: vi.fn(async () => undefined),
  });
  return { window, contents };
}

function open(showOnReady = true) {
  const fake = fakeWindow();
  let options: BrowserWindowConstructorOptions | undefined;
  const openExternal = vi.fn(async () => undefined);
  openMainWindow({
    createWindow: (given) => {
      options = given;
      return fake.window as unknown as BrowserWindow;
    },
    preloadPath: "/app/out/preload/index.cjs",
    page: { file: "/app/out/renderer/index.html" },
    openExternal,
    showOnReady,
  });
  return { ...fake, options: options!, openExternal };
}

describe("openMainWindow", () => {
  it("writes out every security setting", () => {
    expect(open().options.webPreferences).toMatchObject({
      preload: "/app/out/preload/index.cjs",
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it("blocks navigation", () => {
    const { contents } = open();
    const event = { preventDefault: vi.fn() };
    contents.emit("will-navigate", event, "https://evil.example/");
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it("denies new windows, opening only allow-listed console links in the browser", () => {
    const { contents, openExternal } = open();
    expect(contents.windowOpenHandler!({ url: "https://evil.example/" })).toEqual({ action: "deny" });
    expect(openExternal).not.toHaveBeenCalled();
    const consoleUrl = "https://s3.console.aws.amazon.com/s3/buckets/demo-bucket?region=eu-west-1&prefix=events%2F";
    expect(contents.windowOpenHandler!({ url: consoleUrl })).toEqual({ action: "deny" });
    expect(openExternal).toHaveBeenCalledWith(consoleUrl);
  });

  it("denies every permission request and check", () => {
    const { contents } = open();
    const callback = vi.fn();
    contents.session.requestHandler!({}, "media", callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(contents.session.checkHandler!()).toBe(false);
  });

  it("loads the built page, and shows the window only when not started hidden", () => {
    const visible = open(true);
    expect(visible.window.loadFile).toHaveBeenCalledWith("/app/out/renderer/index.html");
    visible.window.emit("ready-to-show");
    expect(visible.window.show).toHaveBeenCalled();
    const hidden = open(false);
    hidden.window.emit("ready-to-show");
    expect(hidden.window.show).not.toHaveBeenCalled();
  });
});

describe("external links", () => {
  it.each([
    ["https://s3.console.aws.amazon.com/s3/buckets/demo?region=eu-west-1", true],
    ["https://console.cloud.google.com/storage/browser/demo", true],
    ["http://s3.console.aws.amazon.com/s3/buckets/demo", false],
    ["https://s3.console.aws.amazon.com.evil.example/", false],
    ["https://user:pw@s3.console.aws.amazon.com/", false],
    ["file:///etc/passwd", false],
    ["javascript:alert(1)", false],
    ["not a url", false],
  ])("%s allowed: %s", (url, allowed) => {
    expect(isAllowedExternalUrl(url)).toBe(allowed);
  });
});
