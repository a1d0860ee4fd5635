// The test-only localhost bridge: the renderer, loaded in real Chromium, talks to the real
// handlers through the same contract and the same `dispatch` (schema checks included) as in
// Electron, with HTTP on 127.0.0.1 in place of IPC.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Plugin } from "vite";
import { dispatch, type Handlers } from "../../main/ipc/dispatch.js";

export const bridgePath = "/__streamdrop_bridge/invoke";

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

/** A vite plugin that serves the bridge from the preview server, so the page's CSP ('self') allows it. */
export function bridgePlugin(handlers: Handlers): Plugin {
  const serve = async (request: IncomingMessage, response: ServerResponse, next: () => void) => {
    if (request.url !== bridgePath || request.method !== "POST") return next();
    const { channel, input } = (await readJson(request)) as { channel: unknown; input: unknown };
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify(await dispatch(handlers, channel, input)));
  };
  return {
    name: "streamdrop-test-bridge",
    configurePreviewServer(server) {
      server.middlewares.use((request, response, next) => void serve(request, response, next));
    },
  };
}

/** Runs in the page before its scripts: the stand-in for what preload exposes in Electron. */
export const bridgeInitScript = `
  window.streamdrop = {
    invoke: (channel, input) =>
      fetch(${JSON.stringify(bridgePath)}, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ channel, input }) })
        .then((response) => response.json()),
  };
`;
