// The renderer's one store, in slices. Components read state and call actions; only actions talk
// to main.
import { create, type StateCreator } from "zustand";
import { createDataSlice, type DataSlice } from "./data-slice";
import { createWizardSlice, type WizardSlice } from "./wizard-slice";

export type View = { name: "dashboard" } | { name: "wizard" } | { name: "files"; exporter: string };

export interface NavSlice {
  view: View;
  navigate(view: View): void;
}

const createNavSlice: StateCreator<StoreState, [], [], NavSlice> = (set) => ({
  view: { name: "dashboard" },
  navigate: (view) => set({ view }),
});

export type StoreState = DataSlice & WizardSlice & NavSlice;

export const createStore = () =>
  create<StoreState>()((...args) => ({
    ...createDataSlice(...args),
    ...createWizardSlice(...args),
    ...createNavSlice(...args),
  }));

export const useStore = createStore();
