// The guided setup: the product page's three starting points, then the exporter step. Each call
// keeps its own progress and error, so the form can show them where they belong.
import type { StateCreator } from "zustand";
import type { Input, Results, SinkInfo, StreamInfo, TopicCheckInfo } from "../../../preload/contract";
import type { Fix } from "../../../common/fixes";
import { call, failedRequest } from "./call";
import type { StoreState } from "./index";
import type { ColumnsChoice } from "../../../common/table-columns";
import { defaultFileChoice, fileKindsOf, type FileChoice } from "../components/file-choice";

export type WizardPath = "have-credentials" | "create" | "someone-else" | "existing-sink";
export type WizardStep = "choose" | "sink" | "exporter" | "done";

/** One request's life: idle, running (its button disabled), done, or failed with a message. */
export type Request<T> = { state: "idle" } | { state: "running" } | { state: "done"; value: T } | { state: "failed"; message: string; fixes?: Fix[] };

export interface WizardSlice {
  wizard: {
    path?: WizardPath;
    step: WizardStep;
    /** Prefilled when coming back from "someone else sets it up" with the credentials. */
    prefill?: { bucket: string; pathPrefix?: string };
    inspect: Request<Results["sinks:inspectCredentials"]>;
    sink: Request<Results["sinks:create"]>;
    /** Shown when validation names a missing permission: the policy that fixes it (S3) ... */
    fixPolicy?: string;
    /** ... or the gcloud command that grants the role (Cloud Storage). */
    fixCommand?: string;
    policy: Request<string>;
    setup: Request<Results["aws:setupS3"]>;
    document: Request<string>;
    topics: Request<string[]>;
    stream: Request<StreamInfo>;
    simulate: Request<number>;
    /** The topic check: what the stream holds and what the exporter would write, before it is created. */
    check: Request<TopicCheckInfo>;
    /** A Parquet exporter's columns, proposed from the stream's latest events (for the person to edit), or its registered schemas'. */
    columns: Request<{ stream: string; choice: ColumnsChoice }>;
    exporter: Request<Results["exporters:create"]>;
    /** The sink made in the first part (or chosen from Sinks), chosen for the exporter. */
    madeSink?: SinkInfo;
    /** The person typed something: leaving asks first. */
    dirty: boolean;
    /** What files the exporter will store, chosen with the sink's setup (its policy or document follows it) and offered at the exporter step. */
    files: FileChoice;
  };
  startWizard(path?: WizardPath): void;
  /** The exporter step for a sink that exists (from Sinks, or the "sink I have" starting point). */
  startWithSink(sink?: SinkInfo): void;
  /** Back one step: to the starting points from a path, to the sink from the exporter. */
  wizardBack(): void;
  markWizardDirty(): void;
  resetWizard(): void;
  choosePath(path: WizardPath): void;
  wizardStep(step: WizardStep): void;
  chooseFiles(files: FileChoice): void;
  haveCredentialsNow(prefill: { bucket: string; pathPrefix?: string }): void;
  inspectCredentials(json: string, label: string): Promise<void>;
  createSink(input: Input<"sinks:create">): Promise<void>;
  showPolicy(bucket: string, pathPrefix?: string, files?: FileChoice): Promise<void>;
  setupS3(input: Input<"aws:setupS3">): Promise<void>;
  /** A store's setup document, asked for through its own channel (wizard/store-forms.tsx). */
  setupDocument(write: () => Promise<{ markdown: string }>): Promise<void>;
  testConnection(input: Input<"streams:topics">): Promise<void>;
  createStream(input: Input<"streams:create">): Promise<void>;
  simulateEvents(stream: string, count: number): Promise<void>;
  checkTopic(input: Input<"streams:inspect">): Promise<void>;
  /** Columns proposed from the stream's latest events, for the exporter step's editor; undefined when refused (the request says why). */
  proposeColumns(input: Input<"streams:proposeColumns">): Promise<ColumnsChoice | undefined>;
  createExporter(input: Input<"exporters:create">): Promise<void>;
}

const idle = { state: "idle" } as const;
const freshWizard = (): WizardSlice["wizard"] => ({
  step: "choose",
  dirty: false,
  files: defaultFileChoice,
  inspect: idle,
  sink: idle,
  policy: idle,
  setup: idle,
  document: idle,
  topics: idle,
  stream: idle,
  simulate: idle,
  check: idle,
  columns: idle,
  exporter: idle,
});

type RequestKey = "inspect" | "sink" | "policy" | "setup" | "document" | "topics" | "stream" | "simulate" | "check" | "columns" | "exporter";

export const createWizardSlice: StateCreator<StoreState, [], [], WizardSlice> = (set, get) => {
  const patch = (changes: Partial<WizardSlice["wizard"]>) => set((state) => ({ wizard: { ...state.wizard, ...changes } }));
  /** Runs a request under `key` unless one is already running there. */
  const request = async <T>(key: RequestKey, work: () => Promise<T>): Promise<T | undefined> => {
    if (get().wizard[key].state === "running") return undefined;
    patch({ [key]: { state: "running" } } as Partial<WizardSlice["wizard"]>);
    try {
      const value = await work();
      patch({ [key]: { state: "done", value } } as Partial<WizardSlice["wizard"]>);
      return value;
    } catch (error) {
      patch({ [key]: failedRequest(error) } as Partial<WizardSlice["wizard"]>);
      return undefined;
    }
  };

  return {
    wizard: freshWizard(),
    startWizard(path) {
      const { view, wizard } = get();
      // From the wizard itself with typed data: the same question as leaving it.
      if (view.name === "wizard" && wizard.dirty && wizard.step !== "done") return set({ leaving: { name: "wizard" } });
      set({ wizard: { ...freshWizard(), ...(path ? { path, step: "sink" } : {}) } });
      get().navigate({ name: "wizard" });
    },
    startWithSink(sink) {
      set({ wizard: { ...freshWizard(), path: "existing-sink", step: "exporter", ...(sink ? { madeSink: sink } : {}) } });
      get().navigate({ name: "wizard" });
    },
    wizardBack() {
      const { step, path, dirty } = get().wizard;
      if (step === "exporter" && path !== "existing-sink") return patch({ step: "sink" });
      // Back to the starting points drops what was typed: the same question as leaving.
      if (dirty) return set({ leaving: { name: "wizard" } });
      set({ wizard: freshWizard() });
    },
    markWizardDirty: () => {
      if (!get().wizard.dirty) patch({ dirty: true });
    },
    resetWizard: () => set({ wizard: freshWizard() }),
    choosePath: (path) => set({ wizard: { ...freshWizard(), path, step: "sink" } }),
    wizardStep: (step) => patch({ step }),
    chooseFiles: (files) => patch({ files, policy: idle }),
    // The document's files go on to the exporter step: the credentials that come back allow them.
    haveCredentialsNow: (prefill) =>
      set((state) => ({ wizard: { ...freshWizard(), path: "have-credentials", step: "sink", prefill, files: state.wizard.files } })),

    async inspectCredentials(json, label) {
      await request("inspect", () => call("sinks:inspectCredentials", { credentialsJson: json, credentialsLabel: label }));
    },
    async createSink(input) {
      patch({ fixPolicy: undefined, fixCommand: undefined });
      const saved = await request("sink", () => call("sinks:create", input));
      if (saved) {
        // What was typed so far is saved: leaving now loses nothing.
        patch({ madeSink: saved.sink, dirty: false });
        await get().refresh();
        return;
      }
      const failure = get().wizard.sink;
      const account = get().wizard.inspect;
      if (failure.state === "failed" && account.state === "done" && account.value.serviceAccount && /storage\.objects\.create/.test(failure.message)) {
        patch({
          fixCommand: `gcloud storage buckets add-iam-policy-binding gs://${input.bucket} \\\n  --member=serviceAccount:${account.value.serviceAccount} \\\n  --role=roles/storage.objectCreator`,
        });
      } else if (failure.state === "failed" && /s3:(GetBucketLocation|PutObject)/.test(failure.message)) {
        const policy = await call("aws:policy", {
          bucket: input.bucket,
          ...(input.pathPrefix ? { pathPrefix: input.pathPrefix } : {}),
          compressions: fileKindsOf(get().wizard.files),
        }).catch(() => undefined);
        if (policy) patch({ fixPolicy: policy.document });
      }
    },
    async showPolicy(bucket, pathPrefix, files = defaultFileChoice) {
      await request(
        "policy",
        async () => (await call("aws:policy", { bucket, ...(pathPrefix ? { pathPrefix } : {}), compressions: fileKindsOf(files) })).document,
      );
    },
    async setupS3(input) {
      const result = await request("setup", () => call("aws:setupS3", input));
      if (result) {
        patch({ madeSink: result.sink, dirty: false });
        await get().refresh();
      }
    },
    async setupDocument(write) {
      await request("document", async () => (await write()).markdown);
    },
    async testConnection(input) {
      await request("topics", () => call("streams:topics", input));
    },
    async createStream(input) {
      if (await request("stream", () => call("streams:create", input))) await get().refresh();
    },
    async simulateEvents(stream, count) {
      await request("simulate", async () => (await call("streams:simulate", { stream, rate: 500, count })).sent);
    },
    async checkTopic(input) {
      await request("check", () => call("streams:inspect", input));
    },
    async proposeColumns(input) {
      return (await request("columns", async () => ({ stream: input.name, choice: await call("streams:proposeColumns", input) })))?.choice;
    },
    async createExporter(input) {
      if (await request("exporter", () => call("exporters:create", input))) {
        patch({ step: "done" });
        await get().refresh();
      }
    },
  };
};
