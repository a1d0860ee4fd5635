// A Kafka connection as the person gives it: bootstrap servers, TLS (with a CA certificate of
// theirs, or the system's), SASL PLAIN or SCRAM. The password goes to the OS keychain when the
// stream is saved; the CA file's content is kept in the data folder.
import { useRef, useState } from "react";
import type { Fix } from "../../../common/fixes";
import type { Input, StreamInfo } from "../../../preload/contract";
import { CaFileField, type CaFile } from "./CaFileField";
import { ErrorMessage, Field } from "./ui";

type Mechanism = "plain" | "scram-sha-256" | "scram-sha-512";
const mechanisms: Array<{ value: Mechanism; label: string }> = [
  { value: "plain", label: "PLAIN" },
  { value: "scram-sha-256", label: "SCRAM-SHA-256" },
  { value: "scram-sha-512", label: "SCRAM-SHA-512" },
];

export function useConnection(initial?: { bootstrapServers?: string; ssl?: boolean; sasl?: { mechanism: Mechanism; username: string } }) {
  const [servers, setServers] = useState(initial?.bootstrapServers ?? "127.0.0.1:9092");
  const [ssl, setSsl] = useState(initial?.ssl ?? false);
  const [ca, setCa] = useState<CaFile>();
  const [saslOn, setSaslOn] = useState(initial?.sasl !== undefined);
  const [mechanism, setMechanism] = useState<Mechanism>(initial?.sasl?.mechanism ?? "scram-sha-512");
  const [username, setUsername] = useState(initial?.sasl?.username ?? "");
  const [password, setPassword] = useState("");
  const caInput = useRef<HTMLInputElement>(null);
  const sasl = saslOn && username.trim() && password ? { mechanism, username: username.trim(), password } : undefined;
  /** For testing the connection and creating a stream. */
  const input: Input<"streams:topics"> = { bootstrapServers: servers, ssl, ...(ssl && ca ? { caPem: ca.pem } : {}), ...(sasl ? { sasl } : {}) };
  return {
    servers,
    setServers,
    ssl,
    setSsl,
    ca,
    setCa,
    saslOn,
    setSaslOn,
    mechanism,
    setMechanism,
    username,
    setUsername,
    password,
    setPassword,
    sasl,
    input,
    caInput,
    /** The repair for a certificate the system's authorities (or the CA given) cannot verify: TLS on, and the file chooser open. */
    chooseCa: () => {
      setSsl(true);
      // The field appears with TLS on: open its chooser once it is there.
      setTimeout(() => caInput.current?.click(), 0);
    },
    complete: servers.trim() !== "" && (!saslOn || sasl !== undefined),
  };
}

export type Connection = ReturnType<typeof useConnection>;

/**
 * A new stream's starting point: the cluster of the stream added last (its servers and TLS),
 * since a second topic is most often on the same cluster; the local default only for the first.
 */
export const lastClusterOf = (streams: readonly StreamInfo[]) => {
  const last = streams.at(-1);
  return last ? { bootstrapServers: last.bootstrapServers.join(","), ssl: last.ssl } : undefined;
};

/** `keepsPassword`: a stored password stays when the field is left empty (changing a stream). */
export function ConnectionFields({ connection, keepsPassword = false }: { connection: Connection; keepsPassword?: boolean }) {
  return (
    <>
      <Field label="Kafka bootstrap servers" hint="host:port, several separated by commas.">
        {(props) => (
          <input
            {...props}
            value={connection.servers}
            onChange={(event) => connection.setServers(event.target.value)}
            autoComplete="off"
            spellCheck={false}
            required
          />
        )}
      </Field>
      <label className="checkbox">
        <input type="checkbox" checked={connection.ssl} onChange={(event) => connection.setSsl(event.target.checked)} /> Connect with TLS
      </label>
      {connection.ssl && (
        <CaFileField label="CA certificate (optional)" of="the cluster" value={connection.ca} onChange={connection.setCa} inputRef={connection.caInput} />
      )}
      <label className="checkbox">
        <input type="checkbox" checked={connection.saslOn} onChange={(event) => connection.setSaslOn(event.target.checked)} /> Sign in with SASL (user name and
        password)
      </label>
      {connection.saslOn && (
        <>
          <Field label="SASL mechanism">
            {(props) => (
              <select {...props} value={connection.mechanism} onChange={(event) => connection.setMechanism(event.target.value as Mechanism)}>
                {mechanisms.map((option) => (
                  <option key={option.value} value={option.value}>
                    {option.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="SASL user name">
            {(props) => (
              <input {...props} value={connection.username} onChange={(event) => connection.setUsername(event.target.value)} autoComplete="off" required />
            )}
          </Field>
          <Field label="SASL password" hint={keepsPassword ? "Leave empty to keep the stored password." : "Kept in your OS keychain, never in the config."}>
            {(props) => (
              <input
                {...props}
                type="password"
                value={connection.password}
                onChange={(event) => connection.setPassword(event.target.value)}
                autoComplete="off"
                required={!keepsPassword}
              />
            )}
          </Field>
        </>
      )}
    </>
  );
}

/** A connection's failure, with its repair where the form can make it: the cluster's CA file chosen from the message. */
export function ConnectionFailure({ failure, connection }: { failure: { message: string; fixes?: readonly Fix[] }; connection: Connection }) {
  const needsCa = failure.fixes?.some((fix) => fix.id === "set" && fix.setting === "ca-file");
  return (
    <ErrorMessage>
      {failure.message}
      {needsCa && (
        <div className="actions">
          <button type="button" className="button secondary small" onClick={connection.chooseCa}>
            Choose the CA file
          </button>
        </div>
      )}
    </ErrorMessage>
  );
}
