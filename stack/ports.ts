// Fixed, uncommon default ports (overridable) so every tool finds the stack without a handshake.
import { createServer, Socket } from "node:net";
import { StackError } from "./errors.js";

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new StackError(`${name}=${raw} is not a TCP port: use a whole number from 1 to 65535.`);
  }
  return port;
}

export const ports = {
  kafka: portFromEnv("STREAMDROP_KAFKA_PORT", 19092),
  kafkaController: portFromEnv("STREAMDROP_KAFKA_CONTROLLER_PORT", 19093),
  kafkaSasl: portFromEnv("STREAMDROP_KAFKA_SASL_PORT", 19094),
  kafkaSsl: portFromEnv("STREAMDROP_KAFKA_SSL_PORT", 19095),
  kafkaMtls: portFromEnv("STREAMDROP_KAFKA_MTLS_PORT", 19096),
  kafkaOauth: portFromEnv("STREAMDROP_KAFKA_OAUTH_PORT", 19097),
  moto: portFromEnv("STREAMDROP_MOTO_PORT", 15000),
  registry: portFromEnv("STREAMDROP_REGISTRY_PORT", 18081),
  oidc: portFromEnv("STREAMDROP_OIDC_PORT", 18090),
};

export const host = "127.0.0.1";

/** Resolves when nothing listens on the port; rejects with a message naming who needs it. */
export async function ensurePortFree(port: number, purpose: string, envName: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => {
      const why = error.code === "EADDRINUSE" ? "is already in use by another program" : `cannot be opened (${error.code})`;
      reject(new StackError(`Port ${host}:${port}, needed for ${purpose}, ${why}. Stop that program or choose another port with ${envName}=<port>.`));
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve()));
  });
}

/** True when something accepts TCP connections on the port. */
export function portAnswers(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("error", () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

/** A TCP port nothing listens on right now, on 127.0.0.1 (for servers a test or the bench runs privately). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Whether `url` answers within `timeoutMs` (any status when `anyStatus`, else a 2xx). The body is
 * cancelled, never left unread: Node's fetch keeps an unread body's socket paused, and a server
 * closing it then trips an assertion inside undici that ends the whole process.
 */
export async function httpAnswers(url: string, timeoutMs = 5000, anyStatus = false): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return anyStatus || response.ok;
  } catch {
    return false;
  }
}
