// A stream's Schema Registry as the person gives it: its REST address, a user and password (or an
// API key and secret) and a CA certificate, tested before the stream is saved. With one, the
// stream's exporters decode keys and values in the registry's wire format to JSON. The password
// goes to the OS keychain when the stream is saved.
import { useState } from "react";
import type { Input, StreamInfo } from "../../../preload/contract";
import { useStore } from "../store";
import { requestOf } from "../store/manage-slice";
import { CaFileField, type CaFile } from "./CaFileField";
import { ActionButton, ErrorMessage, Field, Success } from "./ui";

export function useRegistry(initial?: StreamInfo["schemaRegistry"]) {
  const [on, setOn] = useState(initial !== undefined);
  const [url, setUrl] = useState(initial?.url ?? "");
  const [username, setUsername] = useState(initial?.username ?? "");
  const [password, setPassword] = useState("");
  const [ca, setCa] = useState<CaFile>();
  const user = username.trim();
  const input: Input<"streams:testRegistry"> | undefined =
    on && url.trim()
      ? { url: url.trim(), ...(user ? { username: user } : {}), ...(user && password ? { password } : {}), ...(ca ? { caPem: ca.pem } : {}) }
      : undefined;
  /** The registry as it was (a stream being changed): nothing to send, and no password to type again. */
  const unchanged = initial !== undefined && on && url.trim() === initial.url && user === (initial.username ?? "") && !password && !ca;
  return {
    on,
    setOn,
    url,
    setUrl,
    username,
    setUsername,
    password,
    setPassword,
    ca,
    setCa,
    input,
    unchanged,
    /** What a change of the stream sends: nothing when unchanged, null when taken off. */
    change: (): { schemaRegistry?: Input<"streams:testRegistry"> | null } =>
      unchanged ? {} : !on ? (initial ? { schemaRegistry: null } : {}) : input ? { schemaRegistry: input } : {},
    complete: !on || unchanged || (input !== undefined && (!user || password !== "")),
  };
}

export type Registry = ReturnType<typeof useRegistry>;

export function RegistryFields({ registry, testKey }: { registry: Registry; testKey: string }) {
  const { testRegistry } = useStore();
  const tested = useStore((state) => requestOf<{ subjects: number }>(state, `registry-test:${testKey}`));
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
          <Field label="Registry user or API key (optional)">
            {(props) => <input {...props} value={registry.username} onChange={(event) => registry.setUsername(event.target.value)} autoComplete="off" />}
          </Field>
          {registry.username.trim() !== "" && (
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
          <CaFileField label="Registry CA certificate (optional)" of="the registry" value={registry.ca} onChange={registry.setCa} />
          <ActionButton
            kind="secondary"
            busy={tested.state === "running"}
            busyLabel="Asking the registry…"
            disabled={!registry.input || (registry.username.trim() !== "" && !registry.password)}
            onClick={() => registry.input && void testRegistry(testKey, registry.input)}
          >
            Test the registry
          </ActionButton>
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
