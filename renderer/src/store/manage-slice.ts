// Everything after set-up: sinks (new credentials, validation, key rotation), streams (add, change
// the connection, delete), exporters (plan and save changes, logs) and Settings. Each operation is
// a request kept under its own key, so a view shows its progress and its error where it belongs.
import type { StateCreator } from "zustand";
import type { Input, SettingsInfo } from "../../../preload/contract";
import type { Column } from "../../../common/table-columns";
import type { TableEngine } from "../../../common/table-engines";
import { call, failedRequest } from "./call";
import type { StoreState } from "./index";
import type { Request } from "./wizard-slice";

export type ManageKey =
  | `replace:${string}`
  | `validate:${string}`
  | `rotate:${string}`
  | `policy:${string}`
  | `recreate:${string}`
  | `policy-update:${string}`
  | `stream-add`
  | `stream-test:${string}`
  | `registry-test:${string}`
  | `stream-update:${string}`
  | `stream-delete:${string}`
  | `stream-details:${string}`
  | `plan:${string}`
  | `columns:${string}`
  | `update:${string}`
  | `logs:${string}`
  | `table:${string}`
  | "settings";

export interface ManageSlice {
  requests: Partial<Record<ManageKey, Request<unknown>>>;
  settings?: SettingsInfo;
  replaceCredentials(name: string, credentialsJson: string, credentialsLabel: string): Promise<void>;
  revalidate(name: string): Promise<void>;
  rotateKey(name: string, admin: Input<"sinks:rotateKey">["admin"]): Promise<void>;
  /** What the sink's IAM user's policy would become, under `key` (its sink and the compression asked for); nothing changes. */
  policyChange(
    key: string,
    name: string,
    admin: Input<"sinks:policyChange">["admin"],
    compressions?: Input<"sinks:policyChange">["compressions"],
  ): Promise<void>;
  /** Puts `expected`, the proposed policy shown, proven by the sink's own key; true once done. */
  updatePolicy(
    key: string,
    name: string,
    admin: Input<"sinks:updatePolicy">["admin"],
    expected: string,
    compressions?: Input<"sinks:updatePolicy">["compressions"],
  ): Promise<boolean>;
  addStream(input: Input<"streams:create">): Promise<boolean>;
  testStream(key: string, input: Input<"streams:topics">): Promise<void>;
  testRegistry(key: string, input: Input<"streams:testRegistry">): Promise<void>;
  updateStream(input: Input<"streams:update">): Promise<boolean>;
  deleteStream(name: string): Promise<void>;
  /** Creates a stream's deleted topic again; its exporters try again at once. */
  recreateTopic(name: string, partitions: number): Promise<void>;
  streamDetails(name: string): Promise<void>;
  planUpdate(name: string, changes: Input<"exporters:planUpdate">["changes"]): Promise<void>;
  /** Parquet columns proposed from a stream's latest events, for exporter `key`'s editor; undefined when refused (the request says why). */
  proposeExporterColumns(key: string, input: Input<"streams:proposeColumns">): Promise<Column[] | undefined>;
  updateExporter(name: string, changes: Input<"exporters:update">["changes"]): Promise<boolean>;
  loadLogs(name: string): Promise<void>;
  /** "Query your data": the SQL for one engine, keyed `table:<exporter>`. */
  loadTable(name: string, engine: TableEngine): Promise<void>;
  loadSettings(): Promise<void>;
  saveSettings(changes: Input<"settings:set">): Promise<void>;
  forget(key: ManageKey): void;
}

const idle: Request<never> = { state: "idle" };

/** A request's state, typed by what it returns (the slice keeps them untyped by key). One idle object, so selectors stay stable. */
export const requestOf = <T>(state: StoreState, key: ManageKey) => (state.requests[key] ?? idle) as Request<T>;

export const createManageSlice: StateCreator<StoreState, [], [], ManageSlice> = (set, get) => {
  const put = (key: ManageKey, value: Request<unknown>) => set((state) => ({ requests: { ...state.requests, [key]: value } }));
  /** Runs a request under `key` unless one runs there already; refreshes the lists after a change. */
  const request = async <T>(key: ManageKey, work: () => Promise<T>, { refresh = true } = {}): Promise<T | undefined> => {
    if (get().requests[key]?.state === "running") return undefined;
    put(key, { state: "running" });
    try {
      const value = await work();
      put(key, { state: "done", value });
      if (refresh) await get().refresh();
      return value;
    } catch (error) {
      put(key, failedRequest(error));
      return undefined;
    }
  };

  return {
    requests: {},
    async replaceCredentials(name, credentialsJson, credentialsLabel) {
      await request(`replace:${name}`, () => call("sinks:replaceCredentials", { name, credentialsJson, credentialsLabel }));
    },
    async revalidate(name) {
      await request(`validate:${name}`, () => call("sinks:validate", { name }));
    },
    async rotateKey(name, admin) {
      await request(`rotate:${name}`, () => call("sinks:rotateKey", { name, admin }));
    },
    async policyChange(key, name, admin, compressions) {
      await request(`policy:${key}`, () => call("sinks:policyChange", { name, admin, ...(compressions ? { compressions } : {}) }), { refresh: false });
    },
    async updatePolicy(key, name, admin, expected, compressions) {
      const update = () => call("sinks:updatePolicy", { name, admin, expected, ...(compressions ? { compressions } : {}) });
      return (await request(`policy-update:${key}`, update)) !== undefined;
    },
    async recreateTopic(name, partitions) {
      await request(`recreate:${name}`, () => call("streams:recreateTopic", { name, partitions }));
    },
    async addStream(input) {
      return (await request("stream-add", () => call("streams:create", input))) !== undefined;
    },
    async testStream(key, input) {
      await request(`stream-test:${key}`, () => call("streams:topics", input), { refresh: false });
    },
    async testRegistry(key, input) {
      await request(`registry-test:${key}`, () => call("streams:testRegistry", input), { refresh: false });
    },
    async updateStream(input) {
      return (await request(`stream-update:${input.name}`, () => call("streams:update", input))) !== undefined;
    },
    async deleteStream(name) {
      await request(`stream-delete:${name}`, () => call("streams:delete", { name }));
    },
    async streamDetails(name) {
      await request(`stream-details:${name}`, () => call("streams:inspect", { name, sample: 1 }), { refresh: false });
    },
    async planUpdate(name, changes) {
      // The plan keeps the changes it reviewed: saving is offered only for exactly those.
      await request(`plan:${name}`, async () => ({ ...(await call("exporters:planUpdate", { name, changes })), changes }), { refresh: false });
    },
    async proposeExporterColumns(key, input) {
      const proposed = await request(`columns:${key}`, () => call("streams:proposeColumns", input), { refresh: false });
      return proposed && "columns" in proposed ? proposed.columns : undefined;
    },
    async updateExporter(name, changes) {
      const saved = await request(`update:${name}`, () => call("exporters:update", { name, changes }));
      if (saved) get().forget(`plan:${name}`);
      return saved !== undefined;
    },
    async loadLogs(name) {
      await request(`logs:${name}`, () => call("exporters:logs", { name, limit: 200 }), { refresh: false });
    },
    async loadTable(name, engine) {
      put(`table:${name}`, { state: "idle" });
      await request(`table:${name}`, () => call("exporters:table", { name, engine }), { refresh: false });
    },
    async loadSettings() {
      const settings = await request("settings", () => call("settings:get", {}), { refresh: false });
      if (settings) set({ settings });
    },
    async saveSettings(changes) {
      // Shown at once and saved in order: a person arrowing through the themes changes it several times in a row.
      const before = get().settings;
      if (before) set({ settings: { ...before, ...changes } });
      try {
        set({ settings: await call("settings:set", changes) });
        put("settings", idle);
      } catch (error) {
        put("settings", failedRequest(error));
        if (before) set({ settings: before });
      }
    },
    forget: (key) => set((state) => ({ requests: { ...state.requests, [key]: idle } })),
  };
};
