// How a worker, or a worker host, talks to whatever started it. Three ways, one shape: a thread of
// a worker host hears its port (worker_threads), an Electron utility process its parentPort, and a
// process Node forked its IPC channel (process.send).
import { parentPort as threadPort } from "node:worker_threads";

export interface ParentChannel<In, Out> {
  /** `then` runs once the message is on its way, or at once when there is no one left to send it to. */
  send(message: Out, then?: () => void): void;
  onMessage(listener: (message: In) => void): void;
  /**
   * The parent went away without a word: a forked process's channel closed. A thread ends with its
   * host, and a utility process with the app, so neither hears this.
   */
  onGone(listener: () => void): void;
}

/** Electron's utility processes talk through a port whose messages come wrapped in an event. */
interface UtilityPort {
  postMessage(message: unknown): void;
  on(event: "message", listener: (event: { data: unknown }) => void): void;
}

export function parentChannel<In, Out>(): ParentChannel<In, Out> {
  if (threadPort) {
    const port = threadPort;
    return {
      send: (message, then) => {
        port.postMessage(message);
        then?.();
      },
      onMessage: (listener) => void port.on("message", (message: In) => listener(message)),
      onGone: () => undefined,
    };
  }
  const utilityPort = (process as { parentPort?: UtilityPort }).parentPort;
  if (utilityPort)
    return {
      send: (message, then) => {
        utilityPort.postMessage(message);
        then?.();
      },
      onMessage: (listener) => utilityPort.on("message", (event) => listener(event.data as In)),
      onGone: () => undefined,
    };
  return {
    send: (message, then) => {
      if (process.connected) process.send!(message, undefined, {}, () => then?.());
      else then?.();
    },
    onMessage: (listener) => void process.on("message", (message: In) => listener(message)),
    onGone: (listener) => void process.on("disconnect", listener),
  };
}
