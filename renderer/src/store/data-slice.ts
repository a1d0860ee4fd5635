// Sinks, streams, exporters and their live status: loaded from main, kept fresh by push events.
import type { StateCreator } from "zustand";
import type { AppInfo, ExportedFile, ExporterInfo, ExporterStatusInfo, Input, SinkInfo, StreamInfo } from "../../../preload/contract";
import { api } from "../api";
import { call, messageOf } from "./call";
import type { StoreState } from "./index";

export type Load<T> = { state: "idle" } | { state: "loading" } | { state: "ready"; value: T } | { state: "failed"; message: string };

export interface Preview {
  state: "loading" | "ready" | "needs-admin" | "failed";
  lines?: string[];
  truncated?: boolean;
  message?: string;
}

export interface DataSlice {
  info: Load<AppInfo>;
  sinks: SinkInfo[];
  streams: StreamInfo[];
  exporters: ExporterInfo[];
  statuses: Record<string, ExporterStatusInfo>;
  /** Recent events/s per exporter, for the small chart. */
  rates: Record<string, number[]>;
  loaded: boolean;
  loadError?: string;
  files: Record<string, Load<ExportedFile[]>>;
  previews: Record<string, Preview>;
  /** Operations in flight, by name: their buttons stay disabled (no double submit). */
  busy: Record<string, boolean>;
  notice?: { kind: "error" | "info"; text: string };
  loadInfo(): Promise<void>;
  refresh(): Promise<void>;
  subscribe(): () => void;
  pause(name: string): Promise<void>;
  resume(name: string): Promise<void>;
  deleteExporter(name: string): Promise<void>;
  deleteSink(name: string, recursive: boolean): Promise<void>;
  loadFiles(exporter: string): Promise<void>;
  /** `lent`: credentials the person gives for this read, kept by main for the session (and the keychain with `remember`). */
  preview(exporter: string, key: string, lent?: { admin: NonNullable<Input<"files:preview">["admin"]>; remember: boolean }): Promise<void>;
  openConsole(sinkName: string, prefix?: string): Promise<void>;
  dismissNotice(): void;
}

const rateHistory = 30;

/** The engine numbers its statuses: the higher version is the newer, whichever way it came. */
const newer = (known: ExporterStatusInfo | undefined, incoming: ExporterStatusInfo) =>
  known && known.id === incoming.id && known.version > incoming.version ? known : incoming;

export const createDataSlice: StateCreator<StoreState, [], [], DataSlice> = (set, get) => {
  /** Runs an action once at a time under `key`, turning failures into a notice. */
  const guarded = async (key: string, work: () => Promise<void>) => {
    if (get().busy[key]) return;
    set((state) => ({ busy: { ...state.busy, [key]: true } }));
    try {
      await work();
    } catch (error) {
      set({ notice: { kind: "error", text: messageOf(error) } });
    } finally {
      set((state) => ({ busy: { ...state.busy, [key]: false } }));
    }
  };

  return {
    info: { state: "idle" },
    sinks: [],
    streams: [],
    exporters: [],
    statuses: {},
    rates: {},
    loaded: false,
    files: {},
    previews: {},
    busy: {},

    async loadInfo() {
      set({ info: { state: "loading" } });
      try {
        set({ info: { state: "ready", value: await call("app:info", {}) } });
      } catch (error) {
        set({ info: { state: "failed", message: messageOf(error) } });
      }
    },

    async refresh() {
      try {
        const [sinks, streams, exporters, statuses] = await Promise.all([
          call("sinks:list", {}),
          call("streams:list", {}),
          call("exporters:list", {}),
          call("exporters:status", {}),
        ]);
        // A resync never overwrites a newer status that a push brought meanwhile.
        set((state) => ({
          sinks,
          streams,
          exporters,
          statuses: Object.fromEntries(statuses.map((status) => [status.name, newer(state.statuses[status.name], status)])),
          loaded: true,
          loadError: undefined,
        }));
      } catch (error) {
        set({ loaded: true, loadError: messageOf(error) });
      }
    },

    subscribe() {
      const offStatus = api().on("exporter:status", (status) =>
        set((state) => {
          if (newer(state.statuses[status.name], status) !== status) return {};
          return {
            statuses: { ...state.statuses, [status.name]: status },
            rates: { ...state.rates, [status.name]: [...(state.rates[status.name] ?? []), status.eventsPerSecond].slice(-rateHistory) },
          };
        }),
      );
      const offFile = api().on("exporter:file", (entry) =>
        set((state) => {
          const current = state.files[entry.exporter];
          return current?.state === "ready" ? { files: { ...state.files, [entry.exporter]: { state: "ready", value: [...current.value, entry] } } } : {};
        }),
      );
      return () => {
        offStatus();
        offFile();
      };
    },

    pause: (name) =>
      guarded(`pause:${name}`, async () => {
        await call("exporters:pause", { name });
        await get().refresh();
      }),
    resume: (name) =>
      guarded(`resume:${name}`, async () => {
        await call("exporters:resume", { name });
        await get().refresh();
      }),
    deleteExporter: (name) =>
      guarded(`delete-exporter:${name}`, async () => {
        await call("exporters:delete", { names: [name] });
        set({ notice: { kind: "info", text: `Deleted batch exporter ${name}.` } });
        await get().refresh();
      }),
    deleteSink: (name, recursive) =>
      guarded(`delete-sink:${name}`, async () => {
        const { deletedExporters, iamUser } = await call("sinks:delete", { name, recursive });
        const user = iamUser
          ? ` IAM user ${iamUser} and its key still exist in AWS: delete the user on the AWS console's IAM page when nothing else uses it.`
          : "";
        set({
          notice: { kind: "info", text: `Deleted sink ${name}${deletedExporters.length ? ` and its exporters ${deletedExporters.join(", ")}` : ""}.${user}` },
        });
        await get().refresh();
      }),

    async loadFiles(exporter) {
      set((state) => ({ files: { ...state.files, [exporter]: { state: "loading" } } }));
      try {
        const value = await call("exporters:files", { name: exporter });
        set((state) => ({ files: { ...state.files, [exporter]: { state: "ready", value } } }));
      } catch (error) {
        set((state) => ({ files: { ...state.files, [exporter]: { state: "failed", message: messageOf(error) } } }));
      }
    },

    async preview(exporter, key, lent) {
      set((state) => ({ previews: { ...state.previews, [key]: { state: "loading" } } }));
      try {
        const { lines, truncated } = await call("files:preview", { exporter, key, ...(lent ? { admin: lent.admin, remember: lent.remember } : {}) });
        set((state) => ({ previews: { ...state.previews, [key]: { state: "ready", lines, truncated } } }));
      } catch (error) {
        const needsAdmin = !lent && (error as { failure?: { code?: string } }).failure?.code === "credentials";
        set((state) => ({ previews: { ...state.previews, [key]: { state: needsAdmin ? "needs-admin" : "failed", message: messageOf(error) } } }));
      }
    },

    openConsole: (sinkName, prefix) =>
      guarded(`console:${sinkName}`, async () => {
        await call("shell:openBucketConsole", { sinkName, ...(prefix ? { prefix } : {}) });
      }),

    dismissNotice: () => set({ notice: undefined }),
  };
};
