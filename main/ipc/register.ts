// Wires the handler map into Electron's ipcMain. Every call passes the trusted-sender check
// here, in the one wrapper, so no handler can forget it; a refused call is logged (dispatch.ts
// logs the rest).
import type { IpcMain, IpcMainInvokeEvent } from "electron";
import { channels } from "../../preload/contract.js";
import { dispatch, failure, type CallContext, type CallSender, type Handlers } from "./dispatch.js";

/** True for frames of our own window showing our own page. */
export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

export function registerHandlers(ipcMain: Pick<IpcMain, "handle">, handlers: Handlers, isTrusted: SenderCheck, log: NonNullable<CallContext["log"]>): void {
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, input: unknown) => {
      const sender = senderOf(event);
      if (!isTrusted(event)) {
        // Never the input: an untrusted caller's input is not ours to keep.
        log.warn({ channel, sender }, "IPC call refused: not from Streamdrop's own window");
        return failure("untrusted-sender", "This call is only accepted from Streamdrop's own window.");
      }
      return dispatch(handlers, channel, input, { log, sender });
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

/** Who called, for the log: the frame's URL without its query or fragment (a page's tokens live there), its window, whether it is the main frame. */
function senderOf(event: IpcMainInvokeEvent): CallSender {
  const frame = event.senderFrame;
  const webContents = event.sender?.id ?? -1;
  if (!frame) return { url: "(a frame that is gone)", webContents };
  return { url: withoutQuery(frame.url), webContents, mainFrame: frame.parent === null };
}

function withoutQuery(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.protocol}//${url.host}${url.pathname}`.slice(0, 300);
  } catch {
    return "(not a URL)";
  }
}
