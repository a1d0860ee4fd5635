// The test-only web bridge: serves the built renderer on 127.0.0.1 and implements the IPC contract
// over a WebSocket to the real core: the same handlers and the same `dispatch` (schema checks
// included) as the Electron main process. Only a client holding the random token, from the
// bridge's own origin, can connect. It is never part of the packaged app.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { WebSocketServer, type WebSocket } from "ws";
import { createCore, type Core } from "../../main/core/index.js";
import type { ExportEngine } from "../../main/core/exporters/control/engine.js";
import { productName, productVersion } from "../../main/core/product.js";
import { dispatch } from "../../main/ipc/dispatch.js";
import { createHandlers } from "../../main/ipc/handlers.js";

export interface WebBridge {
  url: string;
  core: Core;
  engine: ExportEngine;
  /** Links the app asked to open (a browser would open them). */
  openedLinks: string[];
  /** The fake shell's start-at-login setting (the Electron shell asks the OS instead). */
  openAtLogin(): boolean;
  close(): Promise<void>;
}

export interface WebBridgeOptions {
  /** The built renderer (index.html and assets). */
  staticDir: string;
  port?: number;
  core?: Core;
}

const clientScript = readFileSync(fileURLToPath(new URL("./bridge-client.js", import.meta.url)), "utf8");
const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

export async function startWebBridge(options: WebBridgeOptions): Promise<WebBridge> {
  const core = options.core ?? createCore({ component: "ui-web" });
  const engine = core.engine();
  await engine.start();
  const openedLinks: string[] = [];
  let openAtLogin = false;
  const handlers = createHandlers({
    appInfo: { name: productName, version: productVersion, dataDir: core.dataDir },
    core,
    engine,
    settings: { openAtLogin: () => openAtLogin, setOpenAtLogin: (open) => void (openAtLogin = open) },
    openExternal: async (url) => void openedLinks.push(url),
  });
  const token = randomBytes(24).toString("hex");

  const server = createServer((request, response) => serveStatic(options.staticDir, request, response));
  const sockets = new WebSocketServer({ noServer: true });
  server.on("upgrade", (request, socket, head) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const given = Buffer.from(url.searchParams.get("token") ?? "");
    const origin = request.headers.origin ?? "";
    const ownOrigin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    if (url.pathname !== "/bridge" || given.length !== token.length || !timingSafeEqual(given, Buffer.from(token)) || origin !== ownOrigin) {
      socket.write("HTTP/1.1 403 Forbidden\r\n\r\n");
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(request, socket, head, (client) => sockets.emit("connection", client));
  });
  sockets.on("connection", (client: WebSocket) => {
    client.on("message", (data) => {
      void (async () => {
        let request: { id: number; channel: unknown; input: unknown };
        try {
          request = JSON.parse(String(data)) as typeof request;
        } catch {
          return;
        }
        client.send(
          JSON.stringify({
            id: request.id,
            outcome: await dispatch(handlers, request.channel, request.input, { log: core.log, sender: { via: "the ui-web bridge" } }),
          }),
        );
      })();
    });
  });
  const broadcast = (event: string, payload: unknown) => sockets.clients.forEach((client) => client.send(JSON.stringify({ event, payload })));
  engine.on("status", (status) => broadcast("exporter:status", status));
  engine.on("file", (entry) => broadcast("exporter:file", entry));

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    core,
    engine,
    openedLinks,
    openAtLogin: () => openAtLogin,
    async close() {
      await engine.stop();
      sockets.clients.forEach((client) => client.terminate());
      sockets.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function serveStatic(root: string, request: IncomingMessage, response: ServerResponse): void {
  const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
  if (path === "/bridge-client.js") return send(response, 200, types[".js"]!, clientScript);
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return send(response, 400, "text/plain", "Bad request: the path has a malformed percent-escape.");
  }
  const relative =
    path === "/"
      ? "index.html"
      : normalize(decoded)
          .replace(/^(\.\.[/\\])+/, "")
          .replace(/^[/\\]+/, "");
  const file = join(root, relative);
  if (!file.startsWith(root) || !existsSync(file)) return send(response, 404, "text/plain", "Not found");
  let body: Buffer | string = readFileSync(file);
  if (relative === "index.html") {
    // The bridge client must run before the app's module script (which is deferred anyway).
    body = body.toString("utf8").replace("<head>", '<head>\n    <script src="/bridge-client.js"></script>');
  }
  send(response, 200, types[extname(file)] ?? "application/octet-stream", body);
}

function send(response: ServerResponse, status: number, type: string, body: Buffer | string): void {
  response.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  response.end(body);
}
