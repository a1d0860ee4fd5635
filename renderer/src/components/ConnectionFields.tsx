// A Kafka connection as the person gives it: the provider first (common/kafka-providers.ts says
// what each hands out), then its bootstrap servers, TLS (always on with a managed service; a CA
// certificate of theirs, or the system's) and only the logins that provider offers, each with only
// its own fields: user and password (SASL PLAIN or SCRAM), OAuth (OIDC client credentials), AWS
// IAM, or a client certificate. Secrets go to the OS keychain when the stream is saved; the CA and
// client certificates' content is kept in the data folder.
import { useRef, useState, type ReactNode } from "react";
import type { Fix, Setting } from "../../../common/fixes";
import { kafkaProviders, loginLabels, offers, providerIds, type LoginKind, type ProviderId } from "../../../common/kafka-providers";
import type { Input, StreamInfo } from "../../../preload/contract";
import { CaFileField, type CaFile } from "./CaFileField";
import { emptyDraft, isPasswordLogin, loginInput, loginOfStream, providerFor, type LoginDraft } from "./login-input";
import { LoginFields } from "./LoginFields";
import { PolicyStatementFix } from "./PolicyStatementFix";
import { ErrorMessage, Field } from "./ui";

/** Where a first stream starts: a broker on this computer. */
const localServers = "127.0.0.1:9092";

/** A form's starting point: a saved stream's connection (changing it), or the last cluster's (a new stream). */
export interface ConnectionStart {
  bootstrapServers?: string;
  ssl?: boolean;
  sasl?: StreamInfo["sasl"];
  clientCertificate?: StreamInfo["clientCertificate"];
}

export function useConnection(initial?: ConnectionStart) {
  /** The login a saved stream has: kept while nothing of it is typed again. */
  const stored = initial && (initial.sasl || initial.clientCertificate) ? loginOfStream(initial) : undefined;
  const [servers, setServers] = useState(initial?.bootstrapServers ?? localServers);
  const [sslChoice, setSsl] = useState(initial?.ssl ?? false);
  const [ca, setCa] = useState<CaFile>();
  const [draft, setDraft] = useState<LoginDraft>(() => {
    const login = initial ? loginOfStream(initial) : "none";
    const provider = providerFor(initial?.bootstrapServers, login);
    const start = emptyDraft(provider, offers(provider, login) ? login : undefined);
    return initial?.sasl?.username && kafkaProviders[provider].fixedUsername === undefined ? { ...start, username: initial.sasl.username } : start;
  });
  const caInput = useRef<HTMLInputElement>(null);
  const certInput = useRef<HTMLInputElement>(null);
  const oidcInput = useRef<HTMLInputElement>(null);
  const awsInput = useRef<HTMLInputElement>(null);
  const passwordInput = useRef<HTMLInputElement>(null);
  const provider = kafkaProviders[draft.provider];
  /** Managed services always speak TLS, and a client certificate needs it: only otherwise is it a choice. */
  const tlsOffered = !provider.tls && draft.login !== "mtls";
  const ssl = !tlsOffered || sslChoice;
  const login = loginInput(draft);
  const keeps =
    stored !== undefined &&
    draft.login === stored &&
    (isPasswordLogin(stored)
      ? (provider.fixedUsername ?? draft.username.trim()) === initial?.sasl?.username && draft.password === ""
      : stored === "none" || !login.touched);
  const update = (patch: Partial<LoginDraft>) => setDraft((current) => ({ ...current, ...patch }));
  /** Another provider: its logins (the current one if it offers it, else its usual one). */
  const setProvider = (id: ProviderId) => {
    setDraft((current) => ({ ...current, provider: id, login: offers(id, current.login) ? current.login : kafkaProviders[id].logins[0]! }));
    // The local default means nothing at a managed service: its hint shows instead.
    if (id !== "other" && servers === localServers) setServers("");
  };
  /** A login the repair needs, under a provider that offers it. */
  const switchLogin = (kind: LoginKind) => {
    if (draft.login === kind) return;
    setDraft((current) => ({ ...current, login: kind, provider: offers(current.provider, kind) ? current.provider : "other" }));
  };
  /** After the form shows the field (it may appear with the change just made). */
  const later = (work: () => void) => setTimeout(work, 0);
  const input: Input<"streams:topics"> = {
    bootstrapServers: servers,
    ssl,
    ...(ssl && ca ? { caPem: ca.pem } : {}),
    ...(login.sasl ? { sasl: login.sasl } : {}),
    ...(login.clientCertificate ? { clientCertificate: login.clientCertificate } : {}),
  };
  return {
    servers,
    setServers,
    ssl,
    tlsOffered,
    setSsl,
    ca,
    setCa,
    draft,
    update,
    provider,
    setProvider,
    setLogin: (kind: LoginKind) => update({ login: kind }),
    login,
    /** The saved stream's login, when changing one. */
    stored,
    /** Nothing of the saved login was typed again: it stays as it is. */
    keeps,
    /** For testing the connection and creating a stream: the whole login, as given now. */
    input,
    /** A saved stream's new connection: its login only where something of it was given. */
    change: (): Omit<Input<"streams:update">, "name"> => ({
      bootstrapServers: servers,
      ssl,
      ...(ssl && ca ? { caPem: ca.pem } : {}),
      ...(keeps
        ? {}
        : {
            sasl: login.sasl ?? null,
            // A certificate given replaces the old; one that was the whole login goes with it.
            ...(login.clientCertificate ? { clientCertificate: login.clientCertificate } : stored === "mtls" ? { clientCertificate: null } : {}),
          }),
    }),
    caInput,
    certInput,
    oidcInput,
    awsInput,
    passwordInput,
    /** The repair for a certificate the system's authorities (or the CA given) cannot verify: TLS on, and the file chooser open. */
    chooseCa: () => {
      setSsl(true);
      // The field appears with TLS on: open its chooser once it is there.
      later(() => caInput.current?.click());
    },
    /** The repair a fix names: its login chosen, and its field focused (a file's chooser opened). */
    repair: (setting: Setting) => {
      if (setting === "client-certificate") {
        switchLogin("mtls");
        later(() => certInput.current?.click());
      } else if (setting === "oidc-client") {
        switchLogin("oauthbearer");
        later(() => oidcInput.current?.focus());
      } else if (setting === "aws-credentials") {
        switchLogin("aws-msk-iam");
        later(() => awsInput.current?.focus());
      } else if (setting === "password-env") later(() => passwordInput.current?.focus());
    },
    /** Every field given: the connection can be tested, or a stream made with it. */
    complete: servers.trim() !== "" && login.complete,
    /** A saved stream's connection can be saved: a kept login, or a whole new one. */
    savable: servers.trim() !== "" && (keeps || login.complete),
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

export function ConnectionFields({ connection }: { connection: Connection }) {
  const { provider, draft } = connection;
  return (
    <>
      <Field label="Provider" hint={provider.help}>
        {(props) => (
          <select {...props} value={draft.provider} onChange={(event) => connection.setProvider(event.target.value as ProviderId)}>
            {providerIds.map((id) => (
              <option key={id} value={id}>
                {kafkaProviders[id].label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Kafka bootstrap servers" hint="host:port, several separated by commas.">
        {(props) => (
          <input
            {...props}
            value={connection.servers}
            onChange={(event) => connection.setServers(event.target.value)}
            placeholder={provider.bootstrapHint}
            autoComplete="off"
            spellCheck={false}
            required
          />
        )}
      </Field>
      {connection.tlsOffered ? (
        <label className="checkbox">
          <input type="checkbox" checked={connection.ssl} onChange={(event) => connection.setSsl(event.target.checked)} /> Connect with TLS
        </label>
      ) : (
        <p className="muted">{provider.tls ? `${provider.label} is always reached over TLS.` : "A client certificate is shown over TLS."}</p>
      )}
      {connection.ssl && (
        <CaFileField label="CA certificate (optional)" of="the cluster" value={connection.ca} onChange={connection.setCa} inputRef={connection.caInput} />
      )}
      {provider.logins.length > 1 ? (
        <Field label="Login">
          {(props) => (
            <select {...props} value={draft.login} onChange={(event) => connection.setLogin(event.target.value as LoginKind)}>
              {provider.logins.map((kind) => (
                <option key={kind} value={kind}>
                  {loginLabels[kind]}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : (
        <p>Login: {loginLabels[draft.login]}</p>
      )}
      {connection.stored !== undefined && !isPasswordLogin(draft.login) && draft.login === connection.stored && (
        <p className="hint">The stored login stays while these fields are left empty; give them all to replace it.</p>
      )}
      <LoginFields connection={connection} />
    </>
  );
}

/** The repairs the form makes itself, named for the button that makes each. */
const repairLabels: Partial<Record<Setting, (connection: Connection) => string>> = {
  "client-certificate": () => "Choose the client certificate",
  "oidc-client": () => "Change the OAuth client",
  "aws-credentials": () => "Change the AWS credentials",
  "password-env": (connection) => `Change the ${(connection.provider.words?.password ?? "password").toLowerCase()}`,
};

/**
 * A connection's failure, in the core's words, with its repairs where the form can make them: the
 * cluster's CA file or the client certificate chosen from the message, the login's fields offered.
 */
export function ConnectionFailure({ failure, connection }: { failure: { message: string; fixes?: readonly Fix[] }; connection: Connection }) {
  const settings = (failure.fixes ?? []).flatMap((fix) => (fix.id === "set" ? [fix.setting] : []));
  const needsCa = settings.includes("ca-file");
  const repairs = settings.filter((setting) => repairLabels[setting] !== undefined && (setting !== "password-env" || isPasswordLogin(connection.draft.login)));
  const buttons: ReactNode[] = [
    ...(needsCa
      ? [
          <button key="ca-file" type="button" className="button secondary small" onClick={connection.chooseCa}>
            Choose the CA file
          </button>,
        ]
      : []),
    ...repairs.map((setting) => (
      <button key={setting} type="button" className="button secondary small" onClick={() => connection.repair(setting)}>
        {repairLabels[setting]!(connection)}
      </button>
    )),
  ];
  return (
    <ErrorMessage>
      {failure.message}
      <PolicyStatementFix fixes={failure.fixes} whose="the login's" then="test again" />
      {buttons.length > 0 && <div className="actions">{buttons}</div>}
    </ErrorMessage>
  );
}
