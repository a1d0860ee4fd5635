// Loaded (`--import`) into each child the stand-in's utilityProcess.fork starts: what an Electron
// utility process gives its entry module. It talks to its parent through `process.parentPort`
// only (messages arrive as `{ data }` events); `process.send` is not there, as in Electron.
import { EventEmitter } from "node:events";

const send = process.send?.bind(process);
if (!send) throw new Error("electron stand-in: a utility child needs its IPC channel");

const parentPort = new EventEmitter();
parentPort.postMessage = (message) => {
  // Structured clone semantics (the channel uses serialization: "advanced"); a send to a parent
  // that has gone is dropped, as Electron drops it.
  send(message, undefined, {}, () => undefined);
};
parentPort.start = () => undefined;
parentPort.close = () => undefined;
process.on("message", (data) => parentPort.emit("message", { data, ports: [] }));
Object.defineProperty(process, "parentPort", { value: parentPort, enumerable: false, configurable: false, writable: false });
process.send = undefined;
