// Renders a TrayModel into a real tray through injected factories (Signal Desktop's way), and
// only touches the tray when the model changed, so rendering on every status event is cheap.
import type { Menu, MenuItemConstructorOptions, NativeImage, Tray } from "electron";
import type { TrayAction, TrayIcon, TrayModel } from "./tray-model.js";

export interface TrayFactories {
  createTray: (icon: NativeImage) => Pick<Tray, "setImage" | "setToolTip" | "setContextMenu" | "on" | "destroy">;
  icon: (state: TrayIcon) => NativeImage;
  buildMenu: (template: MenuItemConstructorOptions[]) => Menu;
}

export class TrayView {
  private tray?: ReturnType<TrayFactories["createTray"]>;
  private shown?: { icon: TrayIcon; tooltip: string; menu: string };

  constructor(
    private readonly factories: TrayFactories,
    private readonly onAction: (action: TrayAction) => void,
  ) {}

  render(model: TrayModel): void {
    if (!this.tray) {
      this.tray = this.factories.createTray(this.factories.icon(model.icon));
      this.tray.on("click", () => this.onAction("open"));
    }
    const menu = JSON.stringify(model.menu);
    if (this.shown?.icon !== model.icon) this.tray.setImage(this.factories.icon(model.icon));
    if (this.shown?.tooltip !== model.tooltip) this.tray.setToolTip(model.tooltip);
    if (this.shown?.menu !== menu) this.tray.setContextMenu(this.factories.buildMenu(this.template(model)));
    this.shown = { icon: model.icon, tooltip: model.tooltip, menu };
  }

  destroy(): void {
    this.tray?.destroy();
    this.tray = undefined;
    this.shown = undefined;
  }

  private template(model: TrayModel): MenuItemConstructorOptions[] {
    return model.menu.map((entry) => {
      if (entry.kind === "separator") return { type: "separator" };
      if (entry.kind === "status") return { label: entry.label, enabled: false };
      return { label: entry.label, enabled: entry.enabled, click: () => this.onAction(entry.id) };
    });
  }
}
