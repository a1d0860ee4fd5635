// The local stack as a whole: start what is missing, reuse what runs, stop what we started.
import { mkdirSync, rmSync } from "node:fs";
import lockfile from "proper-lockfile";
import { kafkaAnswers, startKafka } from "./kafka.js";
import { motoAnswers, motoEndpoint, startMoto } from "./moto.js";
import { oidcAnswers, startOidc } from "./oidc.js";
import { registryAnswers, registryUrl, startRegistry } from "./registry.js";
import { stateDir } from "./paths.js";
import { ensurePortFree, host, ports } from "./ports.js";
import { isAlive, stopProcessGroup } from "./processes.js";
import { readState, stackComponents, writeState, type Component, type Running, type StackState } from "./state.js";

interface ComponentSpec {
  answers: (port: number) => Promise<boolean>;
  start: () => Promise<Running>;
  /** Ports it binds, checked before anything starts, with the variable that moves each. */
  binds: Array<{ port: number; purpose: string; env: string }>;
}

const components: Record<Component, ComponentSpec> = {
  oidc: {
    answers: oidcAnswers,
    start: () => startOidc(),
    binds: [{ port: ports.oidc, purpose: "the OpenID provider (Kafka's OAuth logins)", env: "STREAMDROP_OIDC_PORT" }],
  },
  kafka: {
    answers: kafkaAnswers,
    start: () => startKafka(),
    binds: [
      { port: ports.kafka, purpose: "the Kafka broker", env: "STREAMDROP_KAFKA_PORT" },
      { port: ports.kafkaController, purpose: "the Kafka controller", env: "STREAMDROP_KAFKA_CONTROLLER_PORT" },
      { port: ports.kafkaSasl, purpose: "the Kafka SASL/SCRAM listener", env: "STREAMDROP_KAFKA_SASL_PORT" },
      { port: ports.kafkaSsl, purpose: "the Kafka TLS listener", env: "STREAMDROP_KAFKA_SSL_PORT" },
      { port: ports.kafkaMtls, purpose: "the Kafka mutual-TLS listener", env: "STREAMDROP_KAFKA_MTLS_PORT" },
      { port: ports.kafkaOauth, purpose: "the Kafka OAuth (OAUTHBEARER) listener", env: "STREAMDROP_KAFKA_OAUTH_PORT" },
    ],
  },
  moto: {
    answers: motoAnswers,
    start: startMoto,
    binds: [{ port: ports.moto, purpose: "moto server (S3, IAM, STS)", env: "STREAMDROP_MOTO_PORT" }],
  },
  registry: {
    answers: registryAnswers,
    start: startRegistry,
    binds: [{ port: ports.registry, purpose: "the Schema Registry (Apicurio)", env: "STREAMDROP_REGISTRY_PORT" }],
  },
};
const order: Component[] = [...stackComponents];
/** What a component needs running first: `up(["kafka"])` starts the OpenID provider too. */
const dependencies: Partial<Record<Component, Component[]>> = { kafka: ["oidc"] };

export interface Endpoints {
  kafkaBrokers: string;
  s3Endpoint: string;
  schemaRegistryUrl: string;
}
export const endpoints: Endpoints = { kafkaBrokers: `${host}:${ports.kafka}`, s3Endpoint: motoEndpoint(), schemaRegistryUrl: registryUrl() };

/** Serialises `up` and `down` between processes (two test projects, a developer's shell). */
async function withStackLock<T>(work: () => Promise<T>): Promise<T> {
  mkdirSync(stateDir, { recursive: true });
  const release = await lockfile.lock(stateDir, {
    lockfilePath: `${stateDir}/stack.lock`,
    retries: { retries: 600, minTimeout: 200, maxTimeout: 500 },
    stale: 180_000,
  });
  try {
    return await work();
  } finally {
    await release();
  }
}

/** Alive and answering. A live process gets three tries: on a busy machine a slow answer is not a hung server, and restarting it would take it from everyone using it. */
async function isServing(component: Component, running: Running | undefined): Promise<boolean> {
  if (running === undefined || !isAlive(running.pid)) return false;
  for (let attempt = 0; attempt < 3; attempt += 1) if (await components[component].answers(running.port)) return true;
  return false;
}

async function stop(running: Running): Promise<void> {
  await stopProcessGroup(running.pid);
  if (running.dataDir) rmSync(running.dataDir, { recursive: true, force: true });
}

/** Starts whatever is not already serving (of `which` and what they need, default all); returns which components this call started. */
export function up(which: Component[] = order): Promise<Endpoints & { started: Component[] }> {
  const wanted = new Set(which.flatMap((component) => [component, ...(dependencies[component] ?? [])]));
  return withStackLock(async () => {
    const state = readState();
    const missing: Component[] = [];
    for (const component of order.filter((candidate) => wanted.has(candidate))) {
      if (await isServing(component, state[component])) continue;
      const stale = state[component];
      if (stale) {
        // Alive but not answering (hung): stop the process, but keep its data for the restart.
        if (isAlive(stale.pid)) await stopProcessGroup(stale.pid);
        delete state[component];
      }
      missing.push(component);
    }
    writeState(state);
    for (const component of missing) for (const bind of components[component].binds) await ensurePortFree(bind.port, bind.purpose, bind.env);

    const started: Component[] = [];
    try {
      for (const component of missing) {
        state[component] = await components[component].start();
        writeState(state);
        started.push(component);
      }
    } catch (error) {
      await stopComponents(state, started);
      throw error;
    }
    return { ...endpoints, started };
  });
}

async function stopComponents(state: StackState, which: Component[]): Promise<Component[]> {
  const stopped: Component[] = [];
  for (const component of [...which].reverse()) {
    const running = state[component];
    if (!running) continue;
    await stop(running);
    delete state[component];
    writeState(state);
    stopped.push(component);
  }
  return stopped;
}

/** Stops what `up` recorded (all of it, or only `which`); never touches other processes. */
export function down(which: Component[] = order): Promise<Component[]> {
  return withStackLock(async () => stopComponents(readState(), which));
}

export interface ComponentStatus {
  component: Component;
  serving: boolean;
  pid?: number;
  port: number;
  logFile?: string;
}

export async function status(): Promise<ComponentStatus[]> {
  const state = readState();
  return Promise.all(
    order.map(async (component) => {
      const running = state[component];
      return {
        component,
        serving: await isServing(component, running),
        pid: running?.pid,
        port: running?.port ?? components[component].binds[0]!.port,
        logFile: running?.logFile,
      };
    }),
  );
}
