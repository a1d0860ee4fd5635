// @vitest-environment jsdom
// The wizard's steps as components, with a fake API behind the store: what they show, what they
// check as you type, and that a running request cannot be started twice.
import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeApi as installFakeApi, type Answer } from "../../support/fake-api.js";
import { useStore } from "../../../renderer/src/store/index.js";
import { Wizard } from "../../../renderer/src/wizard/Wizard.js";

/** The wizard's tests look at the calls only. */
const fakeApi = (answers: Record<string, Answer>) => installFakeApi(answers).invoke;

const emptyLists = { "sinks:list": [], "streams:list": [], "exporters:list": [], "exporters:status": [] };

beforeEach(() => {
  useStore.setState(useStore.getInitialState(), true);
});
afterEach(cleanup);

describe("the wizard", () => {
  it("starts with the product page's three starting points", () => {
    fakeApi(emptyLists);
    render(<Wizard />);
    expect(screen.getByRole("group", { name: "Where do you start from?" })).toBeTruthy();
    for (const name of [/I have a bucket and credentials/, /I can create them/, /Someone else sets it up/])
      expect(screen.getByRole("button", { name })).toBeTruthy();
  });

  it("checks the bucket name as it is typed, naming the broken rule", () => {
    fakeApi(emptyLists);
    render(<Wizard />);
    fireEvent.click(screen.getByRole("button", { name: /I can create them/ }));
    const bucket = screen.getByLabelText("Bucket name");
    fireEvent.change(bucket, { target: { value: "my..bucket" } });
    expect(screen.getByRole("alert").textContent).toBe("An S3 bucket name must not contain two adjacent dots.");
    expect(bucket.getAttribute("aria-invalid")).toBe("true");
    expect((screen.getByRole("button", { name: "Create bucket, IAM user, key and sink" }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(bucket, { target: { value: "my-bucket" } });
    expect(screen.queryByRole("alert")).toBeNull();
    expect((screen.getByLabelText("Sink name") as HTMLInputElement).value).toBe("my-bucket");
  });

  it("shows the detected credentials type, then validates and saves the sink", async () => {
    const invoke = fakeApi({
      ...emptyLists,
      "sinks:inspectCredentials": { kind: "aws-access-key", sinkType: "S3", description: "An AWS access key of IAM user strm-export-demo" },
      "sinks:create": {
        sink: { name: "my-bucket", bucket: "my-bucket", region: "eu-west-1", credentials: "keychain", exporters: [] },
        created: true,
        validationFile: "s3://my-bucket/.strm_test_1.jsonl",
      },
    });
    render(<Wizard />);
    fireEvent.click(screen.getByRole("button", { name: /I have a bucket and credentials/ }));
    fireEvent.change(screen.getByLabelText("…or paste its content"), { target: { value: '{"AccessKey": {}}' } });
    await screen.findByText(/Detected: An AWS access key of IAM user strm-export-demo/);
    fireEvent.change(screen.getByLabelText("Bucket name"), { target: { value: "my-bucket" } });
    fireEvent.click(screen.getByRole("button", { name: "Validate and save the sink" }));
    await screen.findByText(/the bucket is in eu-west-1, and the test file s3:\/\/my-bucket\/.strm_test_1.jsonl was written/);
    expect(invoke).toHaveBeenCalledWith("sinks:create", {
      name: "my-bucket",
      bucket: "my-bucket",
      sinkType: "S3",
      credentialsJson: '{"AccessKey": {}}',
      credentialsLabel: "pasted credentials",
    });
    fireEvent.click(screen.getByRole("button", { name: "Next: the exporter" }));
    expect(useStore.getState().wizard.step).toBe("exporter");
  });

  it("takes a service-account key to Cloud Storage: its bucket rules, the role it needs, and the gcloud command when it is missing", async () => {
    const email = "exporter@proj.iam.gserviceaccount.com";
    const invoke = fakeApi({
      ...emptyLists,
      "sinks:inspectCredentials": {
        kind: "gcs-service-account",
        sinkType: "GCLOUD",
        description: `A Google Cloud service-account key of ${email} (project proj)`,
        serviceAccount: email,
      },
      "sinks:create": Object.assign(
        new Error(
          `Access denied for storage.objects.create on gs://my_events/.strm_test_1.jsonl. Grant the service account ${email} a role with storage.objects.create on bucket my_events.`,
        ),
        { code: "storage" },
      ),
    });
    render(<Wizard />);
    fireEvent.click(screen.getByRole("button", { name: /I have a bucket and credentials/ }));
    fireEvent.change(screen.getByLabelText("…or paste its content"), { target: { value: '{"type": "service_account"}' } });
    await screen.findByText(/Detected: A Google Cloud service-account key of exporter@proj/);
    expect(screen.getByText(/needs one permission on/).textContent).toContain("storage.objects.create");
    expect(screen.queryByLabelText("Region (optional)")).toBeNull();
    const bucket = screen.getByLabelText("Bucket name");
    fireEvent.change(bucket, { target: { value: "my-google-bucket" } });
    expect(screen.getByRole("alert").textContent).toBe('A Cloud Storage bucket name must not contain "google".');
    fireEvent.change(bucket, { target: { value: "my_events" } });
    expect(screen.queryByRole("alert")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Validate and save the sink" }));
    await screen.findByText(/Access denied for storage.objects.create/);
    expect(invoke).toHaveBeenCalledWith("sinks:create", {
      name: "my_events",
      bucket: "my_events",
      sinkType: "GCLOUD",
      credentialsJson: '{"type": "service_account"}',
      credentialsLabel: "pasted credentials",
    });
    expect(screen.getByLabelText("The command that fixes it").textContent).toBe(
      `gcloud storage buckets add-iam-policy-binding gs://my_events \\\n  --member=serviceAccount:${email} \\\n  --role=roles/storage.objectCreator`,
    );
  });

  it("writes the AWS document for the compression chosen", async () => {
    const invoke = fakeApi({ ...emptyLists, "aws:setupDoc": { markdown: "# Streamdrop export: AWS setup" } });
    render(<Wizard />);
    fireEvent.click(screen.getByRole("button", { name: /Someone else sets it up/ }));
    fireEvent.change(screen.getByLabelText("Bucket name"), { target: { value: "their-bucket" } });
    fireEvent.change(screen.getByLabelText("Compression"), { target: { value: "zstd" } });
    fireEvent.click(screen.getByRole("button", { name: "Write the setup document" }));
    await waitFor(() => expect(screen.getByLabelText("The setup document").textContent).toContain("AWS setup"));
    expect(invoke).toHaveBeenCalledWith("aws:setupDoc", { bucket: "their-bucket", region: "us-east-1", compressions: ["zstd"] });
  });

  it("writes the gcloud setup document for a Cloud Storage bucket", async () => {
    const invoke = fakeApi({ ...emptyLists, "gcloud:setupDoc": { markdown: "# Streamdrop export: Google Cloud setup for bucket `their_bucket`" } });
    render(<Wizard />);
    fireEvent.click(screen.getByRole("button", { name: /Someone else sets it up/ }));
    fireEvent.click(screen.getByRole("radio", { name: "Google Cloud Storage" }));
    fireEvent.change(screen.getByLabelText("Bucket name"), { target: { value: "their_bucket" } });
    fireEvent.change(screen.getByLabelText("Google Cloud project (optional)"), { target: { value: "their-project" } });
    fireEvent.click(screen.getByRole("button", { name: "Write the setup document" }));
    await waitFor(() => expect(screen.getByLabelText("The setup document").textContent).toContain("Google Cloud setup"));
    expect(invoke).toHaveBeenCalledWith("gcloud:setupDoc", { bucket: "their_bucket", projectId: "their-project", compressions: ["none"] });
    expect(screen.getByText(/Send this to your Google Cloud administrator/)).toBeTruthy();
  });

  it("shows progress on a long operation and cannot be submitted twice", async () => {
    let finish!: (value: unknown) => void;
    const invoke = fakeApi({ ...emptyLists, "aws:setupDoc": new Promise((resolve) => (finish = resolve)) });
    render(<Wizard />);
    fireEvent.click(screen.getByRole("button", { name: /Someone else sets it up/ }));
    fireEvent.change(screen.getByLabelText("Bucket name"), { target: { value: "their-bucket" } });
    const submit = screen.getByRole("button", { name: "Write the setup document" });
    fireEvent.click(submit);
    fireEvent.click(submit);
    const busy = await screen.findByRole("button", { name: /Writing the document/ });
    expect((busy as HTMLButtonElement).disabled).toBe(true);
    await act(async () => finish({ markdown: "# Streamdrop export: AWS setup for bucket `their-bucket`" }));
    await waitFor(() => expect(screen.getByLabelText("The setup document").textContent).toContain("their-bucket"));
    expect(invoke.mock.calls.filter(([channel]) => channel === "aws:setupDoc")).toHaveLength(1);
  });

  it("says, once the exporter is made, that its Record fields without Value export no event values", async () => {
    const created = {
      id: "e1",
      name: "s3-demo",
      streamName: "demo",
      sinkName: "s3",
      intervalSeconds: 60,
      includeExistingEvents: false,
      workers: 1,
      maxBatchMb: 16,
      fields: ["partition", "offset", "timestamp", "key"],
      tombstones: "invalid",
      compression: "none",
      paused: false,
    };
    const core =
      "The fields (partition, offset, timestamp, key) leave out value: the files hold no event values. Add value to the fields to export the events too.";
    const invoke = fakeApi({ ...emptyLists, "exporters:create": { ...created, warnings: [{ code: "no-values", message: core }] } });
    useStore.setState({
      sinks: [{ name: "s3", type: "S3", bucket: "b-u-c", credentials: "keychain", hasConsole: true, exporters: [] }],
      streams: [{ name: "demo", topic: "demo", bootstrapServers: ["127.0.0.1:9092"], ssl: false, customCa: false, exporters: [] }],
    });
    useStore.getState().wizardStep("exporter");
    render(<Wizard />);
    fireEvent.click(screen.getByRole("radio", { name: /The record with its metadata/ }));
    fireEvent.click(screen.getByRole("checkbox", { name: "Value" }));
    fireEvent.submit(screen.getByRole("button", { name: "Create and start the exporter" }).closest("form")!);
    await screen.findByText(/is created and starts exporting demo to s3/);
    expect(screen.getByText(/^Value is not among the Record fields/).textContent).toBe(
      "Value is not among the Record fields, so the files will hold no event values, only Partition, Offset, Timestamp, Key. To export the events too, tick Value under Record fields in the exporter's settings.",
    );
    expect(screen.queryByText(/--fields|leave out value/)).toBeNull();
    expect(invoke).toHaveBeenCalledWith(
      "exporters:create",
      expect.objectContaining({ streamName: "demo", sinkName: "s3", fields: ["partition", "offset", "timestamp", "key"] }),
    );
  });

  it("says nothing more of an exporter made with Value among its fields", async () => {
    const created = {
      id: "e1",
      name: "s3-demo",
      streamName: "demo",
      sinkName: "s3",
      intervalSeconds: 60,
      includeExistingEvents: false,
      workers: 1,
      maxBatchMb: 16,
      fields: ["value"],
      tombstones: "invalid",
      compression: "none",
      paused: false,
    };
    fakeApi({ ...emptyLists, "exporters:create": { ...created, warnings: [] } });
    useStore.setState({
      sinks: [{ name: "s3", type: "S3", bucket: "b-u-c", credentials: "keychain", hasConsole: true, exporters: [] }],
      streams: [{ name: "demo", topic: "demo", bootstrapServers: ["127.0.0.1:9092"], ssl: false, customCa: false, exporters: [] }],
    });
    useStore.getState().wizardStep("exporter");
    render(<Wizard />);
    fireEvent.submit(screen.getByRole("button", { name: "Create and start the exporter" }).closest("form")!);
    await screen.findByText(/is created and starts exporting demo to s3/);
    expect(screen.queryByText(/Value is not among/)).toBeNull();
  });

  it("explains an exporter that cannot be created, and keeps the form", async () => {
    fakeApi({
      ...emptyLists,
      "exporters:create": Object.assign(new Error("--interval must be a whole number of seconds from 1 to 3600 (got 0)."), { code: "invalid-input" }),
    });
    useStore.setState({
      sinks: [{ name: "s3", type: "S3", bucket: "b-u-c", credentials: "keychain", hasConsole: true, exporters: [] }],
      streams: [{ name: "demo", topic: "demo", bootstrapServers: ["127.0.0.1:9092"], ssl: false, customCa: false, exporters: [] }],
    });
    useStore.getState().wizardStep("exporter");
    render(<Wizard />);
    fireEvent.change(screen.getByLabelText("Interval in seconds"), { target: { value: "0" } });
    fireEvent.submit(screen.getByRole("button", { name: "Create and start the exporter" }).closest("form")!);
    expect((await screen.findByRole("alert")).textContent).toBe("--interval must be a whole number of seconds from 1 to 3600 (got 0).");
    expect((screen.getByLabelText("Interval in seconds") as HTMLInputElement).value).toBe("0");
  });
});
