// The OS keychain behind three functions. Secrets live only here and in memory; every failure
// becomes a message that says what is wrong with the keychain and what to do.
import { StreamdropError } from "../errors.js";
import { madeOnce } from "../made-once.js";

export interface SecretStore {
  getSecret(account: string): Promise<string | undefined>;
  setSecret(account: string, secret: string): Promise<void>;
  deleteSecret(account: string): Promise<boolean>;
}

/** One service name for the app; `STREAMDROP_KEYCHAIN_SERVICE` lets tests use their own. */
export const defaultKeychainService = "Streamdrop";

type Keytar = typeof import("keytar");

export function osKeychain(service = process.env.STREAMDROP_KEYCHAIN_SERVICE ?? defaultKeychainService): SecretStore {
  // Loaded on first use, so commands that need no secret work where libsecret is missing.
  const keytar = madeOnce(() =>
    import("keytar").then(
      (module) => (module as { default?: Keytar }).default ?? module,
      (error: unknown) => {
        throw keychainError("load the keychain library", error);
      },
    ),
  );
  const load = () => keytar.get();
  const attempt = async <T>(action: string, call: (k: Keytar) => Promise<T>): Promise<T> => {
    const k = await load();
    try {
      return await call(k);
    } catch (error) {
      throw keychainError(action, error);
    }
  };

  return {
    getSecret: (account) => attempt("read a secret from", async (k) => (await k.getPassword(service, account)) ?? undefined),
    async setSecret(account, secret) {
      await attempt("store a secret in", (k) => k.setPassword(service, account, secret));
      // Read back: a keychain that accepted the write but cannot return it is as bad as a failure.
      const stored = await attempt("read a secret from", (k) => k.getPassword(service, account));
      if (stored !== secret) {
        await attempt("remove a secret from", (k) => k.deletePassword(service, account)).catch(() => undefined);
        throw new StreamdropError("keychain", "The OS keychain accepted a secret but could not return it. Unlock the keychain and try again.");
      }
    },
    deleteSecret: (account) => attempt("remove a secret from", (k) => k.deletePassword(service, account)),
  };
}

const serverAdvice = { fixes: [{ id: "default-credentials" as const }] };

/** Turns libsecret/Keychain/Credential Manager errors into advice; their messages hold no secrets. */
export function keychainError(action: string, error: unknown): StreamdropError {
  const reason = error instanceof Error ? error.message : String(error);
  if (/locked collection|is locked|unlock|prompt.*dismissed|collection\/login/i.test(reason)) {
    return new StreamdropError(
      "keychain",
      `Could not ${action} the OS keychain because it is locked (${reason}). Unlock it (for example by logging in to your desktop session or with your keyring app) and try again.`,
      serverAdvice,
    );
  }
  if (/d-?bus|org\.freedesktop\.secrets|autolaunch|Could not connect|libsecret|cannot open shared object/i.test(reason)) {
    return new StreamdropError(
      "keychain",
      `Could not ${action} the OS keychain: no Secret Service is available (${reason}). Start and unlock a keyring such as gnome-keyring or KWallet in your desktop session.`,
      serverAdvice,
    );
  }
  return new StreamdropError("keychain", `Could not ${action} the OS keychain: ${reason}.`, serverAdvice);
}
