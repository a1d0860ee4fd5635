// The app's Settings: start at login (the OS keeps it), theme, notifications, and where the data
// folder is (shared with the command line).
import { useEffect } from "react";
import type { SettingsInfo } from "../../../preload/contract";
import { useStore } from "../store";
import { requestOf } from "../store/manage-slice";
import { ErrorMessage } from "./ui";

const themeLabels: Record<SettingsInfo["theme"], string> = { system: "Follow the system", light: "Light", dark: "Dark" };

export function SettingsView() {
  const { settings, loadSettings, saveSettings, info } = useStore();
  const request = useStore((state) => requestOf<SettingsInfo>(state, "settings"));
  useEffect(() => void loadSettings(), [loadSettings]);
  return (
    <section aria-labelledby="settings-heading">
      <h2 id="settings-heading">Settings</h2>
      {!settings && request.state !== "failed" && <p role="status">Loading…</p>}
      {request.state === "failed" && <ErrorMessage>{request.message}</ErrorMessage>}
      {settings && (
        <div className="form panel">
          <label className="checkbox">
            <input type="checkbox" checked={settings.openAtLogin} onChange={(event) => void saveSettings({ openAtLogin: event.target.checked })} /> Start
            Streamdrop when I log in
          </label>
          <p className="hint">It starts in the tray, and the exporters run without the window.</p>
          <label className="checkbox">
            <input type="checkbox" checked={settings.notifications} onChange={(event) => void saveSettings({ notifications: event.target.checked })} /> Notify
            me when an exporter needs attention
          </label>
          <fieldset className="radios">
            <legend>Theme</legend>
            {(Object.keys(themeLabels) as Array<SettingsInfo["theme"]>).map((theme) => (
              <label key={theme}>
                <input type="radio" name="theme" checked={settings.theme === theme} onChange={() => void saveSettings({ theme })} /> {themeLabels[theme]}
              </label>
            ))}
          </fieldset>
          <h3>Data folder</h3>
          {info.state === "ready" && (
            <p>
              <code>{info.value.dataDir}</code>
            </p>
          )}
          <p className="hint">
            Sinks, streams, exporters, the export logs and the app log live here; the command line uses the same folder. Credentials are never here: they are in
            your OS keychain. To keep the data elsewhere, start Streamdrop with the STREAMDROP_HOME environment variable set to that folder.
          </p>
        </div>
      )}
    </section>
  );
}
