// A sink's endpoint is an address: a query or fragment (where a pasted SAS would put its signature)
// is refused without being echoed, so a token never reaches the config or an error message.
import { describe, expect, it } from "vitest";
import { checkEndpoint } from "../../../main/core/sinks/endpoint.js";

describe("a sink's endpoint", () => {
  it("keeps a plain address, without a trailing slash", () => {
    expect(checkEndpoint("https://acct1.blob.core.windows.net/")).toBe("https://acct1.blob.core.windows.net");
    expect(checkEndpoint("http://127.0.0.1:10000/devstoreaccount1")).toBe("http://127.0.0.1:10000/devstoreaccount1");
  });

  it.each([
    "https://acct1.blob.core.windows.net/?sv=2024-08-04&sig=c2VjcmV0LXNpZ25hdHVyZQ%3D%3D",
    "https://s3.example.com/#sig=c2VjcmV0",
    "not a url ?sig=c2VjcmV0",
  ])("refuses %s without echoing it", (raw) => {
    expect(() => checkEndpoint(raw)).toThrow(/Invalid endpoint/);
    try {
      checkEndpoint(raw);
    } catch (error) {
      expect((error as Error).message).not.toContain("c2VjcmV0");
    }
  });
});
