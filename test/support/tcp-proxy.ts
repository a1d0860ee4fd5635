// A TCP proxy on 127.0.0.1 that can go down and come back on the same port (a storage outage
// without losing the store's contents), and can hold back chosen requests (a slow store).
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { Transform } from "node:stream";
import { freePort } from "./ports.js";

export interface TcpProxy {
  url: string;
  /** Drops every connection, and the chunks held back on them. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
  /** Holds back each client chunk for which `delay` returns milliseconds (0 passes at once). */
  setDelay(delay: ((chunk: Buffer) => number) | undefined): void;
  /** Chunks being held back right now. */
  readonly held: number;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let delay: ((chunk: Buffer) => number) | undefined;
  let held = 0;
  // Timers of held chunks: going down drops them with their connections, so a held request never
  // reaches the server afterwards (as when its sender was killed mid-upload).
  const holding = new Set<NodeJS.Timeout>();
  const holdBack = () =>
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        const ms = delay?.(chunk) ?? 0;
        if (ms <= 0) return done(null, chunk);
        held += 1;
        const timer = setTimeout(() => {
          holding.delete(timer);
          held -= 1;
          done(null, chunk);
        }, ms);
        holding.add(timer);
      },
    });
  const up = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = createConnection(targetPort, "127.0.0.1");
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on("close", () => sockets.delete(socket));
          socket.on("error", () => socket.destroy());
        }
        client.pipe(holdBack()).pipe(upstream).pipe(client);
      });
      server.listen(port, "127.0.0.1", () => resolve());
    });
  const down = () =>
    new Promise<void>((resolve) => {
      holding.forEach((timer) => clearTimeout(timer));
      holding.clear();
      held = 0;
      sockets.forEach((socket) => socket.destroy());
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
    });
  await up();
  return {
    url: `http://127.0.0.1:${port}`,
    up,
    down,
    close: down,
    setDelay: (next) => void (delay = next),
    get held() {
      return held;
    },
  };
}
