// The IPC contract: every call the renderer may make, its input schema (checked in main) and
// its result type. Main, preload, renderer and the test bridge all build on this one map.
import { z } from "zod";

export interface AppInfo {
  name: string;
  version: string;
  /** Where sinks, streams and exporters are kept (shared by the app and the CLI). */
  dataDir: string;
}

const noInput = z.object({}).strict();

/** Input schemas by channel. A channel exists only if it is listed here. */
export const inputSchemas = {
  "app:info": noInput,
} as const;

/** Result types by channel; the compiler keeps this in step with `inputSchemas`. */
export interface Results {
  "app:info": AppInfo;
}

export type Channel = keyof typeof inputSchemas & keyof Results;
export type Input<C extends Channel> = z.input<(typeof inputSchemas)[C]>;
export type Result<C extends Channel> = Results[C];

/** What failed calls carry across IPC: enough for the UI to explain, never a stack or a secret. */
export interface ApiFailure {
  code: "invalid-input" | "untrusted-sender" | "unknown-channel" | "failed";
  message: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ApiFailure };

/** The object preload puts on `window.streamdrop`. */
export interface StreamdropApi {
  invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Outcome<Result<C>>>;
}

export const channels = Object.keys(inputSchemas) as Channel[];

export function isChannel(value: unknown): value is Channel {
  return typeof value === "string" && Object.hasOwn(inputSchemas, value);
}
