// Start at login, hidden, straight to the tray. Electron's login items cover macOS and Windows;
// on Linux the XDG autostart folder does the job with a .desktop file.
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export const hiddenFlag = "--hidden";

export interface LoginItem {
  openAtLogin(): boolean;
  setOpenAtLogin(open: boolean): void;
}

export interface ElectronLoginItems {
  getLoginItemSettings(): { openAtLogin: boolean };
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void;
}

export function loginItem(platform: NodeJS.Platform, electron: ElectronLoginItems, execPath: string, env = process.env): LoginItem {
  if (platform !== "linux") {
    return {
      openAtLogin: () => electron.getLoginItemSettings().openAtLogin,
      setOpenAtLogin: (openAtLogin) => electron.setLoginItemSettings({ openAtLogin, args: [hiddenFlag] }),
    };
  }
  const file = join(env.XDG_CONFIG_HOME || join(homedir(), ".config"), "autostart", "streamdrop.desktop");
  return {
    openAtLogin: () => existsSync(file),
    setOpenAtLogin(open) {
      if (!open) return rmSync(file, { force: true });
      mkdirSync(join(file, ".."), { recursive: true });
      writeFileSync(
        file,
        [
          "[Desktop Entry]",
          "Type=Application",
          "Name=Streamdrop",
          "Comment=Export Kafka event streams to buckets",
          `Exec="${execPath}" ${hiddenFlag}`,
          "X-GNOME-Autostart-enabled=true",
          "",
        ].join("\n"),
      );
    },
  };
}
