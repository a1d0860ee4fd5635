import { create } from "zustand";
import type { AppInfo } from "../../../preload/contract";
import { api } from "../api";

type Load<T> = { state: "idle" } | { state: "loading" } | { state: "ready"; value: T } | { state: "failed"; message: string };

export interface AppState {
  info: Load<AppInfo>;
  loadInfo: () => Promise<void>;
}

export const useAppStore = create<AppState>()((set) => ({
  info: { state: "idle" },
  async loadInfo() {
    set({ info: { state: "loading" } });
    const outcome = await api().invoke("app:info", {});
    set({ info: outcome.ok ? { state: "ready", value: outcome.value } : { state: "failed", message: outcome.error.message } });
  },
}));
