// The only place that touches ipcRenderer: it exposes the typed contract and nothing else.
import { contextBridge, ipcRenderer } from "electron";
import type { StreamdropApi } from "./contract.js";

const api: StreamdropApi = {
  invoke: (channel, input) => ipcRenderer.invoke(channel, input),
};

contextBridge.exposeInMainWorld("streamdrop", api);
