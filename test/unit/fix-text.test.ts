// Every fix the core can attach to an error is said by both front ends: the CLI with its options,
// the window in its own words, never naming an option of the CLI.
import { describe, expect, it } from "vitest";
import { settings, type Fix } from "../../common/fixes.js";
import { cliMessage, fixText as cliFix } from "../../main/cli/fix-text.js";
import { badSetting, StreamdropError } from "../../main/core/errors.js";
import { dispatch } from "../../main/ipc/dispatch.js";
import type { Handlers } from "../../main/ipc/dispatch.js";
import { fixText as windowFix, windowMessage } from "../../renderer/src/components/fix-text.js";

const everyFix: Fix[] = [
  ...settings.map((setting) => ({ id: "set", setting }) as const),
  { id: "rotate-key", userName: "streamdrop-events" },
  { id: "other-iam-user", userName: "streamdrop-events" },
  { id: "create-bucket" },
  { id: "create-topic" },
  { id: "delete-with-exporters" },
  { id: "replace-credentials", sink: "s3", bucket: "events" },
  { id: "replace-credentials" },
  { id: "admin-credentials" },
  { id: "list", what: "sinks" },
  { id: "list", what: "streams" },
  { id: "list", what: "batch-exporters" },
  { id: "default-credentials" },
  { id: "delete-stream", name: "clicks" },
  { id: "delete-exporters", names: ["a", "b"] },
];

describe("fix hints", () => {
  it.each(everyFix.map((fix) => [JSON.stringify(fix), fix] as const))("%s reads as a sentence in both front ends", (_, fix) => {
    expect(cliFix(fix)).toMatch(/^[A-Z`].*[.)]$/);
    const inWindow = windowFix(fix);
    expect(inWindow).toMatch(/^[A-Z].*\.$/);
    expect(inWindow).not.toMatch(/(^|\s)--[a-z]/);
  });

  it("the CLI says a bad setting with its option; the window with its field", () => {
    const error = badSetting("interval", "The interval must be a whole number of seconds from 1 to 3600 (got 0).");
    expect(cliMessage(error)).toBe("The interval must be a whole number of seconds from 1 to 3600 (got 0). Set it with --interval <seconds>.");
    expect(windowMessage(error)).toBe("The interval must be a whole number of seconds from 1 to 3600 (got 0). Change the “Interval” field.");
  });

  it("fixes travel across IPC with the code and the message", async () => {
    const handlers = {
      "app:info": async () => {
        throw new StreamdropError("conflict", "IAM user u exists.", { fixes: [{ id: "rotate-key", userName: "u" }] });
      },
    } as unknown as Handlers;
    expect(await dispatch(handlers, "app:info", {})).toEqual({
      ok: false,
      error: { code: "conflict", message: "IAM user u exists.", fixes: [{ id: "rotate-key", userName: "u" }] },
    });
  });
});
