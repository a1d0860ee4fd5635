import { describe, expect, it } from "vitest";
import { checkPathTemplate, renderPathTemplate, type TemplateCheck } from "../../../common/path-template.js";
import { decodeMetadata, encodeMetadata, sameIntent } from "../../../main/core/exporters/commit/commit-metadata.js";
import { batchFileKey } from "../../../main/core/exporters/file-names.js";
import { fileShapeOf } from "../../../main/core/exporters/file-shape.js";

const checked = (template: string) => {
  const result: TemplateCheck = checkPathTemplate(template);
  if (!result.ok) throw new Error(result.problem);
  return result;
};
const problemOf = (template: string) => {
  const result = checkPathTemplate(template);
  return result.ok ? undefined : result.problem;
};
// 2026-12-02T04:05:06Z
const time = Date.UTC(2026, 11, 2, 4, 5, 6) / 1000;

describe("path templates", () => {
  it("render the file's UTC cut time and the topic into folders", () => {
    expect(renderPathTemplate(checked("dt={date}/hour={hour}").segments, time, "clicks")).toBe("dt=2026-12-02/hour=04");
    expect(renderPathTemplate(checked("{yyyy}/{MM}/{dd}/{HH}").segments, time, "clicks")).toBe("2026/12/02/04");
    expect(renderPathTemplate(checked("{topic}/{date}-{HH}{mm}").segments, time, "clicks.v2")).toBe("clicks.v2/2026-12-02-0405");
  });

  it("put the folders between the prefix and the file name, and leave names without a template as they were", () => {
    const name = { prefix: "events", time, topic: "clicks", partitions: [0, 1], counter: 0 };
    expect(batchFileKey({ ...name, template: "dt={date}/hour={hour}" }, "events", "gzip")).toBe(
      "events/dt=2026-12-02/hour=04/2026-12-02T04:05:06-clicks---0-1.jsonl.gz",
    );
    expect(batchFileKey({ ...name, prefix: undefined, template: "{topic}" })).toBe("clicks/2026-12-02T04:05:06-clicks---0-1.jsonl");
    expect(batchFileKey(name)).toBe("events/2026-12-02T04:05:06-clicks---0-1.jsonl");
  });

  it("give partition columns: hive keys typed by their token, lone tokens by their own name", () => {
    expect(checked("dt={date}/hour={hour}").columns).toEqual([
      { name: "dt", type: "date", segment: 0, token: "date" },
      { name: "hour", type: "integer", segment: 1, token: "hour" },
    ]);
    expect(checked("{yyyy}/{MM}/{dd}").columns.map((column) => [column.name, column.type])).toEqual([
      ["year", "integer"],
      ["month", "integer"],
      ["day", "integer"],
    ]);
    expect(checked("day={yyyy}{MM}{dd}/source=web").columns).toEqual([
      { name: "day", type: "string", segment: 0 },
      { name: "source", type: "string", segment: 1 },
    ]);
  });

  it.each([
    ["dt={day}", "Unknown token {day}"],
    ["dt={date", "a { without its }"],
    ["dt=date}", "a } without its {"],
    ["../{date}", "a .. folder"],
    ["./{date}", "a . folder"],
    ["{date}//{hour}", "an empty folder"],
    ["/{date}", "starts or ends with /"],
    ["{date}/", "starts or ends with /"],
    ["dt={date}/h={hour}/again={hour}", "{hour} is in the path template twice"],
    ["{hour}/{HH}", "the column hour"],
    ["hour={hour}/{HH}", "the column hour"],
    ["events/raw", "has no token"],
    ["dt={date}/a b", "a character other than"],
    ["dt={date}/*", "a character other than"],
    ["dt={date}/é", "a character other than"],
    [`dt={date}/${"x".repeat(200)}`, "longer than 200 bytes"],
    ["_tmp/{date}", "a hidden folder"],
    ["dt={date}/.h={hour}", "a hidden folder"],
    ["env=/dt={date}", "no value after ="],
    ["hm={HH}{mm}", "several time tokens but no year"],
    ["{MM}-{dd}", "several time tokens but no year"],
  ])("refuse %j, saying why", (template, problem) => {
    expect(problemOf(template)).toContain(problem);
  });

  it("refuse two folders read as the same column", () => {
    expect(problemOf("hour={hour}/hour={mm}")).toContain("the column hour");
  });

  it("travel in the intent, so a pending file is re-created in the folders it was planned for", () => {
    const now = fileShapeOf({ compression: "none", fields: ["value"], tombstones: "invalid" });
    const intent = { time, counter: 0, held: [0], ranges: [{ partition: 0, first: 1, last: 2 }], shape: { ...now, template: "dt={date}" } };
    const decoded = decodeMetadata(encodeMetadata({ intent }), now).intent!;
    expect(decoded).toEqual(intent);
    expect(sameIntent(decoded, { ...intent, shape: { ...now, template: "{yyyy}" } })).toBe(false);
    expect(decodeMetadata(encodeMetadata({ intent: { ...intent, shape: now } }), now).intent?.shape).not.toHaveProperty("template");
  });
});
