// The desktop app's behaviour with fakes for the engine, the tray, notifications and exit.
import { EventEmitter } from "node:events";
import { describe, expect, it, vi } from "vitest";
import { AppShell } from "../../../main/app-shell.js";
import type { ExporterStatus } from "../../../main/core/exporters/control/engine.js";
import type { TrayModel } from "../../../main/tray/tray-model.js";

const status = (name: string, state: ExporterStatus["state"], extra: Partial<ExporterStatus> = {}): ExporterStatus => ({
  id: name,
  name,
  state,
  workers: 1,
  caughtUp: false,
  eventsExported: 0,
  invalidExported: 0,
  bytesExported: 0,
  filesWritten: 0,
  tombstonesSkipped: 0,
  eventsPerSecond: 0,
  version: 1,
  lag: [],
  lagEvents: 0,
  assignments: [],
  restarts: 0,
  ...extra,
});

function setUp() {
  const order: string[] = [];
  const statuses: ExporterStatus[] = [];
  const engine = Object.assign(new EventEmitter(), {
    start: vi.fn(async () => void order.push("engine started")),
    stop: vi.fn(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      order.push("engine stopped");
    }),
    statuses: () => [...statuses],
  });
  const rendered: TrayModel[] = [];
  const exporters = [
    { name: "a", paused: false },
    { name: "b", paused: true },
  ];
  const deps = {
    engine,
    exporters: {
      list: vi.fn(async () => exporters),
      setPaused: vi.fn(async (name: string, paused: boolean) => void (exporters.find((e) => e.name === name)!.paused = paused)),
    },
    tray: { render: (model: TrayModel) => void rendered.push(model), destroy: vi.fn(() => void order.push("tray destroyed")) },
    showWindow: vi.fn(),
    notify: vi.fn(),
    push: vi.fn(),
    exit: vi.fn(() => void order.push("exit")),
  };
  const shell = new AppShell(deps as unknown as ConstructorParameters<typeof AppShell>[0]);
  const publish = (next: ExporterStatus) => {
    const index = statuses.findIndex((candidate) => candidate.name === next.name);
    if (index >= 0) statuses[index] = next;
    else statuses.push(next);
    engine.emit("status", next);
  };
  return { shell, deps, engine, order, rendered, publish, exporters };
}

describe("AppShell", () => {
  it("hides the window on close and keeps exporting, saying so once", async () => {
    const { shell, deps, engine } = setUp();
    await shell.start();
    const window = { hide: vi.fn() };
    for (let i = 0; i < 2; i += 1) {
      const event = { preventDefault: vi.fn() };
      shell.onWindowClose(event, window);
      expect(event.preventDefault).toHaveBeenCalled();
    }
    expect(window.hide).toHaveBeenCalledTimes(2);
    expect(engine.stop).not.toHaveBeenCalled();
    expect(deps.notify).toHaveBeenCalledTimes(1);
    expect(deps.notify).toHaveBeenCalledWith("Streamdrop keeps exporting", expect.stringContaining("exporters keep running"));
  });

  it("stops every worker before the app exits on Quit, once however often it is asked", async () => {
    const { shell, engine, order } = setUp();
    await shell.start();
    await Promise.all([shell.onTrayAction("quit"), shell.quit()]);
    expect(order).toEqual(["engine started", "engine stopped", "tray destroyed", "exit"]);
    expect(engine.stop).toHaveBeenCalledTimes(1);
    const event = { preventDefault: vi.fn() };
    shell.onWindowClose(event, { hide: vi.fn() });
    expect(event.preventDefault).not.toHaveBeenCalled();
  });

  it("renders the tray from exporter states and pushes each status to the window", async () => {
    const { shell, rendered, publish, deps } = setUp();
    await shell.start();
    expect(rendered.at(-1)!.icon).toBe("idle");
    publish(status("s3-demo", "running", { eventsExported: 1234, eventsPerSecond: 56.4 }));
    expect(rendered.at(-1)!.icon).toBe("exporting");
    expect(rendered.at(-1)!.menu[0]).toEqual({ kind: "status", label: "s3-demo: running, 1,234 events, 56/s" });
    publish(status("s3-demo", "paused"));
    expect(rendered.at(-1)!.icon).toBe("paused");
    publish(status("other", "error", { lastError: "Access denied for s3:PutObject" }));
    expect(rendered.at(-1)!.icon).toBe("error");
    expect(rendered.at(-1)!.tooltip).toBe("Streamdrop: 1 exporting, 1 paused, 1 in error");
    expect(deps.push).toHaveBeenCalledWith("exporter:status", expect.objectContaining({ name: "other", state: "error" }));
  });

  it("notifies once when an exporter goes into error, and again only after it recovered", async () => {
    const { shell, publish, deps } = setUp();
    await shell.start();
    publish(status("s3-demo", "error", { lastError: "The access key ID is not known to S3" }));
    publish(status("s3-demo", "error", { lastError: "The access key ID is not known to S3" }));
    await Promise.resolve();
    expect(deps.notify).toHaveBeenCalledTimes(1);
    expect(deps.notify).toHaveBeenCalledWith("s3-demo stopped exporting", "The access key ID is not known to S3");
    publish(status("s3-demo", "running"));
    publish(status("s3-demo", "error"));
    await Promise.resolve();
    expect(deps.notify).toHaveBeenCalledTimes(2);
  });

  it("stays quiet when notifications are off in Settings", async () => {
    const { shell, publish, deps } = setUp();
    Object.assign(deps, { notificationsOn: async () => false });
    await shell.start();
    publish(status("s3-demo", "error", { lastError: "The access key ID is not known to S3" }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(deps.notify).not.toHaveBeenCalled();
  });

  it("pauses and resumes all exporters from the tray, and opens the window", async () => {
    const { shell, deps, exporters } = setUp();
    await shell.onTrayAction("pause-all");
    expect(exporters.every((exporter) => exporter.paused)).toBe(true);
    expect(deps.exporters.setPaused).toHaveBeenCalledTimes(1);
    await shell.onTrayAction("resume-all");
    expect(exporters.every((exporter) => !exporter.paused)).toBe(true);
    await shell.onTrayAction("open");
    expect(deps.showWindow).toHaveBeenCalled();
  });
});
