// The renderer's only door to main: the typed API that preload exposed. Store actions use it;
// components never do.
import type { StreamdropApi } from "../../preload/contract";

declare global {
  interface Window {
    streamdrop: StreamdropApi;
  }
}

export const api = (): StreamdropApi => window.streamdrop;
