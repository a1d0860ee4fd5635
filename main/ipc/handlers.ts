// What each IPC call does, over the core. No Electron here: the test bridge serves the same map.
import type { AppInfo } from "../../preload/contract.js";
import type { Handlers } from "./dispatch.js";

export interface HandlerContext {
  appInfo: AppInfo;
}

export function createHandlers(context: HandlerContext): Handlers {
  return {
    "app:info": async () => context.appInfo,
  };
}
