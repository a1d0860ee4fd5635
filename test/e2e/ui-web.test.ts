// `npm run ui:web`'s server as users start it: prints UI_URL, serves the built renderer with the
// bridge client, answers the contract over the WebSocket with the right token only, and uses
// STREAMDROP_HOME like the CLI.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import WebSocket from "ws";
import { repoRoot } from "../../stack/paths.js";

let server: ChildProcess;
let url: URL;
const home = mkdtempSync(join(tmpdir(), "streamdrop-ui-web-"));

beforeAll(async () => {
  server = spawn(process.execPath, ["--import", "tsx", "scripts/ui-web/main.ts"], {
    cwd: repoRoot,
    env: { ...process.env, STREAMDROP_HOME: home },
    stdio: ["ignore", "pipe", "inherit"],
  });
  url = await new Promise<URL>((resolve, reject) => {
    let output = "";
    server.stdout!.on("data", (chunk: Buffer) => {
      output += chunk;
      const match = /^UI_URL=(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48})$/m.exec(output);
      if (match) resolve(new URL(match[1]!));
    });
    server.once("exit", (code) => reject(new Error(`ui:web exited with ${code}`)));
  });
}, 60_000);

afterAll(async () => {
  const exited = new Promise((resolve) => server.once("exit", resolve));
  server.kill("SIGINT");
  await exited;
});

function connect(token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://${url.host}/bridge?token=${token}`, { origin: url.origin });
    socket.once("open", () => resolve(socket));
    socket.once("unexpected-response", (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    socket.once("error", reject);
  });
}

it("serves the renderer with the bridge client loaded before the app", async () => {
  const html = await (await fetch(url)).text();
  expect(html).toContain('<script src="/bridge-client.js"></script>');
  expect(html).toContain(
    `<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'" />`,
  );
  expect((await fetch(new URL("/bridge-client.js", url))).status).toBe(200);
  expect((await fetch(new URL("/../../etc/passwd", url))).status).toBe(404);
});

it("answers a malformed percent-escape with 400 and keeps serving", async () => {
  const bad = await fetch(`${url.origin}/%E0%A4%A`);
  expect(bad.status).toBe(400);
  expect(await bad.text()).toContain("malformed percent-escape");
  expect((await fetch(url)).status).toBe(200);
});

it("answers the contract with the right token, on the same data folder as the CLI", async () => {
  const socket = await connect(url.searchParams.get("token")!);
  const reply = new Promise<{ id: number; outcome: { ok: boolean; value: { dataDir: string } } }>((resolve) =>
    socket.once("message", (data) => resolve(JSON.parse(String(data)))),
  );
  socket.send(JSON.stringify({ id: 7, channel: "app:info", input: {} }));
  expect(await reply).toMatchObject({ id: 7, outcome: { ok: true, value: { dataDir: home } } });
  const invalid = new Promise<{ outcome: { error: { code: string } } }>((resolve) => socket.once("message", (data) => resolve(JSON.parse(String(data)))));
  socket.send(JSON.stringify({ id: 8, channel: "sinks:delete", input: { name: 42 } }));
  expect((await invalid).outcome.error.code).toBe("invalid-input");
  socket.close();
});

it("refuses a wrong token and a foreign origin", async () => {
  await expect(connect("0".repeat(48))).rejects.toThrow("HTTP 403");
  await expect(
    new Promise((resolve, reject) => {
      const socket = new WebSocket(`ws://${url.host}/bridge?token=${url.searchParams.get("token")}`, { origin: "http://evil.example" });
      socket.once("open", resolve);
      socket.once("unexpected-response", (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    }),
  ).rejects.toThrow("HTTP 403");
});
