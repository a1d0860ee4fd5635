// The renderer's one store, in slices. Components read state and call actions; only actions talk
// to main.
import { create, type StateCreator } from "zustand";
import { createDataSlice, type DataSlice } from "./data-slice";
import { createManageSlice, type ManageSlice } from "./manage-slice";
import { createWizardSlice, type WizardSlice } from "./wizard-slice";

export type View =
  | { name: "dashboard" }
  | { name: "wizard" }
  | { name: "files"; exporter: string }
  | { name: "exporter"; exporter: string }
  | { name: "sinks" }
  | { name: "streams" }
  | { name: "settings" };

export interface NavSlice {
  view: View;
  /** Where the person asked to go while the wizard held typed data: asked to confirm first. */
  leaving?: View;
  /** Goes to a view; from a wizard with typed data, asks first. */
  navigate(view: View): void;
  confirmLeave(): void;
  stayInWizard(): void;
}

const createNavSlice: StateCreator<StoreState, [], [], NavSlice> = (set, get) => ({
  view: { name: "dashboard" },
  navigate: (view) => {
    const { view: current, wizard } = get();
    if (current.name === "wizard" && view.name !== "wizard" && wizard.dirty && wizard.step !== "done") return set({ leaving: view });
    // Notices belong to the view they were raised in.
    set({ view, leaving: undefined, notice: undefined });
  },
  confirmLeave: () => {
    const target = get().leaving;
    if (!target) return;
    get().resetWizard();
    set({ view: target, leaving: undefined, notice: undefined });
  },
  stayInWizard: () => set({ leaving: undefined }),
});

export type StoreState = DataSlice & WizardSlice & ManageSlice & NavSlice;

export const createStore = () =>
  create<StoreState>()((...args) => ({
    ...createDataSlice(...args),
    ...createWizardSlice(...args),
    ...createManageSlice(...args),
    ...createNavSlice(...args),
  }));

export const useStore = createStore();
