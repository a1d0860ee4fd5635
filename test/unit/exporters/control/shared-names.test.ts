// Two exporters whose files could take the same names are refused: names say nothing of the
// exporter, so one would replace (S3) or shut out (create-only stores) the other's files.
import { describe, expect, it } from "vitest";
import { StreamdropError } from "../../../../main/core/errors.js";
import { checkNamesFree, mayShareNames, nameSpaceOf } from "../../../../main/core/exporters/control/shared-names.js";

const sink = { type: "S3" as const, bucket: "exports", endpoint: undefined };
const space = (prefix?: string, template?: string, overrides: { topic?: string; bucket?: string; type?: "S3" | "GCLOUD"; endpoint?: string } = {}) =>
  nameSpaceOf(
    { pathPrefix: prefix, pathTemplate: template },
    { topic: overrides.topic ?? "clicks" },
    { ...sink, ...(overrides.bucket ? { bucket: overrides.bucket } : {}), ...(overrides.type ? { type: overrides.type } : {}), endpoint: overrides.endpoint },
  );

describe("exporters that may share file names", () => {
  it.each([
    ["the same prefix", space("events"), space("events"), true],
    ["both at the root", space(), space(), true],
    ["the same prefix, other folders", space("events", "dt={date}"), space("events"), true],
    ["a prefix inside one with folders", space("events", "{yyyy}"), space("events/2026"), true],
    ["a prefix inside the root's folders", space(undefined, "{topic}"), space("clicks"), true],
    ["a prefix its folders render as", space("events", "dt={date}/hour={hour}"), space("events/dt=2026-12-05"), true],
    ["a prefix its folders never render as", space("events", "dt={date}/hour={hour}"), space("events/orders"), false],
    ["a prefix deeper than its folders", space("events", "dt={date}"), space("events/dt=2026-12-05/x"), false],
    ["a prefix inside one without folders", space("events"), space("events/v2"), false],
    ["prefixes side by side", space("events/a", "dt={date}"), space("events/b", "dt={date}"), false],
    ["a prefix that only starts alike", space("events", "{yyyy}"), space("events2"), false],
    ["another topic", space("events"), space("events", undefined, { topic: "orders" }), false],
    ["another bucket", space("events"), space("events", undefined, { bucket: "other" }), false],
    ["another store", space("events"), space("events", undefined, { type: "GCLOUD" }), false],
    ["another endpoint", space("events"), space("events", undefined, { endpoint: "http://127.0.0.1:9000" }), false],
  ])("%s: %s", (_, a, b, shared) => {
    expect(mayShareNames(a, b)).toBe(shared);
    expect(mayShareNames(b, a)).toBe(shared);
  });

  it("refuses the second, naming the first and the setting to change", () => {
    let error: unknown;
    try {
      checkNamesFree(space("events"), [{ name: "s3-clicks", space: space("events") }]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StreamdropError);
    expect((error as StreamdropError).message).toContain("Batch exporter s3-clicks already writes files of topic clicks under events/");
    expect((error as StreamdropError).fixes).toEqual([{ id: "set", setting: "path-prefix" }]);
    expect(() => checkNamesFree(space("events/v2"), [{ name: "s3-clicks", space: space("events") }])).not.toThrow();
  });
});
