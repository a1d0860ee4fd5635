// Loaded before the app in the web build only: gives the page the same `window.streamdrop` API
// that preload gives it in Electron, over the bridge's WebSocket (the token comes from the URL).
(() => {
  const token = new URLSearchParams(location.search).get("token") ?? "";
  const socket = new WebSocket(`ws://${location.host}/bridge?token=${encodeURIComponent(token)}`);
  const opened = new Promise((resolve, reject) => {
    socket.addEventListener("open", resolve, { once: true });
    socket.addEventListener("error", reject, { once: true });
  });
  const pending = new Map();
  const listeners = new Map();
  let nextId = 1;
  const lost = { ok: false, error: { code: "failed", message: "Lost the connection to Streamdrop. Reload the page." } };
  socket.addEventListener("message", (message) => {
    const data = JSON.parse(message.data);
    if (data.id !== undefined) {
      pending.get(data.id)?.(data.outcome);
      pending.delete(data.id);
    } else if (data.event) {
      for (const listener of listeners.get(data.event) ?? []) listener(data.payload);
    }
  });
  socket.addEventListener("close", () => {
    for (const resolve of pending.values()) resolve(lost);
    pending.clear();
  });
  window.streamdrop = {
    async invoke(channel, input) {
      try {
        await opened;
      } catch {
        return lost;
      }
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify({ id, channel, input }));
      });
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  };
})();
