// The preview's pretty view: JSON lines indented, and an older -invalid line's base64 key and value
// shown as text beside them when they are UTF-8 (binary stays base64 only).
import { expect, it } from "vitest";
import { prettyLine } from "../../../renderer/src/components/line-view.js";

it("indents an event line", () => {
  expect(prettyLine('{"id":1,"tags":["a"]}', "events")).toBe('{\n  "id": 1,\n  "tags": [\n    "a"\n  ]\n}');
});

it("shows an invalid record's text value and key decoded, and leaves binary alone", () => {
  const line = JSON.stringify({
    partition: 0,
    offset: 7,
    timestamp: 1,
    key: Buffer.from("user-1").toString("base64"),
    value: Buffer.from("not json {").toString("base64"),
  });
  expect(JSON.parse(prettyLine(line, "invalid"))).toMatchObject({ keyAsText: "user-1", valueAsText: "not json {" });
  const binary = JSON.stringify({ partition: 0, offset: 8, timestamp: 1, key: null, value: Buffer.from([0xff, 0xfe, 0x00]).toString("base64") });
  expect(JSON.parse(prettyLine(binary, "invalid"))).not.toHaveProperty("valueAsText");
});

it("leaves a line that is not JSON as it is", () => {
  expect(prettyLine("{torn", "events")).toBe("{torn");
});

it("adds nothing to an invalid line that names its encodings (line rules 4): its text is text already", () => {
  const line = JSON.stringify({ partition: 0, offset: 9, timestamp: 1, key: "dXNlci0x", keyEncoding: "utf8", value: "/w==", valueEncoding: "base64" });
  const shown = JSON.parse(prettyLine(line, "invalid"));
  expect(shown).toMatchObject({ key: "dXNlci0x", value: "/w==" });
  expect(shown).not.toHaveProperty("keyAsText");
  expect(shown).not.toHaveProperty("valueAsText");
});
