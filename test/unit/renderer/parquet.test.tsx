// @vitest-environment jsdom
// Parquet in the window, over a fake API: the columns editor (each column's name and type, a
// problem said where it is as the text is typed), the wizard proposing the columns when Parquet is
// chosen and creating the exporter with the edited ones, the sink's document covering Parquet's
// files, and the exporter's settings: format, codec and columns version shown, a changed version
// reviewed before it is saved, and the engine's proposal for new fields taken into the same review.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { useState } from "react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Column } from "../../../common/table-columns.js";
import type { ExporterStatusInfo } from "../../../preload/contract.js";
import { fakeApi } from "../../support/fake-api.js";
import { App } from "../../../renderer/src/App.js";
import { ColumnsEditor, readColumns } from "../../../renderer/src/components/ColumnsEditor.js";
import { useStore } from "../../../renderer/src/store/index.js";
import { Wizard } from "../../../renderer/src/wizard/Wizard.js";
import { exporterInfo, exporterStatus } from "../../support/exporter-views.js";

const lists = {
  "app:info": { name: "Streamdrop", version: "0", dataDir: "/data" },
  "sinks:list": [{ name: "s3", type: "S3", bucket: "b-u-c", credentials: "keychain", hasConsole: true, exporters: [] }],
  "streams:list": [{ name: "orders", topic: "orders", bootstrapServers: ["127.0.0.1:9092"], ssl: false, customCa: false, exporters: [] }],
  "exporters:list": [],
  "exporters:status": [],
  "exporters:logs": [],
  "settings:get": { openAtLogin: false, theme: "system", notifications: true },
};
const proposed: Column[] = [
  { name: "id", type: { kind: "int64" } },
  { name: "at", type: { kind: "string" } },
  { name: "tags", type: { kind: "list", items: { kind: "string" } } },
];
const parquetExporter = exporterInfo({
  format: "parquet",
  parquetCompression: "zstd",
  columns: { version: 2, columns: proposed, createdAt: "2026-12-01T10:00:00.000Z" },
});
const status = (extra: Partial<ExporterStatusInfo> = {}): ExporterStatusInfo => exporterStatus({ eventsExported: 10, invalidExported: 3, ...extra });

beforeEach(() => useStore.setState(useStore.getInitialState(), true));
afterEach(cleanup);

describe("the columns editor", () => {
  function Editor({ initial }: { initial: string }) {
    const [text, setText] = useState(initial);
    return <ColumnsEditor text={text} onChange={setText} />;
  }

  it("shows each column's name and type, and says what is wrong and where as the text is typed", () => {
    render(<Editor initial="id int64, at timestamp(micros), address struct<city string>" />);
    const rows = screen.getAllByRole("row").map((row) => [...row.querySelectorAll("td")].map((cell) => cell.textContent));
    expect(rows.slice(1)).toEqual([
      ["id", "int64", "a whole number (64-bit)"],
      ["at", "timestamp(micros)", "a time in UTC, to the microsecond"],
      ["address", "struct<city string>", "a record of city"],
    ]);
    const text = screen.getByLabelText("Columns");
    fireEvent.change(text, { target: { value: "id int65, at timestamp(micros)" } });
    const problem = screen.getByRole("alert").textContent!;
    expect(problem).toMatch(/^The columns cannot be read: unknown type "int65": use string, boolean, int32, int64/);
    expect(problem).toMatch(/, at character \d+ \(near "/);
    expect(problem).not.toMatch(/--[a-z]/);
    expect(text.getAttribute("aria-invalid")).toBe("true");
    expect(screen.queryByRole("table")).toBeNull();
    fireEvent.change(text, { target: { value: "id int64, at timestamp(nanos)" } });
    expect(screen.getByRole("alert").textContent).toMatch(/a timestamp's unit is millis or micros/);
    fireEvent.change(text, { target: { value: "id   int64,at timestamp(millis)" } });
    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.getAllByRole("row")).toHaveLength(3);
  });

  it("reads the text as the core prints it, and an empty text as none given", () => {
    expect(readColumns("  ")).toEqual({ state: "empty" });
    expect(readColumns("id   int64,tags list< string >")).toMatchObject({ state: "ok", text: "id int64, tags list<string>" });
    expect(readColumns("id int64, id string")).toEqual({ state: "problem", problem: "The columns cannot be read: a column name is given twice." });
  });
});

describe("the wizard", () => {
  it("proposes the columns when Parquet is chosen, offers Parquet's codecs, and creates the exporter with the columns as edited", async () => {
    const api = fakeApi({
      ...lists,
      "streams:proposeColumns": { columns: proposed },
      "exporters:create": { ...parquetExporter, columns: { version: 1, columns: proposed, createdAt: "2026-12-01T10:00:00.000Z" }, warnings: [] },
    });
    await useStore.getState().refresh();
    useStore.getState().wizardStep("exporter");
    render(<Wizard />);
    expect(screen.queryByLabelText("Columns")).toBeNull();
    fireEvent.click(screen.getByRole("radio", { name: /^Parquet/ }));
    expect(api.invoke).toHaveBeenCalledWith("streams:proposeColumns", { name: "orders" });
    const text = (await screen.findByDisplayValue("id int64, at string, tags list<string>")) as HTMLTextAreaElement;
    expect(screen.getByText("Proposed from stream orders's latest events.")).toBeTruthy();
    const codecs = [...(screen.getByLabelText("Compression") as HTMLSelectElement).options].map((option) => option.value);
    expect(codecs).toEqual(["zstd", "snappy", "gzip", "none"]);
    expect((screen.getByLabelText("Compression") as HTMLSelectElement).value).toBe("zstd");

    const create = screen.getByRole("button", { name: "Create and start the exporter" }) as HTMLButtonElement;
    fireEvent.change(text, { target: { value: "id int64, at timestamp(milis), tags list<string>" } });
    expect(screen.getByRole("alert").textContent).toMatch(/^The columns cannot be read: a timestamp's unit is millis or micros/);
    expect(create.disabled).toBe(true);
    fireEvent.change(text, { target: { value: "id int64, at timestamp(millis), tags list<string>" } });
    expect(create.disabled).toBe(false);
    fireEvent.change(screen.getByLabelText("Compression"), { target: { value: "snappy" } });
    fireEvent.submit(create.closest("form")!);
    await screen.findByText(/is created and starts exporting orders to s3, a file every 60 s, as Parquet with columns version 1/);
    expect(api.invoke).toHaveBeenCalledWith(
      "exporters:create",
      expect.objectContaining({ streamName: "orders", format: "parquet", compression: "snappy", columns: "id int64, at timestamp(millis), tags list<string>" }),
    );
  });

  it("says why no columns could be proposed, and lets them be typed", async () => {
    fakeApi({
      ...lists,
      "streams:proposeColumns": Object.assign(
        new Error(
          "Topic orders has no events to propose columns from (0 records sampled, none a JSON object). Give the columns, such as: id int64, at timestamp(micros), name string.",
        ),
        { code: "invalid-input" },
      ),
    });
    await useStore.getState().refresh();
    useStore.getState().wizardStep("exporter");
    render(<Wizard />);
    fireEvent.click(screen.getByRole("radio", { name: /^Parquet/ }));
    expect((await screen.findByRole("alert")).textContent).toMatch(/^Topic orders has no events to propose columns from/);
    expect(screen.getByText(/Left empty, they are proposed from the topic's latest events when the exporter is created/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Columns"), { target: { value: "id int64" } });
    expect(screen.getByRole("row", { name: /id int64/ })).toBeTruthy();
  });

  it("asks for a policy and a document that allow Parquet files and their -invalid JSON Lines", async () => {
    const api = fakeApi({ ...lists, "aws:setupDoc": { markdown: "# Streamdrop export: AWS setup" }, "aws:policy": { document: "{}" } });
    render(<Wizard />);
    fireEvent.click(screen.getByRole("button", { name: /Someone else sets it up/ }));
    fireEvent.change(screen.getByLabelText("Bucket name"), { target: { value: "their-bucket" } });
    fireEvent.click(screen.getByRole("radio", { name: /^Parquet/ }));
    fireEvent.click(screen.getByRole("button", { name: "Write the setup document" }));
    await waitFor(() => expect(screen.getByLabelText("The setup document").textContent).toContain("AWS setup"));
    expect(api.invoke).toHaveBeenCalledWith("aws:setupDoc", { bucket: "their-bucket", region: "us-east-1", compressions: ["none", "parquet"] });
    // The choice goes on with the credentials that come back, to the exporter step.
    expect(useStore.getState().wizard.files).toEqual({ format: "parquet", compression: "zstd" });

    cleanup();
    useStore.getState().startWizard("create");
    render(<Wizard />);
    fireEvent.change(screen.getByLabelText("Bucket name"), { target: { value: "new-bucket" } });
    fireEvent.click(screen.getByRole("radio", { name: /^Parquet/ }));
    expect(screen.getByText(/write \*\.parquet files \(and \*\.jsonl, for events that do not fit the columns\) under the prefix/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Show the policy" }));
    await waitFor(() => expect(api.invoke).toHaveBeenCalledWith("aws:policy", { bucket: "new-bucket", compressions: ["none", "parquet"] }));
  });
});

describe("the exporter's settings", () => {
  const open = async (answers: Record<string, unknown>) => {
    const api = fakeApi({ ...lists, "exporters:list": [parquetExporter], ...answers });
    render(<App />);
    fireEvent.click(await screen.findByRole("button", { name: "Settings and log of s3-orders" }));
    return api;
  };

  it("shows the format, the codec and the columns' version, and reviews changed columns as the next version before saving", async () => {
    const api = await open({
      "exporters:planUpdate": { effects: [{ code: "line-format", message: "New Parquet files take the columns of version 3." }] },
      "exporters:update": parquetExporter,
    });
    expect((screen.getByRole("radio", { name: /^Parquet/ }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText("Compression") as HTMLSelectElement).value).toBe("zstd");
    expect(screen.getByRole("heading", { name: "Columns, version 2" })).toBeTruthy();
    const text = screen.getByLabelText("Columns") as HTMLTextAreaElement;
    expect(text.value).toBe("id int64, at string, tags list<string>");
    const review = screen.getByRole("button", { name: "Review the changes" }) as HTMLButtonElement;
    expect(review.disabled).toBe(true);

    fireEvent.change(text, { target: { value: "id int64, at timestamp(micro), tags list<string>" } });
    expect(screen.getByRole("alert").textContent).toMatch(/^The columns cannot be read/);
    expect(review.disabled).toBe(true);
    fireEvent.change(text, { target: { value: "id int64, at timestamp(micros), tags list<string>" } });
    expect(screen.getByText("Saved as version 3: new files take these columns.")).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Compression"), { target: { value: "snappy" } });
    fireEvent.submit(review.closest("form")!);
    await screen.findByText("New Parquet files take the columns of version 3.");
    expect(api.invoke).toHaveBeenCalledWith("exporters:planUpdate", {
      name: "s3-orders",
      changes: { compression: "snappy", columns: "id int64, at timestamp(micros), tags list<string>" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Save the changes" }));
    await waitFor(() =>
      expect(api.invoke).toHaveBeenCalledWith("exporters:update", {
        name: "s3-orders",
        changes: { compression: "snappy", columns: "id int64, at timestamp(micros), tags list<string>" },
      }),
    );
  });

  it("switches a JSON Lines exporter to Parquet with columns proposed from its topic", async () => {
    const api = await open({
      "exporters:list": [{ ...parquetExporter, format: "jsonl", parquetCompression: undefined, columns: undefined }],
      "streams:proposeColumns": { columns: proposed },
      "exporters:planUpdate": { effects: [] },
    });
    expect(screen.queryByLabelText("Columns")).toBeNull();
    fireEvent.click(screen.getByRole("radio", { name: /^Parquet/ }));
    expect(screen.getByText(/None yet: they are proposed from the topic's latest events/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Propose the columns from the topic" }));
    await screen.findByDisplayValue("id int64, at string, tags list<string>");
    expect(api.invoke).toHaveBeenCalledWith("streams:proposeColumns", { name: "orders", decode: "none", fromEvents: true });
    fireEvent.submit(screen.getByRole("button", { name: "Review the changes" }).closest("form")!);
    await waitFor(() =>
      expect(api.invoke).toHaveBeenCalledWith("exporters:planUpdate", {
        name: "s3-orders",
        changes: { format: "parquet", compression: "zstd", columns: "id int64, at string, tags list<string>" },
      }),
    );
  });

  it("shows the engine's proposal for new fields, on the dashboard and in the settings, and reviews it as the next version", async () => {
    const withCoupon: Column[] = [...proposed, { name: "coupon", type: { kind: "string" } }];
    const api = fakeApi({
      ...lists,
      "exporters:list": [parquetExporter],
      "exporters:status": [status({ columnsProposal: { basedOn: 2, columns: withCoupon, fields: ["coupon"] } })],
      "exporters:planUpdate": { effects: [{ code: "line-format", message: "New Parquet files take the columns of version 3." }] },
      "exporters:update": parquetExporter,
    });
    render(<App />);
    const card = (await screen.findByText(/New fields in its events:/)).closest(".message")!;
    expect(card.textContent).toBe(
      "New fields in its events: coupon. Columns version 2 lacks them, so those events go to the -invalid file until the columns take them.Review the proposed columns",
    );
    fireEvent.click(screen.getByRole("button", { name: "Review the proposed columns of s3-orders" }));
    expect(await screen.findByText(/Version 2 lacks them, so those events go to the -invalid file/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Review the proposed columns" }));
    expect((screen.getByLabelText("Columns") as HTMLTextAreaElement).value).toBe("id int64, at string, tags list<string>, coupon string");
    await screen.findByText("New Parquet files take the columns of version 3.");
    expect(api.invoke).toHaveBeenCalledWith("exporters:planUpdate", {
      name: "s3-orders",
      changes: { columns: "id int64, at string, tags list<string>, coupon string" },
    });
    // The review is of exactly what the editor holds: saving is offered at once.
    fireEvent.click(screen.getByRole("button", { name: "Save the changes" }));
    await waitFor(() =>
      expect(api.invoke).toHaveBeenCalledWith("exporters:update", {
        name: "s3-orders",
        changes: { columns: "id int64, at string, tags list<string>, coupon string" },
      }),
    );
  });

  it("says nothing of a proposal a later version answered", async () => {
    await open({
      "exporters:status": [status({ columnsProposal: { basedOn: 1, columns: proposed, fields: ["tags"] } })],
    });
    expect(screen.getByRole("heading", { name: "Columns, version 2" })).toBeTruthy();
    expect(screen.queryByText(/New fields in its events/)).toBeNull();
  });
});

describe("a stream with a Schema Registry", () => {
  const registryLists = {
    ...lists,
    "streams:list": [{ ...lists["streams:list"][0]!, schemaRegistry: { url: "http://127.0.0.1:8081", customCa: false } }],
  };

  it("takes each event's registered schema's columns when the topic's events are in the registry's format, or columns of one's own", async () => {
    const api = fakeApi({
      ...registryLists,
      // Columns of one's own are proposed from the decoded events; otherwise the registry's are said.
      "streams:proposeColumns": (input: { fromEvents?: boolean }) => (input.fromEvents ? { columns: proposed } : { from: "registry" }),
      "exporters:create": { ...parquetExporter, columns: undefined, columnsFromRegistry: true, decode: "registry", warnings: [] },
    });
    await useStore.getState().refresh();
    useStore.getState().wizardStep("exporter");
    render(<Wizard />);
    fireEvent.click(screen.getByRole("radio", { name: /^Parquet/ }));
    expect(api.invoke).toHaveBeenCalledWith("streams:proposeColumns", { name: "orders", decode: "registry" });
    const fromRegistry = (await screen.findByRole("radio", { name: /^Each event's registered schema/ })) as HTMLInputElement;
    await waitFor(() => expect(fromRegistry.checked).toBe(true));
    expect(screen.getByText(/each file takes the columns of the schema its events were written with/)).toBeTruthy();
    expect(screen.queryByLabelText("Columns")).toBeNull();

    // Columns of one's own instead: proposed from the decoded events, and editable.
    fireEvent.click(screen.getByRole("radio", { name: /^Columns kept with the exporter/ }));
    expect(api.invoke).toHaveBeenCalledWith("streams:proposeColumns", { name: "orders", decode: "registry", fromEvents: true });
    expect(await screen.findByDisplayValue("id int64, at string, tags list<string>")).toBeTruthy();
    fireEvent.click(screen.getByRole("radio", { name: /^Each event's registered schema/ }));
    fireEvent.submit(screen.getByRole("button", { name: "Create and start the exporter" }).closest("form")!);
    await screen.findByText(/as Parquet with each event's registered schema's columns/);
    expect(api.invoke).toHaveBeenCalledWith("exporters:create", expect.objectContaining({ format: "parquet", columns: "registry", decode: "registry" }));
  });

  it("shows an exporter's registered-schema columns in its settings, and reviews a change to columns of its own", async () => {
    const registryExporter = { ...parquetExporter, columns: undefined, columnsFromRegistry: true, decode: "registry" as const };
    const api = fakeApi({
      ...registryLists,
      "exporters:list": [registryExporter],
      "exporters:planUpdate": { effects: [{ code: "line-format", message: "New Parquet files take the columns of version 1: id int64." }] },
    });
    render(<App />);
    fireEvent.click(await screen.findByRole("button", { name: "Settings and log of s3-orders" }));
    expect((screen.getByRole("radio", { name: /^Each event's registered schema/ }) as HTMLInputElement).checked).toBe(true);
    expect(screen.queryByLabelText("Columns")).toBeNull();
    fireEvent.click(screen.getByRole("radio", { name: /^Columns kept with the exporter/ }));
    // None given yet: nothing to review, and the editor says what to do.
    expect((screen.getByRole("button", { name: "Review the changes" }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/Give the columns, or propose them from the topic's latest events\./)).toBeTruthy();
    fireEvent.change(screen.getByRole("textbox", { name: "Columns" }), { target: { value: "id int64" } });
    fireEvent.submit(screen.getByRole("button", { name: "Review the changes" }).closest("form")!);
    await screen.findByText("New Parquet files take the columns of version 1: id int64.");
    expect(api.invoke).toHaveBeenCalledWith("exporters:planUpdate", { name: "s3-orders", changes: { columns: "id int64" } });
  });
});
