// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { StreamdropApi } from "../../preload/contract.js";
import { useAppStore } from "../../renderer/src/store/index.js";

describe("app store", () => {
  beforeEach(() => useAppStore.setState({ info: { state: "idle" } }));

  it("loads app info through the typed API", async () => {
    const invoke = vi.fn(async () => ({ ok: true, value: { name: "Streamdrop", version: "9.9.9", dataDir: "/d" } }));
    window.streamdrop = { invoke } as unknown as StreamdropApi;
    await useAppStore.getState().loadInfo();
    expect(invoke).toHaveBeenCalledWith("app:info", {});
    expect(useAppStore.getState().info).toEqual({ state: "ready", value: { name: "Streamdrop", version: "9.9.9", dataDir: "/d" } });
  });

  it("keeps the failure message for the UI", async () => {
    window.streamdrop = { invoke: async () => ({ ok: false, error: { code: "failed", message: "No data folder." } }) } as unknown as StreamdropApi;
    await useAppStore.getState().loadInfo();
    expect(useAppStore.getState().info).toEqual({ state: "failed", message: "No data folder." });
  });
});
