// electron-builder cannot run here (it downloads Electron); its config is checked as data.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import yaml from "js-yaml";
import { expect, it } from "vitest";
import packageJson from "../../../package.json" with { type: "json" };
import { repoRoot } from "../../../stack/paths.js";

interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  asarUnpack: string[];
  electronFuses: Record<string, boolean>;
  extraResources: Array<{ from: string; to: string }>;
  linux: { target: string[] };
  mac: { target: string[]; hardenedRuntime: boolean };
  win: { target: string[] };
}

const config = yaml.load(readFileSync(join(repoRoot, "electron-builder.yml"), "utf8")) as BuilderConfig;

it("names the app and packages only built output", () => {
  expect(config.appId).toBe("dev.streamdrop.app");
  expect(config.productName).toBe("Streamdrop");
  expect(config.files).toEqual(["out/**", "bin/**", "package.json", "!**/*.map"]);
  expect(packageJson.main).toBe("out/main/index.js");
});

it("targets Linux AppImage and deb, a hardened macOS dmg and a Windows installer", () => {
  expect(config.linux.target).toEqual(["AppImage", "deb"]);
  expect(config.mac).toMatchObject({ target: ["dmg"], hardenedRuntime: true });
  expect(config.win.target).toEqual(["nsis"]);
});

it("unpacks native modules (keytar, the codecs) from the asar archive and ships the tray icons", () => {
  expect(config.asarUnpack).toContain("**/node_modules/keytar/**");
  expect(config.asarUnpack).toContain("**/*.node");
  expect(config.extraResources[0]).toMatchObject({ from: "resources", to: "resources" });
  for (const state of ["idle", "exporting", "paused", "error"]) expect(() => readFileSync(join(repoRoot, "resources", `tray-${state}.png`))).not.toThrow();
});

it("flips the fuses: no running as Node, no NODE_OPTIONS or inspect arguments, the app only from its checked asar", () => {
  expect(config.electronFuses).toEqual({
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    grantFileProtocolExtraPrivileges: false,
  });
});

it("names only fuses electron-builder knows", () => {
  const scheme = JSON.parse(readFileSync(join(repoRoot, "node_modules", "app-builder-lib", "scheme.json"), "utf8")) as {
    definitions: { FuseOptionsV1: { properties: Record<string, unknown> } };
  };
  expect(Object.keys(config.electronFuses).filter((fuse) => !(fuse in scheme.definitions.FuseOptionsV1.properties))).toEqual([]);
});
