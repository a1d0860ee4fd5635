// The only place that touches ipcRenderer: it exposes the typed contract and nothing else. Push
// listeners get the payload only, never the IPC event (which would leak `sender`).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from "electron";
import { pushEvents, type StreamdropApi } from "./contract.js";

const api: StreamdropApi = {
  invoke: (channel, input) => ipcRenderer.invoke(channel, input),
  on(event, listener) {
    if (!pushEvents.includes(event)) throw new Error(`Unknown event ${String(event)}`);
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload as never);
    ipcRenderer.on(event, wrapped);
    return () => ipcRenderer.removeListener(event, wrapped);
  },
};

contextBridge.exposeInMainWorld("streamdrop", api);
