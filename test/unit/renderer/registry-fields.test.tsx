// @vitest-environment jsdom
// The Schema Registry's login in the Streams view, with a fake API behind the store: only a stream
// that logs in with OAuth offers the registry the stream's OAuth client (issue #35), with Confluent
// Cloud's registry logical cluster; the input then carries `oauth` and no user or password, a test
// sends the stream's drafted login with it, another login makes the choice fall back, and a saved
// stream says how its registry logs in.
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { StreamInfo } from "../../../preload/contract.js";
import { StreamsView } from "../../../renderer/src/components/StreamsView.js";
import { useStore } from "../../../renderer/src/store/index.js";
import { fakeApi, type FakeApi } from "../../support/fake-api.js";

let api: FakeApi;

const saved: StreamInfo = {
  name: "clicks",
  topic: "clicks",
  bootstrapServers: ["pkc-1.us-east-1.aws.confluent.cloud:9092"],
  ssl: true,
  customCa: false,
  sasl: { mechanism: "oauthbearer", who: "OIDC client streamdrop" },
  schemaRegistry: { url: "https://psrc-1.us-east-1.aws.confluent.cloud", customCa: false, oauth: { logicalCluster: "lsrc-abc123" } },
  exporters: [],
};

beforeEach(() => {
  api = fakeApi(
    {
      "streams:testRegistry": { subjects: 3 },
      "streams:create": (input: { name: string }) => ({ ...saved, name: input.name }),
      "streams:update": (input: { name: string }) => ({ ...saved, name: input.name }),
      "streams:list": [],
    },
    [],
  );
  useStore.setState({ ...useStore.getInitialState(), loaded: true }, true);
});
afterEach(cleanup);

const form = () => within(screen.getByRole("form", { name: "A new stream" }));
const type = (label: string, value: string) => fireEvent.change(form().getByLabelText(label), { target: { value } });
const sent = (channel: string) => api.invoke.mock.calls.filter(([called]) => called === channel).at(-1)?.[1];
const oauthChoice = () => form().queryByRole("radio", { name: "The stream's OAuth client" });
const oauthLogin = {
  mechanism: "oauthbearer",
  tokenEndpoint: "https://idp.example.com/oauth2/token",
  clientId: "streamdrop",
  clientSecret: "client-s3cret",
};

function openForm() {
  render(<StreamsView />);
  fireEvent.click(screen.getByRole("button", { name: "Add a stream" }));
  fireEvent.change(form().getByLabelText("Provider"), { target: { value: "other" } });
  fireEvent.click(form().getByLabelText(/Decode with a Schema Registry/));
  type("Schema Registry URL", " https://psrc-1.us-east-1.aws.confluent.cloud ");
}

describe("the registry's login", () => {
  it("offers the stream's OAuth client only when the stream logs in with OAuth", () => {
    openForm();
    for (const login of ["none", "plain", "scram-sha-512", "aws-msk-iam", "mtls"]) {
      type("Login", login);
      expect(oauthChoice()).toBeNull();
      expect(form().queryByRole("group", { name: "How the registry logs in" })).toBeNull();
      expect(form().getByLabelText("Registry user or API key (optional)")).toBeTruthy();
      expect(form().queryByLabelText("Registry logical cluster ID (Confluent Cloud)")).toBeNull();
    }
    type("Login", "oauthbearer");
    const choices = within(form().getByRole("group", { name: "How the registry logs in" }));
    expect(choices.getAllByRole("radio").map((radio) => radio.closest("label")!.textContent!.trim())).toEqual([
      "No login",
      "User and password (or API key and secret)",
      "The stream's OAuth client",
    ]);
    // Unchosen, it logs in as before: without a user, not at all.
    expect((choices.getByRole("radio", { name: "No login" }) as HTMLInputElement).checked).toBe(true);
    expect(form().queryByLabelText("Registry user or API key")).toBeNull();
    fireEvent.click(choices.getByRole("radio", { name: "User and password (or API key and secret)" }));
    expect(form().getByLabelText("Registry user or API key")).toBeTruthy();
    // No CLI option reaches the window.
    expect(document.body.textContent).not.toMatch(/--[a-z]/);
  });

  it("builds { url, oauth: { logicalCluster } } without a user or password, and tests it with the stream's drafted login", async () => {
    openForm();
    type("Registry user or API key (optional)", "KEY");
    type("Login", "oauthbearer");
    // A user given before: the registry's login is a user and password until another is chosen.
    expect((form().getByRole("radio", { name: "User and password (or API key and secret)" }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(form().getByRole("radio", { name: "The stream's OAuth client" }));
    expect(form().queryByLabelText("Registry user or API key")).toBeNull();
    type("Registry logical cluster ID (Confluent Cloud)", " lsrc-abc123 ");
    // The stream's OAuth client is not all given yet: nothing to test with.
    const test = form().getByRole("button", { name: "Test the registry" }) as HTMLButtonElement;
    expect(test.disabled).toBe(true);
    expect(form().getByText("Give the stream's whole OAuth client above to test the registry with it.")).toBeTruthy();
    type("Token endpoint", oauthLogin.tokenEndpoint);
    type("Client ID", oauthLogin.clientId);
    type("Client secret", oauthLogin.clientSecret);
    expect(test.disabled).toBe(false);
    fireEvent.click(test);
    await waitFor(() => expect(form().getByText("The registry answers: 3 subjects.")).toBeTruthy());
    expect(sent("streams:testRegistry")).toEqual({
      url: "https://psrc-1.us-east-1.aws.confluent.cloud",
      oauth: { logicalCluster: "lsrc-abc123" },
      sasl: oauthLogin,
    });

    type("Topic", "clicks");
    fireEvent.click(form().getByRole("button", { name: "Add the stream" }));
    await waitFor(() => expect(sent("streams:create")).toBeDefined());
    expect(sent("streams:create")).toMatchObject({
      sasl: oauthLogin,
      schemaRegistry: { url: "https://psrc-1.us-east-1.aws.confluent.cloud", oauth: { logicalCluster: "lsrc-abc123" } },
    });
    expect((sent("streams:create") as { schemaRegistry: object }).schemaRegistry).toEqual({
      url: "https://psrc-1.us-east-1.aws.confluent.cloud",
      oauth: { logicalCluster: "lsrc-abc123" },
    });
  });

  it("sends `oauth: {}` without a logical cluster, and falls back when the stream's login is no longer OAuth", async () => {
    openForm();
    type("Login", "oauthbearer");
    fireEvent.click(form().getByRole("radio", { name: "The stream's OAuth client" }));
    type("Token endpoint", oauthLogin.tokenEndpoint);
    type("Client ID", oauthLogin.clientId);
    type("Client secret", oauthLogin.clientSecret);
    fireEvent.click(form().getByRole("button", { name: "Test the registry" }));
    await waitFor(() => expect(sent("streams:testRegistry")).toBeDefined());
    expect(sent("streams:testRegistry")).toEqual({ url: "https://psrc-1.us-east-1.aws.confluent.cloud", oauth: {}, sasl: oauthLogin });

    api.invoke.mockClear();
    type("Login", "plain");
    expect(oauthChoice()).toBeNull();
    expect(form().queryByLabelText("Registry logical cluster ID (Confluent Cloud)")).toBeNull();
    type("SASL user name", "u");
    type("SASL password", "p");
    fireEvent.click(form().getByRole("button", { name: "Test the registry" }));
    await waitFor(() => expect(sent("streams:testRegistry")).toBeDefined());
    // Neither oauth nor the stream's login: the registry logs in as its own fields say.
    expect(sent("streams:testRegistry")).toEqual({ url: "https://psrc-1.us-east-1.aws.confluent.cloud" });
  });
});

describe("a saved stream's registry", () => {
  it("says it logs in with the stream's OAuth client, and stays as it is while its fields are", async () => {
    api = fakeApi({ "streams:update": (input: { name: string }) => ({ ...saved, name: input.name }), "streams:list": [saved] }, []);
    useStore.setState({ streams: [saved] });
    render(<StreamsView />);
    const article = within(screen.getByRole("article", { name: "clicks" }));
    expect(
      article.getByText("https://psrc-1.us-east-1.aws.confluent.cloud, logs in with the stream's OAuth client (logical cluster lsrc-abc123)"),
    ).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Change the connection" }));
    const edit = within(screen.getByRole("form", { name: "The connection of clicks" }));
    expect((edit.getByRole("radio", { name: "The stream's OAuth client" }) as HTMLInputElement).checked).toBe(true);
    expect((edit.getByLabelText("Registry logical cluster ID (Confluent Cloud)") as HTMLInputElement).value).toBe("lsrc-abc123");
    // The stored OAuth client stays untyped: saving tests the registry with it.
    expect((edit.getByRole("button", { name: "Test the registry" }) as HTMLButtonElement).disabled).toBe(true);
    expect(edit.getByText(/Saving tests the registry with the stream's stored OAuth client/)).toBeTruthy();
    fireEvent.click(edit.getByRole("button", { name: "Save the connection" }));
    await waitFor(() => expect(sent("streams:update")).toBeDefined());
    expect(sent("streams:update")).not.toHaveProperty("schemaRegistry");

    // Another logical cluster is a change of the registry, sent whole.
    api.invoke.mockClear();
    fireEvent.click(screen.getByRole("button", { name: "Change the connection" }));
    const again = within(screen.getByRole("form", { name: "The connection of clicks" }));
    fireEvent.change(again.getByLabelText("Registry logical cluster ID (Confluent Cloud)"), { target: { value: "lsrc-other" } });
    fireEvent.click(again.getByRole("button", { name: "Save the connection" }));
    await waitFor(() => expect(sent("streams:update")).toBeDefined());
    expect(sent("streams:update")).toMatchObject({
      schemaRegistry: { url: "https://psrc-1.us-east-1.aws.confluent.cloud", oauth: { logicalCluster: "lsrc-other" } },
    });
    expect(document.body.textContent).not.toMatch(/--[a-z]/);
  });
});
