import type { MenuItemConstructorOptions, NativeImage } from "electron";
import { describe, expect, it, vi } from "vitest";
import type { ExporterStatus } from "../../../main/core/exporters/control/engine.js";
import { trayModel } from "../../../main/tray/tray-model.js";
import { TrayView } from "../../../main/tray/tray-view.js";

const status = (name: string, state: ExporterStatus["state"]): ExporterStatus => ({
  id: name,
  name,
  state,
  workers: 1,
  caughtUp: false,
  eventsExported: 10,
  invalidExported: 0,
  bytesExported: 0,
  filesWritten: 1,
  tombstonesSkipped: 0,
  eventsPerSecond: 2,
  version: 1,
  lag: [],
  lagEvents: 0,
  assignments: [],
  restarts: 0,
});

function fakeTray() {
  const tray = { setImage: vi.fn(), setToolTip: vi.fn(), setContextMenu: vi.fn(), on: vi.fn(), destroy: vi.fn() };
  const templates: MenuItemConstructorOptions[][] = [];
  const actions: string[] = [];
  const view = new TrayView(
    {
      createTray: vi.fn(() => tray as never),
      icon: (state) => ({ state }) as unknown as NativeImage,
      buildMenu: (template) => {
        templates.push(template);
        return template as never;
      },
    },
    (action) => void actions.push(action),
  );
  return { tray, templates, actions, view };
}

describe("trayModel", () => {
  it("shows idle with no exporters, and offers Open and Quit", () => {
    const model = trayModel([]);
    expect(model.icon).toBe("idle");
    expect(model.menu.filter((entry) => entry.kind === "action").map((entry) => entry.kind === "action" && `${entry.label}:${entry.enabled}`)).toEqual([
      "Pause all:false",
      "Resume all:false",
      "Open Streamdrop:true",
      "Quit Streamdrop:true",
    ]);
  });

  it.each([
    [["running"], "exporting"],
    [["paused"], "paused"],
    [["running", "paused"], "exporting"],
    [["running", "error"], "error"],
    [["retrying"], "exporting"],
  ] as const)("states %j show the %s icon", (states, icon) => {
    expect(trayModel(states.map((state, i) => status(`e${i}`, state))).icon).toBe(icon);
  });
});

describe("TrayView", () => {
  it("renders idempotently: the same model touches the tray once", () => {
    const { tray, view } = fakeTray();
    const model = trayModel([status("s3-demo", "running")]);
    view.render(model);
    view.render(trayModel([status("s3-demo", "running")]));
    expect(tray.setImage).toHaveBeenCalledTimes(1);
    expect(tray.setToolTip).toHaveBeenCalledTimes(1);
    expect(tray.setContextMenu).toHaveBeenCalledTimes(1);
    view.render(trayModel([status("s3-demo", "error")]));
    expect(tray.setImage).toHaveBeenLastCalledWith({ state: "error" });
    expect(tray.setContextMenu).toHaveBeenCalledTimes(2);
  });

  it("turns menu clicks into actions; status lines are not clickable", () => {
    const { view, templates, actions } = fakeTray();
    view.render(trayModel([status("s3-demo", "paused")]));
    const template = templates.at(-1)!;
    expect(template[0]).toEqual({ label: "s3-demo: paused", enabled: false });
    template.find((item) => item.label === "Resume all")!.click!({} as never, undefined, {} as never);
    template.find((item) => item.label === "Quit Streamdrop")!.click!({} as never, undefined, {} as never);
    expect(actions).toEqual(["resume-all", "quit"]);
  });
});
