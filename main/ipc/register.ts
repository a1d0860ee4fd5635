// Wires the handler map into Electron's ipcMain. Every call passes the trusted-sender check
// here, in the one wrapper, so no handler can forget it.
import type { IpcMain, IpcMainInvokeEvent } from "electron";
import { channels } from "../../preload/contract.js";
import { dispatch, failure, type Handlers } from "./dispatch.js";

/** True for frames of our own window showing our own page. */
export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

export function registerHandlers(ipcMain: Pick<IpcMain, "handle">, handlers: Handlers, isTrusted: SenderCheck): void {
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, input: unknown) => {
      if (!isTrusted(event)) return failure("untrusted-sender", "This call is only accepted from Streamdrop's own window.");
      return dispatch(handlers, channel, input);
    });
  }
}

/** Accepts only the main frame of one of our windows whose URL starts with the app's origin. */
export function trustedSender(isOurWebContents: (id: number) => boolean, appUrlPrefix: string): SenderCheck {
  return (event) => {
    const frame = event.senderFrame;
    return frame !== null && frame.parent === null && isOurWebContents(event.sender.id) && frame.url.startsWith(appUrlPrefix);
  };
}
