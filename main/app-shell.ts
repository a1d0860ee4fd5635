// The desktop app's behaviour around the engine, free of Electron so it is tested with fakes:
// closing the window hides it to the tray while exporters keep running (said once); Quit stops
// the exporters cleanly before the app exits; the tray follows exporter states; an exporter
// going into error raises one notification; status and file events reach the window.
import type { PushEvent, PushEvents } from "../preload/contract.js";
import type { ExportEngine, ExporterStatus } from "./core/exporters/control/engine.js";
import type { ExporterService } from "./core/exporters/control/exporter-service.js";
import type { TrayAction } from "./tray/tray-model.js";
import { trayModel } from "./tray/tray-model.js";

export interface ShellDeps {
  engine: Pick<ExportEngine, "start" | "stop" | "statuses" | "on">;
  exporters: Pick<ExporterService, "list" | "setPaused">;
  tray: { render: (model: ReturnType<typeof trayModel>) => void; destroy: () => void };
  showWindow: () => void;
  notify: (title: string, body: string) => void;
  /** Whether the person wants notifications of exporters needing attention (Settings); default yes. */
  notificationsOn?: () => Promise<boolean>;
  push: <E extends PushEvent>(event: E, payload: PushEvents[E]) => void;
  /** Ends the process; called once the exporters have stopped. */
  exit: () => void;
}

export class AppShell {
  private toldAboutTray = false;
  private quitting?: Promise<void>;
  private readonly inError = new Set<string>();

  constructor(private readonly deps: ShellDeps) {}

  async start(): Promise<void> {
    this.deps.engine.on("status", (status) => this.onStatus(status));
    this.deps.engine.on("file", (entry) => this.deps.push("exporter:file", entry));
    this.renderTray();
    await this.deps.engine.start();
    this.renderTray();
  }

  /** The window's close event: hide instead, unless the app is quitting. */
  onWindowClose(event: { preventDefault(): void }, window: { hide(): void }): void {
    if (this.quitting) return;
    event.preventDefault();
    window.hide();
    if (!this.toldAboutTray) {
      this.toldAboutTray = true;
      this.deps.notify("Streamdrop keeps exporting", "The window is closed, but exporters keep running. Open Streamdrop or quit from the tray icon.");
    }
  }

  /** Stops every worker cleanly (files in flight finish; nothing is lost or doubled), then exits. */
  quit(): Promise<void> {
    this.quitting ??= (async () => {
      try {
        await this.deps.engine.stop();
      } finally {
        this.deps.tray.destroy();
        this.deps.exit();
      }
    })();
    return this.quitting;
  }

  get isQuitting(): boolean {
    return this.quitting !== undefined;
  }

  async onTrayAction(action: TrayAction): Promise<void> {
    switch (action) {
      case "open":
        return this.deps.showWindow();
      case "quit":
        return this.quit();
      case "pause-all":
      case "resume-all": {
        const pause = action === "pause-all";
        for (const exporter of await this.deps.exporters.list()) if (exporter.paused !== pause) await this.deps.exporters.setPaused(exporter.name, pause);
        return;
      }
    }
  }

  private onStatus(status: ExporterStatus): void {
    this.deps.push("exporter:status", status);
    if (status.state === "error" && !this.inError.has(status.name)) {
      this.inError.add(status.name);
      const body = status.lastError ?? "See the exporter in Streamdrop for what to do.";
      void (this.deps.notificationsOn?.() ?? Promise.resolve(true))
        .then((on) => on && this.deps.notify(`${status.name} stopped exporting`, body))
        .catch(() => this.deps.notify(`${status.name} stopped exporting`, body));
    } else if (status.state === "running") {
      this.inError.delete(status.name);
    }
    this.renderTray();
  }

  private renderTray(): void {
    this.deps.tray.render(trayModel(this.deps.engine.statuses()));
  }
}
