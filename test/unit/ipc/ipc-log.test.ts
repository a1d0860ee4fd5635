// What the IPC wrapper writes to the app log: every refusal (an untrusted sender, input that breaks
// the contract, a call that does not exist) and every unexpected failure, with the channel and the
// sender; never an input value, so a secret the call carried is nowhere in the log.
import type { IpcMainInvokeEvent } from "electron";
import pino from "pino";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { channels, inputSchemas, type Channel } from "../../../preload/contract.js";
import { StreamdropError } from "../../../main/core/errors.js";
import { dispatch, secretInputFields, withoutSecrets, type Handlers } from "../../../main/ipc/dispatch.js";
import { registerHandlers, trustedSender } from "../../../main/ipc/register.js";

const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY";
const credentialsJson = JSON.stringify({ AccessKey: { UserName: "streamdrop", AccessKeyId: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: secret } });
const appPage = "file:///app/out/renderer/index.html";

/** A real pino logger writing to memory, without log.ts's redaction: what dispatch itself passes it. */
function memoryLog() {
  const lines: string[] = [];
  const log = pino({ level: "info" }, { write: (line: string) => void lines.push(line) });
  return { log, lines, entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>), text: () => lines.join("") };
}

type Listener = (event: IpcMainInvokeEvent, input: unknown) => Promise<unknown>;

function registered(handlers: Handlers) {
  const listeners = new Map<string, Listener>();
  const memory = memoryLog();
  registerHandlers(
    { handle: (channel: string, listener: Listener) => void listeners.set(channel, listener) } as never,
    handlers,
    trustedSender((id) => id === 1, appPage),
    memory.log,
  );
  const call = (channel: Channel, input: unknown, { webContentsId = 1, url = appPage, isMainFrame = true } = {}) =>
    listeners.get(channel)!({ sender: { id: webContentsId }, senderFrame: { url, parent: isMainFrame ? null : {} } } as unknown as IpcMainInvokeEvent, input);
  return { call, ...memory };
}

const answering = () => Object.fromEntries(channels.map((channel) => [channel, vi.fn(async () => ({}))])) as unknown as Handlers;
const throwing = (channel: Channel, error: unknown): Handlers => ({ ...answering(), [channel]: async () => Promise.reject(error) });

describe("IPC refusals are logged", () => {
  it("an untrusted sender: the channel, the page without its query, the window; not the input", async () => {
    const { call, entries, text } = registered(answering());
    const outcome = await call(
      "sinks:create",
      { name: "s3", bucket: "b-u-c", credentialsJson, credentialsLabel: "s3.json" },
      { webContentsId: 7, url: "https://evil.example/steal?token=abc#frag" },
    );
    expect(outcome).toMatchObject({ ok: false, error: { code: "untrusted-sender" } });
    expect(entries()).toEqual([
      expect.objectContaining({
        level: 40,
        msg: "IPC call refused: not from Streamdrop's own window",
        channel: "sinks:create",
        sender: { url: "https://evil.example/steal", webContents: 7, mainFrame: true },
      }),
    ]);
    expect(text()).not.toContain(secret);
    expect(text()).not.toContain("token=abc");
  });

  it("input that breaks the contract: the channel, the sender, each issue's path and code; no value", async () => {
    const { call, entries, text } = registered(answering());
    const outcome = await call("files:preview", { exporter: "s3-demo", key: "events/a.jsonl", admin: { connectionString: secret.repeat(200) }, extra: secret });
    expect(outcome).toMatchObject({ ok: false, error: { code: "invalid-input" } });
    const [entry, ...rest] = entries();
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      level: 40,
      msg: "IPC call refused: its input does not match the contract",
      channel: "files:preview",
      sender: { url: appPage, webContents: 1, mainFrame: true },
    });
    expect(entry!.issues).toEqual(expect.arrayContaining([{ path: "input", code: "unrecognized_keys" }]));
    expect(entry!.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: expect.stringMatching(/^admin/), code: expect.any(String) })]));
    expect(text()).not.toContain(secret.slice(0, 12));
  });

  it("a SASL password given where a mechanism goes is not quoted either", async () => {
    const { call, entries, text } = registered(answering());
    await call("streams:create", { name: "demo", bootstrapServers: "broker:9094", sasl: { mechanism: secret, username: "me", password: secret } });
    expect(entries()[0]).toMatchObject({ channel: "streams:create", issues: [{ path: "sasl.mechanism", code: "invalid_union" }] });
    expect(text()).not.toContain(secret.slice(0, 12));
  });

  it("a call that does not exist", async () => {
    const { log, entries } = memoryLog();
    await dispatch(answering(), "fs:read", { path: secret }, { log, sender: { via: "the ui-web bridge" } });
    expect(entries()).toEqual([
      expect.objectContaining({ level: 40, channel: "fs:read", sender: { via: "the ui-web bridge" }, msg: "IPC call refused: there is no such call" }),
    ]);
    expect(JSON.stringify(entries())).not.toContain(secret);
  });

  it("a call that passes logs nothing, and neither does a user-facing error", async () => {
    const { call, lines } = registered(throwing("sinks:validate", new StreamdropError("not-found", "There is no sink named s3.")));
    await call("app:info", {});
    await expect(call("sinks:validate", { name: "s3" })).resolves.toMatchObject({ ok: false, error: { code: "not-found" } });
    expect(lines).toEqual([]);
  });
});

describe("IPC failures are logged", () => {
  it("with the channel, the sender and the error's name, message and frames", async () => {
    const { call, entries } = registered(throwing("exporters:list", new TypeError("Cannot read properties of undefined (reading 'name')")));
    await expect(call("exporters:list", {})).resolves.toEqual({
      ok: false,
      error: { code: "failed", message: "exporters:list failed unexpectedly; see the app log for details." },
    });
    const [entry] = entries();
    expect(entry).toMatchObject({
      level: 50,
      msg: "IPC call failed unexpectedly",
      channel: "exporters:list",
      sender: { url: appPage, webContents: 1, mainFrame: true },
    });
    expect(entry!.error).toMatchObject({
      name: "TypeError",
      message: "Cannot read properties of undefined (reading 'name')",
      stack: expect.stringMatching(/^\s+at /),
    });
  });

  it("without a secret the call carried, whole or quoted in part", async () => {
    // What a library does with text it cannot read: quote it, in whole or in part.
    const errors = [
      new Error(`bad credentials ${credentialsJson}`),
      new SyntaxError(`Unexpected token 'w', "..."Secret": "${secret.slice(0, 14)}"... is not valid JSON`),
      `thrown text: ${secret}`,
    ];
    for (const error of errors) {
      const { call, entries, text } = registered(throwing("sinks:create", error));
      await call("sinks:create", { name: "s3", bucket: "b-u-c", credentialsJson, credentialsLabel: "s3.json" });
      expect(entries()).toHaveLength(1);
      expect(entries()[0]).toMatchObject({ channel: "sinks:create", error: { message: expect.stringContaining("[redacted]") } });
      for (let at = 0; at + 8 <= secret.length; at += 1) expect(text()).not.toContain(secret.slice(at, at + 8));
    }
  });

  it("without the admin key of a setup, nor a SASL password", async () => {
    const adminSecret = "adminSecretKey+0123456789/abcdefghijklmn";
    const setup = registered(throwing("aws:setupS3", new Error(`signature for ${adminSecret} did not match`)));
    await setup.call("aws:setupS3", {
      bucket: "b-u-c",
      createBucket: true,
      admin: { from: "key", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: adminSecret },
    });
    expect(setup.entries()[0]).toMatchObject({ error: { message: "signature for [redacted] did not match" } });
    const stream = registered(throwing("streams:topics", new Error(`SASL failed for me:${secret}`)));
    await stream.call("streams:topics", { bootstrapServers: "broker:9094", sasl: { mechanism: "plain", username: "me", password: secret } });
    expect(stream.entries()[0]).toMatchObject({ error: { message: "SASL failed for me:[redacted]" } });
  });
});

describe("withoutSecrets", () => {
  it("takes out each secret and every piece of one of 8 characters or more, and keeps the rest", () => {
    expect(withoutSecrets(`key ${secret} and ${secret.slice(10, 19)} end`, [secret])).toBe("key [redacted] and [redacted] end");
    expect(withoutSecrets("a short pw: hunter2, hunter", ["hunter2"])).toBe("a short pw: [redacted], hunter");
    expect(withoutSecrets("nothing to hide", [])).toBe("nothing to hide");
  });

  it("cuts long text, leaving no piece of a secret at the cut", () => {
    const text = `${"x".repeat(1995)}${secret}`;
    const out = withoutSecrets(text, [secret]);
    expect(out.length).toBeLessThanOrEqual(2001);
    expect(out.endsWith("…")).toBe(true);
    expect(out).not.toContain(secret.slice(0, 5));
  });
});

describe("secretInputFields", () => {
  it("names every text field of the contract whose name suggests a secret", () => {
    const names = new Set<string>();
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === "object") {
        for (const [key, value] of Object.entries(node)) {
          if (key === "properties" && value && typeof value === "object") {
            for (const [name, property] of Object.entries(value)) if ((property as { type?: string }).type === "string") names.add(name);
          }
          walk(value);
        }
      }
    };
    for (const schema of Object.values(inputSchemas)) walk(z.toJSONSchema(schema, { io: "input" }));
    const telling = [...names].filter((name) => /secret|password|credential|connection|token|private|sas$|key$/i.test(name));
    // Names and labels, not secrets: an access key's id is printed by AWS's own console; `key` is an object's name.
    // An OAuth token endpoint is an address, not a token.
    const notSecret = new Set(["credentialsLabel", "accessKeyId", "key", "tokenEndpoint"]);
    // Secrets whose names do not say so: a PKCS#12 file holds the private key.
    const quietSecrets = new Set(["p12Base64"]);
    expect(telling.filter((name) => !notSecret.has(name)).sort()).toEqual([...secretInputFields].filter((name) => !quietSecrets.has(name)).sort());
    for (const name of quietSecrets) expect(names.has(name) && secretInputFields.has(name), name).toBe(true);
  });
});
