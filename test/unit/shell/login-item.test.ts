import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { loginItem } from "../../../main/login-item.js";

describe("start at login", () => {
  it("on Linux, writes and removes an XDG autostart entry that starts hidden", () => {
    const config = mkdtempSync(join(tmpdir(), "streamdrop-autostart-"));
    const electron = { getLoginItemSettings: vi.fn(), setLoginItemSettings: vi.fn() };
    const item = loginItem("linux", electron, "/opt/Streamdrop/streamdrop", { XDG_CONFIG_HOME: config });
    expect(item.openAtLogin()).toBe(false);
    item.setOpenAtLogin(true);
    const entry = join(config, "autostart", "streamdrop.desktop");
    expect(readFileSync(entry, "utf8")).toContain('Exec="/opt/Streamdrop/streamdrop" --hidden');
    expect(item.openAtLogin()).toBe(true);
    item.setOpenAtLogin(false);
    expect(existsSync(entry)).toBe(false);
    expect(electron.setLoginItemSettings).not.toHaveBeenCalled();
  });

  it("elsewhere, uses Electron's login items with the hidden flag", () => {
    const electron = { getLoginItemSettings: vi.fn(() => ({ openAtLogin: true })), setLoginItemSettings: vi.fn() };
    const item = loginItem("darwin", electron, "/Applications/Streamdrop.app");
    item.setOpenAtLogin(true);
    expect(electron.setLoginItemSettings).toHaveBeenCalledWith({ openAtLogin: true, args: ["--hidden"] });
    expect(item.openAtLogin()).toBe(true);
  });
});
