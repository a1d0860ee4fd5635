// Polling for something a test waits on (a file logged, a status reached), with what it was when the wait runs out.

/** The first defined value `probe` gives, asked every `everyMs`; throws naming `what` once `timeoutMs` pass without one. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000, everyMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
