import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dataDir } from "../../main/core/data-dir.js";

describe("dataDir", () => {
  it("uses STREAMDROP_HOME on every platform", () => {
    for (const platform of ["linux", "darwin", "win32"] as const) {
      expect(dataDir({ STREAMDROP_HOME: "/srv/streamdrop" }, platform, "/home/u")).toBe("/srv/streamdrop");
    }
  });

  it("follows XDG_CONFIG_HOME on Linux, with ~/.config as the default", () => {
    expect(dataDir({ XDG_CONFIG_HOME: "/cfg" }, "linux", "/home/u")).toBe(join("/cfg", "Streamdrop"));
    expect(dataDir({}, "linux", "/home/u")).toBe(join("/home/u", ".config", "Streamdrop"));
  });

  it("uses Application Support on macOS and APPDATA on Windows", () => {
    expect(dataDir({}, "darwin", "/Users/u")).toBe(join("/Users/u", "Library", "Application Support", "Streamdrop"));
    expect(dataDir({ APPDATA: "C:/Users/u/AppData/Roaming" }, "win32", "C:/Users/u")).toBe(join("C:/Users/u/AppData/Roaming", "Streamdrop"));
  });
});
