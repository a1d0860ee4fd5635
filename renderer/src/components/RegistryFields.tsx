// A stream's Schema Registry as the person gives it: its REST address, how it logs in (not at all,
// a user and password or an API key and secret, or, when the stream logs in with OAuth, the
// stream's own OAuth client) and a CA certificate, tested before the stream is saved. With one, the
// stream's exporters decode keys and values in the registry's wire format to JSON. The password
// goes to the OS keychain when the stream is saved.
import { useState } from "react";
import type { Input, StreamInfo } from "../../../preload/contract";
import { useStore } from "../store";
import { requestOf } from "../store/manage-slice";
import { CaFileField, type CaFile } from "./CaFileField";
import type { Connection } from "./ConnectionFields";
import { ActionButton, ErrorMessage, Field, Success } from "./ui";

/** The registry as a stream is created or changed with it. */
export type RegistryIn = NonNullable<Input<"streams:create">["schemaRegistry"]>;
/** How the registry logs in: not at all, with a user and password (or API key and secret), or with the stream's OAuth client. */
export type RegistryLogin = "none" | "password" | "oauth";

export const registryLoginLabels: Record<RegistryLogin, string> = {
  none: "No login",
  password: "User and password (or API key and secret)",
  oauth: "The stream's OAuth client",
};

/**
 * The registry's fields. `connection`: the stream's, whose login decides whether the registry may log
 * in with the stream's OAuth client (only an OAuth login offers it; another makes a chosen one fall back).
 */
export function useRegistry(connection: Pick<Connection, "draft" | "input" | "keeps">, initial?: StreamInfo["schemaRegistry"]) {
  const [on, setOn] = useState(initial !== undefined);
  const [url, setUrl] = useState(initial?.url ?? "");
  const [username, setUsername] = useState(initial?.username ?? "");
  const [password, setPassword] = useState("");
  const [logicalCluster, setLogicalCluster] = useState(initial?.oauth?.logicalCluster ?? "");
  /** The login chosen where there is a choice (the stream logs in with OAuth); unchosen, the user field says. */
  const [choice, setChoice] = useState<RegistryLogin | undefined>(initial?.oauth ? "oauth" : undefined);
  const [ca, setCa] = useState<CaFile>();
  const user = username.trim();
  const cluster = logicalCluster.trim();
  const oauthOffered = connection.draft.login === "oauthbearer";
  const login: RegistryLogin = oauthOffered && choice ? choice : user ? "password" : "none";
  const input: RegistryIn | undefined =
    on && url.trim()
      ? {
          url: url.trim(),
          ...(login === "password" && user ? { username: user, ...(password ? { password } : {}) } : {}),
          ...(login === "oauth" ? { oauth: cluster ? { logicalCluster: cluster } : {} } : {}),
          ...(ca ? { caPem: ca.pem } : {}),
        }
      : undefined;
  /** The stream's OAuth login as drafted, when all of it is given: what a test of an OAuth registry logs in with. */
  const oauthLogin = connection.input.sasl?.mechanism === "oauthbearer" ? connection.input.sasl : undefined;
  const initialLogin: RegistryLogin = initial?.oauth ? "oauth" : initial?.username ? "password" : "none";
  /** The registry as it was (a stream being changed): nothing to send, and no password to type again. */
  const unchanged =
    initial !== undefined &&
    on &&
    url.trim() === initial.url &&
    !ca &&
    login === initialLogin &&
    (login !== "password" || (user === initial.username && !password)) &&
    (login !== "oauth" || cluster === (initial.oauth?.logicalCluster ?? ""));
  const passwordMissing = login === "password" && (!user || !password);
  return {
    on,
    setOn,
    url,
    setUrl,
    username,
    setUsername,
    password,
    setPassword,
    logicalCluster,
    setLogicalCluster,
    /** The stream logs in with OAuth: the registry may log in with its client. */
    oauthOffered,
    /** How the registry logs in, as the fields say now. */
    login,
    setLogin: setChoice,
    ca,
    setCa,
    input,
    /** What "Test the registry" sends: with the stream's OAuth login for an OAuth registry; none while something is missing. */
    testInput: ((): Input<"streams:testRegistry"> | undefined => {
      if (!input || passwordMissing) return undefined;
      if (login !== "oauth") return input;
      return oauthLogin ? { ...input, sasl: oauthLogin } : undefined;
    })(),
    /** An OAuth registry that cannot be tested yet: the stream's OAuth client is not all given. */
    needsOauthLogin: input !== undefined && login === "oauth" && oauthLogin === undefined,
    /** The saved stream's OAuth login is kept: saving tests the registry with it. */
    keepsLogin: connection.keeps,
    unchanged,
    /** What a change of the stream sends: nothing when unchanged, null when taken off. */
    change: (): { schemaRegistry?: RegistryIn | null } =>
      unchanged ? {} : !on ? (initial ? { schemaRegistry: null } : {}) : input ? { schemaRegistry: input } : {},
    complete: !on || unchanged || (input !== undefined && (login !== "password" || (user !== "" && password !== ""))),
  };
}

export type Registry = ReturnType<typeof useRegistry>;

export function RegistryFields({ registry, testKey }: { registry: Registry; testKey: string }) {
  const { testRegistry } = useStore();
  const tested = useStore((state) => requestOf<{ subjects: number }>(state, `registry-test:${testKey}`));
  const logins: RegistryLogin[] = ["none", "password", "oauth"];
  const withPassword = registry.oauthOffered ? registry.login === "password" : true;
  return (
    <>
      <label className="checkbox">
        <input type="checkbox" checked={registry.on} onChange={(event) => registry.setOn(event.target.checked)} /> Decode with a Schema Registry (Avro, Protobuf
        or JSON Schema values)
      </label>
      {registry.on && (
        <>
          <Field
            label="Schema Registry URL"
            hint="Its REST address, such as https://psrc-xxxxx.europe-west3.gcp.confluent.cloud or http://localhost:8081 (Apicurio: …/apis/ccompat/v7)."
          >
            {(props) => (
              <input {...props} value={registry.url} onChange={(event) => registry.setUrl(event.target.value)} autoComplete="off" spellCheck={false} required />
            )}
          </Field>
          {registry.oauthOffered && (
            <fieldset className="radios">
              <legend>How the registry logs in</legend>
              {logins.map((login) => (
                <label key={login}>
                  <input type="radio" name={`registry-login-${testKey}`} checked={registry.login === login} onChange={() => registry.setLogin(login)} />{" "}
                  {registryLoginLabels[login]}
                </label>
              ))}
            </fieldset>
          )}
          {withPassword && (
            <Field label={registry.oauthOffered ? "Registry user or API key" : "Registry user or API key (optional)"}>
              {(props) => (
                <input
                  {...props}
                  value={registry.username}
                  onChange={(event) => registry.setUsername(event.target.value)}
                  autoComplete="off"
                  required={registry.oauthOffered}
                />
              )}
            </Field>
          )}
          {withPassword && registry.username.trim() !== "" && (
            <Field
              label="Registry password or API secret"
              hint={registry.unchanged ? "Leave empty to keep the stored password." : "Kept in your OS keychain, never in the config."}
            >
              {(props) => (
                <input
                  {...props}
                  type="password"
                  value={registry.password}
                  onChange={(event) => registry.setPassword(event.target.value)}
                  autoComplete="off"
                  required={!registry.unchanged}
                />
              )}
            </Field>
          )}
          {registry.login === "oauth" && (
            <Field
              label="Registry logical cluster ID (Confluent Cloud)"
              hint="Optional: the Schema Registry's ID, such as lsrc-abc123. The registry gets a token from the stream's OAuth client, with its identity pool."
            >
              {(props) => (
                <input
                  {...props}
                  value={registry.logicalCluster}
                  onChange={(event) => registry.setLogicalCluster(event.target.value)}
                  placeholder="lsrc-abc123"
                  autoComplete="off"
                  spellCheck={false}
                />
              )}
            </Field>
          )}
          <CaFileField label="Registry CA certificate (optional)" of="the registry" value={registry.ca} onChange={registry.setCa} />
          <ActionButton
            kind="secondary"
            busy={tested.state === "running"}
            busyLabel="Asking the registry…"
            disabled={!registry.testInput}
            onClick={() => registry.testInput && void testRegistry(testKey, registry.testInput)}
          >
            Test the registry
          </ActionButton>
          {registry.needsOauthLogin && (
            <p className="hint">
              {registry.keepsLogin
                ? "Saving tests the registry with the stream's stored OAuth client; to test it now, give the whole client above again."
                : "Give the stream's whole OAuth client above to test the registry with it."}
            </p>
          )}
          {tested.state === "done" && (
            <Success>
              The registry answers: {tested.value.subjects} subject{tested.value.subjects === 1 ? "" : "s"}.
            </Success>
          )}
          {tested.state === "failed" && <ErrorMessage>{tested.message}</ErrorMessage>}
        </>
      )}
    </>
  );
}

/** An exporter's choice, shown when its stream names a registry: decode, or keep the bytes. */
export function DecodeField({ decode, onChange }: { decode: boolean; onChange: (decode: boolean) => void }) {
  return (
    <label className="checkbox">
      <input type="checkbox" checked={decode} onChange={(event) => onChange(event.target.checked)} /> Decode with the registry (Avro, Protobuf and JSON Schema
      values and keys become JSON; unticked, they are kept as bytes, base64)
    </label>
  );
}
