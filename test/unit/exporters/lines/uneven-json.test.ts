// JSON that readers do not all read the same (line rules 2): half a surrogate pair, numbers past
// a double's range and names given twice are not events; their `-invalid` lines say why, and DuckDB reads every file the
// exporter writes. A file planned under rules 1 is re-created as rules 1 wrote it.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { Batch } from "../../../../main/core/exporters/files/batch.js";
import { lineFormat, lineOf, lineRules } from "../../../../main/core/exporters/lines/line-format.js";
import type { KafkaRecord } from "../../../../main/core/exporters/lines/records.js";

const record = (value: string | null, offset: number, key: string | null = `k-${offset}`): KafkaRecord => ({
  partition: 0,
  offset: String(offset),
  timestamp: "1700000000000",
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
  headers: [],
});
const valueOnly = lineFormat(["value"], "invalid");
const reasonOf = (value: string | null, rules = lineRules) => {
  const line = lineOf(record(value, 0), valueOnly, "t", rules);
  return line.kind === "invalid" ? (JSON.parse(line.line.toString()) as { reason?: string }).reason : line.kind;
};

describe("line rules 2 and later", () => {
  it("are in force for new files", () => expect(lineRules).toBeGreaterThanOrEqual(2));

  it.each([
    ['{"id":1,"s":"\\ud800"}', 'a string in the value of "s" holds half of a surrogate pair'],
    ['{"id":1,"s":["x","\\udfff"]}', 'a string in the value of "s" holds half of a surrogate pair'],
    ['{"\\ud800":1}', "a name holds half of a surrogate pair"],
    ['{"id":1,"n":1e400}', 'a number in the value of "n" is past the range of a double'],
    ['{"id":1,"n":-1e309}', 'a number in the value of "n" is past the range of a double'],
    ['{"id":1,"n":1' + "0".repeat(400) + "}", 'a number in the value of "n" is past the range of a double'],
    ['{"id":1,"a":1,"a":2}', 'the name "a" is given twice in one object'],
    ['{"id":1,"o":{"b":1,"\\u0062":2}}', 'the name "b" is given twice in one object'],
    ["plain text", "not JSON"],
    ["[1,2]", "JSON, but not an object"],
    [null, "a tombstone (the record has no value)"],
  ])("sends %j to -invalid, saying why", (value, reason) => {
    expect(reasonOf(value)).toContain(reason);
  });

  it.each(['{"e":"\\ud83d\\ude00"}', '{"n":1e-400}', '{"n":1.7976931348623157e308}', '{"n":123456789012345678901234567890}'])(
    "keeps %j as an event: every reader reads it alike",
    (value) => {
      expect(reasonOf(value)).toBe("event");
    },
  );

  it("write an envelope's uneven JSON value as its text", () => {
    const line = lineOf(record('{"s":"\\ud800"}', 0), lineFormat(["key", "value"], "invalid"), "t");
    expect(line.kind === "event" && line.line.toString()).toBe('{"key":"k-0","value":"{\\"s\\":\\"\\\\ud800\\"}"}');
  });

  it("leave a file planned under rules 1 as rules 1 wrote it: no reason, the same events", () => {
    const old = lineOf(record('{"s":"\\ud800"}', 0), valueOnly, "t", 1);
    expect(old.kind === "event" && old.line.toString()).toBe('{"s":"\\ud800"}');
    const invalid = lineOf(record("text", 1), valueOnly, "t", 1);
    expect(invalid.kind === "invalid" && JSON.parse(invalid.line.toString())).not.toHaveProperty("reason");
    // Through a batch too: the gather kernel and the general path agree under each version.
    for (const rules of [1, 2]) {
      const batch = new Batch(valueOnly, "t", undefined, rules);
      batch.add(record('{"s":"\\ud800"}', 0));
      expect(batch.content().eventCount, `rules ${rules}`).toBe(rules === 1 ? 1 : 0);
    }
  });

  it("give files DuckDB reads whole, events and -invalid lines alike", async () => {
    const batch = new Batch(valueOnly, "t");
    const values = [
      '{"id":1,"s":"\\ud800"}',
      '{"id":2,"n":1e400}',
      '{"id":3,"e":"\\ud83d\\ude00"}',
      "not json",
      '{"id":5,"ok":true}',
      null,
      '{"id":7,"a":1,"a":2}',
      '{"id":8,"a":{"x":1},"b":{"x":2}}',
    ];
    values.forEach((value, offset) => batch.add(record(value, offset)));
    const content = batch.content();
    const dir = mkdtempSync(join(tmpdir(), "uneven-"));
    writeFileSync(join(dir, "events.jsonl"), content.events!);
    writeFileSync(join(dir, "events-invalid.jsonl"), content.invalid!);
    const connection = await (await DuckDBInstance.create(":memory:")).connect();
    const events = (await connection.runAndReadAll(`SELECT id FROM read_json_auto('${dir}/events.jsonl') ORDER BY id`)).getRowsJson();
    expect(events).toEqual([["3"], ["5"], ["8"]]);
    const invalid = (
      await connection.runAndReadAll(`SELECT "offset", reason FROM read_json_auto('${dir}/events-invalid.jsonl') ORDER BY "offset"`)
    ).getRowsJson();
    expect(invalid.map(([offset]) => Number(offset))).toEqual([0, 1, 3, 5, 6]);
    expect(invalid.every(([, reason]) => typeof reason === "string" && reason.length > 0)).toBe(true);
  });
});

describe("the check of uneven JSON", () => {
  it("decides deep JSON the same whoever asks: no recursion for the stack to run out of", () => {
    const deep = `{"a":${"[".repeat(5000)}1${"]".repeat(5000)}}`;
    const shallow = reasonOf(deep);
    const nested = (depth: number): unknown => (depth === 0 ? reasonOf(deep) : nested(depth - 1));
    expect(shallow).toBe("event");
    expect(nested(3000)).toBe(shallow);
  });
});
