// @vitest-environment jsdom
// Store actions with a fake API: what they call, and what state they leave for the components.
import { beforeEach, describe, expect, it } from "vitest";
import { fakeApi } from "../../support/fake-api.js";
import { createStore } from "../../../renderer/src/store/index.js";

const status = {
  id: "1",
  name: "s3-demo",
  state: "running",
  workers: 1,
  eventsExported: 10,
  invalidExported: 0,
  bytesExported: 100,
  filesWritten: 1,
  eventsPerSecond: 5,
  lag: [],
  restarts: 0,
};

describe("store", () => {
  let store: ReturnType<typeof createStore>;
  beforeEach(() => {
    store = createStore();
  });

  it("loads app info through the typed API", async () => {
    const { invoke } = fakeApi({ "app:info": { name: "Streamdrop", version: "9.9.9", dataDir: "/d" } });
    await store.getState().loadInfo();
    expect(invoke).toHaveBeenCalledWith("app:info", {});
    expect(store.getState().info).toEqual({ state: "ready", value: { name: "Streamdrop", version: "9.9.9", dataDir: "/d" } });
  });

  it("keeps live statuses and a rate history from push events", () => {
    const { push: emit } = fakeApi({});
    store.getState().subscribe();
    emit("exporter:status", status);
    emit("exporter:status", { ...status, eventsPerSecond: 9 });
    expect(store.getState().statuses["s3-demo"]!.eventsPerSecond).toBe(9);
    expect(store.getState().rates["s3-demo"]).toEqual([5, 9]);
  });

  it("runs a wizard request once at a time, and keeps its failure message", async () => {
    let release!: () => void;
    const refused = new Promise((resolve) => (release = () => resolve({ failure: { code: "invalid-input", message: "Topic x does not exist." } })));
    const { invoke } = fakeApi({}, () => refused);
    const first = store.getState().testConnection({ bootstrapServers: "127.0.0.1:9092" });
    const second = store.getState().testConnection({ bootstrapServers: "127.0.0.1:9092" });
    expect(store.getState().wizard.topics.state).toBe("running");
    release();
    await Promise.all([first, second]);
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(store.getState().wizard.topics).toEqual({ state: "failed", message: "Topic x does not exist." });
  });

  it("offers the fixing policy when validation names a missing permission", async () => {
    const denied = Object.assign(new Error("Access denied for s3:GetBucketLocation on arn:aws:s3:::b-u-c."), { code: "storage" });
    fakeApi({ "sinks:create": denied, "aws:policy": { document: '{"Version":"2012-10-17"}' } });
    await store.getState().createSink({ name: "s3", bucket: "b-u-c", credentialsJson: "{}", credentialsLabel: "s3.json" });
    expect(store.getState().wizard.sink).toEqual({ state: "failed", message: denied.message });
    expect(store.getState().wizard.fixPolicy).toBe('{"Version":"2012-10-17"}');
  });

  it("asks for admin credentials when the sink's key cannot read a file back", async () => {
    const cannotRead = Object.assign(new Error("Sink s3's key may only write files"), { code: "credentials" });
    fakeApi({ "files:preview": cannotRead });
    await store.getState().preview("s3-demo", "events/a.jsonl");
    expect(store.getState().previews["events/a.jsonl"]).toEqual({ state: "needs-admin", message: "Sink s3's key may only write files" });
  });
});
