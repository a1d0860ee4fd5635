// What the tray shows, as a pure function of the exporters' states: one icon for the whole app
// and a menu with a status line per exporter. No Electron here, so it is tested as plain data.
import type { ExporterStatus } from "../core/exporters/control/engine.js";

export type TrayIcon = "idle" | "exporting" | "paused" | "error";

export type MenuEntry = { kind: "status"; label: string } | { kind: "action"; id: TrayAction; label: string; enabled: boolean } | { kind: "separator" };

export type TrayAction = "pause-all" | "resume-all" | "open" | "quit";

export interface TrayModel {
  icon: TrayIcon;
  tooltip: string;
  menu: MenuEntry[];
}

export function trayModel(statuses: ExporterStatus[]): TrayModel {
  const errors = statuses.filter((status) => status.state === "error");
  const paused = statuses.filter((status) => status.state === "paused");
  const active = statuses.filter((status) => status.state !== "paused" && status.state !== "stopped");
  const icon: TrayIcon = errors.length > 0 ? "error" : active.length > 0 ? "exporting" : paused.length > 0 ? "paused" : "idle";
  const tooltip =
    statuses.length === 0
      ? "Streamdrop: no exporters"
      : `Streamdrop: ${[`${active.length} exporting`, paused.length ? `${paused.length} paused` : "", errors.length ? `${errors.length} in error` : ""].filter(Boolean).join(", ")}`;
  const lines: MenuEntry[] =
    statuses.length === 0 ? [{ kind: "status", label: "No exporters yet" }] : statuses.map((status) => ({ kind: "status", label: statusLine(status) }));
  return {
    icon,
    tooltip,
    menu: [
      ...lines,
      { kind: "separator" },
      { kind: "action", id: "pause-all", label: "Pause all", enabled: active.length > 0 },
      { kind: "action", id: "resume-all", label: "Resume all", enabled: paused.length > 0 },
      { kind: "separator" },
      { kind: "action", id: "open", label: "Open Streamdrop", enabled: true },
      { kind: "action", id: "quit", label: "Quit Streamdrop", enabled: true },
    ],
  };
}

function statusLine(status: ExporterStatus): string {
  switch (status.state) {
    case "paused":
      return `${status.name}: paused`;
    case "error":
      return `${status.name}: error`;
    case "retrying":
      return `${status.name}: retrying`;
    default:
      return `${status.name}: ${status.state}, ${status.eventsExported.toLocaleString("en")} events, ${Math.round(status.eventsPerSecond)}/s`;
  }
}
