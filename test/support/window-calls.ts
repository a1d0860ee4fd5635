// The window's calls on a core, without a window: the real handlers through the one `dispatch`
// (its input validation included), with an engine that runs nothing. For tests of what the window
// asks and gets back.
import type { Channel, Input, Outcome, Result } from "../../preload/contract.js";
import { dispatch } from "../../main/ipc/dispatch.js";
import { createHandlers } from "../../main/ipc/handlers.js";
import type { TestCore } from "./core.js";

export type WindowCall = <C extends Channel>(channel: C, input: Input<C>) => Promise<Outcome<Result<C>>>;

export function windowCalls(core: TestCore): WindowCall {
  const handlers = createHandlers({
    appInfo: { name: "Streamdrop", version: "0", dataDir: core.dataDir },
    core,
    engine: { statuses: () => [], nudge: async () => undefined },
    settings: { openAtLogin: () => false, setOpenAtLogin: () => undefined },
    openExternal: async () => undefined,
  });
  return (channel, input) => dispatch(handlers, channel, input) as never;
}
