// The IPC wrapper with a fake ipcMain: every channel is registered, untrusted senders and bad
// input are refused before any handler runs, and errors cross as {code, message} only.
import type { IpcMainInvokeEvent } from "electron";
import { describe, expect, it, vi } from "vitest";
import { channels } from "../../preload/contract.js";
import { StreamdropError } from "../../main/core/errors.js";
import { dispatch, type Handlers } from "../../main/ipc/dispatch.js";
import { registerHandlers, trustedSender } from "../../main/ipc/register.js";

type Listener = (event: IpcMainInvokeEvent, input: unknown) => unknown;

function fakeIpcMain() {
  const listeners = new Map<string, Listener>();
  return { listeners, handle: (channel: string, listener: Listener) => void listeners.set(channel, listener) };
}

function fakeEvent({ webContentsId = 1, url = "file:///app/out/renderer/index.html", isMainFrame = true } = {}): IpcMainInvokeEvent {
  return {
    sender: { id: webContentsId },
    senderFrame: { url, parent: isMainFrame ? null : {} },
  } as unknown as IpcMainInvokeEvent;
}

const appInfo = { name: "Streamdrop", version: "1.2.3", dataDir: "/data" };
const handlers: Handlers = { "app:info": vi.fn(async () => appInfo) };
const isTrusted = trustedSender((id) => id === 1, "file:///app/out/renderer/index.html");

describe("registerHandlers", () => {
  const ipcMain = fakeIpcMain();
  registerHandlers(ipcMain, handlers, isTrusted);
  const call = (channel: string, input: unknown, event = fakeEvent()) => ipcMain.listeners.get(channel)!(event, input);

  it("registers every channel of the contract", () => {
    expect([...ipcMain.listeners.keys()].sort()).toEqual([...channels].sort());
  });

  it("answers a trusted sender with the handler's result", async () => {
    await expect(call("app:info", {})).resolves.toEqual({ ok: true, value: appInfo });
  });

  it.each([
    ["another window", fakeEvent({ webContentsId: 2 })],
    ["a page from elsewhere", fakeEvent({ url: "https://evil.example/" })],
    ["a subframe", fakeEvent({ isMainFrame: false })],
  ])("refuses %s without running the handler", async (_, event) => {
    vi.mocked(handlers["app:info"]).mockClear();
    await expect(call("app:info", {}, event)).resolves.toMatchObject({ ok: false, error: { code: "untrusted-sender" } });
    expect(handlers["app:info"]).not.toHaveBeenCalled();
  });
});

describe("dispatch", () => {
  it("refuses input that does not match the schema, naming the field", async () => {
    const outcome = await dispatch(handlers, "app:info", { extra: true });
    expect(outcome).toMatchObject({ ok: false, error: { code: "invalid-input" } });
    expect(!outcome.ok && outcome.error.message).toContain("app:info");
  });

  it("refuses unknown channels", async () => {
    await expect(dispatch(handlers, "fs:read", {})).resolves.toMatchObject({ ok: false, error: { code: "unknown-channel" } });
  });

  it("passes user-facing messages and hides everything else", async () => {
    const failing = (error: Error): Handlers => ({ "app:info": async () => Promise.reject(error) });
    await expect(dispatch(failing(new StreamdropError("not-found", "Bucket b does not exist.")), "app:info", {})).resolves.toEqual({
      ok: false,
      error: { code: "failed", message: "Bucket b does not exist." },
    });
    const hidden = await dispatch(failing(new Error("secret=AKIA... at /internal/path")), "app:info", {});
    expect(JSON.stringify(hidden)).not.toContain("secret");
  });
});
