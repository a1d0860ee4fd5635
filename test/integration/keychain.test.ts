// keytar over the real Secret Service (gnome-keyring in the D-Bus session of scripts/with-keychain.sh).
import keytar from "keytar";
import { afterAll, expect, it } from "vitest";
import { uniqueName } from "../support/clients.js";

const service = uniqueName("Streamdrop-test");
const account = "sink:roundtrip";

afterAll(async () => {
  await keytar.deletePassword(service, account).catch(() => undefined);
});

it("sets, gets and deletes a secret in the OS keychain", async () => {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) {
    throw new Error("No D-Bus session: run keychain tests through scripts/with-keychain.sh (npm test does).");
  }
  const secret = `not-a-real-secret-${Math.random().toString(36).slice(2)}`;
  await keytar.setPassword(service, account, secret);
  expect(await keytar.getPassword(service, account)).toBe(secret);
  expect(await keytar.findCredentials(service)).toEqual([{ account, password: secret }]);
  expect(await keytar.deletePassword(service, account)).toBe(true);
  expect(await keytar.getPassword(service, account)).toBeNull();
});
