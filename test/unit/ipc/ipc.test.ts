// The IPC wrapper with a fake ipcMain: every channel is registered, untrusted senders and
// malformed input are refused before any handler runs, and errors cross as {code, message} only.
import type { IpcMainInvokeEvent } from "electron";
import { describe, expect, it, vi } from "vitest";
import { channels, type Channel } from "../../../preload/contract.js";
import { StreamdropError } from "../../../main/core/errors.js";
import { silentLogger } from "../../../main/core/log.js";
import { dispatch, type Handlers } from "../../../main/ipc/dispatch.js";
import { registerHandlers, trustedSender } from "../../../main/ipc/register.js";

type Listener = (event: IpcMainInvokeEvent, input: unknown) => unknown;

function fakeIpcMain() {
  const listeners = new Map<string, Listener>();
  return { listeners, handle: (channel: string, listener: Listener) => void listeners.set(channel, listener) };
}

function fakeEvent({ webContentsId = 1, url = "file:///app/out/renderer/index.html", isMainFrame = true } = {}): IpcMainInvokeEvent {
  return { sender: { id: webContentsId }, senderFrame: { url, parent: isMainFrame ? null : {} } } as unknown as IpcMainInvokeEvent;
}

/** Every handler a spy that would answer; the tests check none of them is reached. */
const spies = () =>
  Object.fromEntries(channels.map((channel) => [channel, vi.fn(async () => ({ reached: channel }))])) as unknown as Handlers &
    Record<Channel, ReturnType<typeof vi.fn>>;
const isTrusted = trustedSender((id) => id === 1, "file:///app/out/renderer/index.html");

/** For each channel, input that breaks its schema: an unknown field is refused everywhere (strict). */
const malformed: Array<[Channel, unknown]> = [
  ...channels.map((channel): [Channel, unknown] => [channel, { unexpectedField: true }]),
  ...channels.map((channel): [Channel, unknown] => [channel, "not an object"]),
  ["sinks:create", { name: "s3", bucket: "b-u-c", credentialsLabel: "x" }],
  ["sinks:delete", { name: "s3", recursive: "yes" }],
  ["streams:create", { name: "demo", bootstrapServers: "" }],
  ["exporters:create", { streamName: "demo", sinkName: "s3", intervalSeconds: 0 }],
  ["exporters:create", { streamName: "demo", sinkName: "s3", intervalSeconds: 1.5 }],
  ["exporters:delete", { names: [] }],
  ["aws:setupS3", { bucket: "b-u-c", createBucket: true, admin: { from: "stored" } }],
  ["settings:set", { openAtLogin: 1 }],
];

describe("registerHandlers", () => {
  const handlers = spies();
  const ipcMain = fakeIpcMain();
  registerHandlers(ipcMain, handlers, isTrusted, silentLogger());
  const call = (channel: string, input: unknown, event = fakeEvent()) => ipcMain.listeners.get(channel)!(event, input);

  it("registers every channel of the contract", () => {
    expect([...ipcMain.listeners.keys()].sort()).toEqual([...channels].sort());
  });

  it("answers a trusted sender with the handler's result", async () => {
    await expect(call("app:info", {})).resolves.toEqual({ ok: true, value: { reached: "app:info" } });
  });

  it.each([
    ["another window", fakeEvent({ webContentsId: 2 })],
    ["a page from elsewhere", fakeEvent({ url: "https://evil.example/" })],
    ["a subframe", fakeEvent({ isMainFrame: false })],
  ])("refuses %s on every channel without running a handler", async (_, event) => {
    channels.forEach((channel) => handlers[channel].mockClear());
    for (const channel of channels) {
      await expect(call(channel, {}, event)).resolves.toEqual({
        ok: false,
        error: { code: "untrusted-sender", message: "This call is only accepted from Streamdrop's own window." },
      });
      expect(handlers[channel]).not.toHaveBeenCalled();
    }
  });

  it.each(malformed)("refuses malformed input for %s, saying which field, without running the handler", async (channel, input) => {
    handlers[channel].mockClear();
    const outcome = (await call(channel, input)) as { ok: boolean; error: { code: string; message: string } };
    expect(outcome.ok).toBe(false);
    expect(outcome.error.code).toBe("invalid-input");
    expect(outcome.error.message).toMatch(new RegExp(`^Invalid input for ${channel}: \\S+`));
    expect(handlers[channel]).not.toHaveBeenCalled();
  });
});

describe("dispatch", () => {
  it("refuses unknown channels", async () => {
    await expect(dispatch(spies(), "fs:read", {})).resolves.toMatchObject({ ok: false, error: { code: "unknown-channel" } });
  });

  it("passes user-facing messages with their code and hides everything else", async () => {
    const failing = (error: Error): Handlers => ({ ...spies(), "app:info": async () => Promise.reject(error) });
    await expect(dispatch(failing(new StreamdropError("not-found", "Bucket b does not exist.")), "app:info", {})).resolves.toEqual({
      ok: false,
      error: { code: "not-found", message: "Bucket b does not exist." },
    });
    const hidden = await dispatch(failing(new Error("secret=AKIA... at /internal/path")), "app:info", {});
    expect(hidden).toEqual({ ok: false, error: { code: "failed", message: "app:info failed unexpectedly; see the app log for details." } });
  });
});
