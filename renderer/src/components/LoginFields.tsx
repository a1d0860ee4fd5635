// The fields of one login, and only its own (the provider decides which logins there are, in
// ConnectionFields): user and password in the provider's words, an OIDC client, AWS credentials, or
// a client certificate read from files. What the form holds is a draft (login-input.ts turns it into
// the core's input).
import type { RefObject } from "react";
import type { KafkaProvider, LoginKind } from "../../../common/kafka-providers";
import { base64Of, isPasswordLogin, type ChosenFile, type LoginDraft, type LoginInput } from "./login-input";
import { Field } from "./ui";

/** What the login's fields need of the connection form (useConnection gives it). */
export interface LoginForm {
  draft: LoginDraft;
  provider: KafkaProvider;
  update: (patch: Partial<LoginDraft>) => void;
  /** The saved stream's login kind, when changing one: its secrets may be left empty to keep them. */
  stored: LoginKind | undefined;
  login: LoginInput;
  certInput: RefObject<HTMLInputElement | null>;
  oidcInput: RefObject<HTMLInputElement | null>;
  awsInput: RefObject<HTMLInputElement | null>;
  passwordInput: RefObject<HTMLInputElement | null>;
}

const keychain = "Kept in your OS keychain, never in the config.";

export function LoginFields({ connection }: { connection: LoginForm }) {
  const { draft, provider, update } = connection;
  const kept = connection.stored === draft.login;
  const login = draft.login;
  if (isPasswordLogin(login)) {
    const passwordLabel = provider.words?.password ?? "SASL password";
    return (
      <>
        {provider.fixedUsername === undefined && (
          <Field label={provider.words?.username ?? "SASL user name"}>
            {(props) => <input {...props} value={draft.username} onChange={(event) => update({ username: event.target.value })} autoComplete="off" required />}
          </Field>
        )}
        <Field label={passwordLabel} hint={kept ? `Leave empty to keep the stored ${passwordLabel.toLowerCase()}.` : keychain}>
          {(props) => (
            <input
              {...props}
              ref={connection.passwordInput}
              type="password"
              value={draft.password}
              onChange={(event) => update({ password: event.target.value })}
              autoComplete="off"
              required={!kept}
            />
          )}
        </Field>
      </>
    );
  }
  if (login === "oauthbearer") {
    const named = provider.oauthExtensions;
    return (
      <fieldset className="login">
        <legend>OAuth client</legend>
        <Field label="Token endpoint" hint="The identity provider's token address (client-credentials grant), https.">
          {(props) => (
            <input
              {...props}
              ref={connection.oidcInput}
              type="url"
              value={draft.tokenEndpoint}
              onChange={(event) => update({ tokenEndpoint: event.target.value })}
              placeholder="https://idp.example.com/oauth2/token"
              autoComplete="off"
              spellCheck={false}
              required={!kept}
            />
          )}
        </Field>
        <Field label="Client ID">
          {(props) => (
            <input
              {...props}
              value={draft.clientId}
              onChange={(event) => update({ clientId: event.target.value })}
              autoComplete="off"
              spellCheck={false}
              required={!kept}
            />
          )}
        </Field>
        <Field label="Client secret" hint={keychain}>
          {(props) => (
            <input
              {...props}
              type="password"
              value={draft.clientSecret}
              onChange={(event) => update({ clientSecret: event.target.value })}
              autoComplete="off"
              required={!kept}
            />
          )}
        </Field>
        <Field label="Scope (optional)">
          {(props) => (
            <input {...props} value={draft.scope} onChange={(event) => update({ scope: event.target.value })} autoComplete="off" spellCheck={false} />
          )}
        </Field>
        {named ? (
          named.map((extension) => (
            <Field key={extension.name} label={extension.label} hint={extension.hint}>
              {(props) => (
                <input
                  {...props}
                  value={draft.extensions[extension.name] ?? ""}
                  onChange={(event) => update({ extensions: { ...draft.extensions, [extension.name]: event.target.value } })}
                  autoComplete="off"
                  spellCheck={false}
                  required={!kept}
                />
              )}
            </Field>
          ))
        ) : (
          <Field label="SASL extensions (optional)" hint="One name=value a line, such as logicalCluster=lkc-abc123." error={connection.login.problem}>
            {(props) => (
              <textarea
                {...props}
                rows={2}
                value={draft.extensionLines}
                onChange={(event) => update({ extensionLines: event.target.value })}
                autoComplete="off"
                spellCheck={false}
              />
            )}
          </Field>
        )}
      </fieldset>
    );
  }
  if (login === "aws-msk-iam") {
    return (
      <fieldset className="login">
        <legend>AWS IAM</legend>
        <Field label="AWS region" hint="The cluster's region.">
          {(props) => (
            <input
              {...props}
              value={draft.region}
              onChange={(event) => update({ region: event.target.value })}
              placeholder="us-east-1"
              autoComplete="off"
              spellCheck={false}
              required={!kept}
            />
          )}
        </Field>
        <fieldset className="radios">
          <legend>AWS credentials</legend>
          <label>
            <input
              type="radio"
              name="aws-credentials"
              ref={draft.awsCredentials === "default" ? connection.awsInput : undefined}
              checked={draft.awsCredentials === "default"}
              onChange={() => update({ awsCredentials: "default" })}
            />{" "}
            AWS default credentials
          </label>
          <label>
            <input
              type="radio"
              name="aws-credentials"
              ref={draft.awsCredentials === "key" ? connection.awsInput : undefined}
              checked={draft.awsCredentials === "key"}
              onChange={() => update({ awsCredentials: "key" })}
            />{" "}
            An access key
          </label>
        </fieldset>
        {draft.awsCredentials === "default" ? (
          <Field
            label="AWS profile (optional)"
            hint="A profile of your AWS configuration; empty: the default credentials (environment, profile, single sign-on, instance role)."
          >
            {(props) => (
              <input {...props} value={draft.profile} onChange={(event) => update({ profile: event.target.value })} autoComplete="off" spellCheck={false} />
            )}
          </Field>
        ) : (
          <>
            <Field label="Access key ID">
              {(props) => (
                <input
                  {...props}
                  value={draft.accessKeyId}
                  onChange={(event) => update({ accessKeyId: event.target.value })}
                  autoComplete="off"
                  spellCheck={false}
                  required={!kept}
                />
              )}
            </Field>
            <Field label="Secret access key" hint={keychain}>
              {(props) => (
                <input
                  {...props}
                  type="password"
                  value={draft.secretAccessKey}
                  onChange={(event) => update({ secretAccessKey: event.target.value })}
                  autoComplete="off"
                  required={!kept}
                />
              )}
            </Field>
          </>
        )}
        <Field label="Role to assume (optional)" hint="An IAM role the credentials assume to log in.">
          {(props) => (
            <input
              {...props}
              value={draft.roleArn}
              onChange={(event) => update({ roleArn: event.target.value })}
              placeholder="arn:aws:iam::123456789012:role/streamdrop-reader"
              autoComplete="off"
              spellCheck={false}
            />
          )}
        </Field>
      </fieldset>
    );
  }
  if (login === "mtls") {
    const pem = draft.certFormat === "pem";
    return (
      <fieldset className="login">
        <legend>Client certificate</legend>
        <fieldset className="radios">
          <legend>Given as</legend>
          <label>
            <input type="radio" name="certificate-format" checked={pem} onChange={() => update({ certFormat: "pem" })} /> A certificate file and a key file
            (PEM)
          </label>
          <label>
            <input type="radio" name="certificate-format" checked={!pem} onChange={() => update({ certFormat: "pkcs12" })} /> One PKCS#12 file (.p12 or .pfx)
          </label>
        </fieldset>
        {pem ? (
          <>
            <FileField
              label="Client certificate file"
              hint="The PEM certificate the cluster knows this client by."
              accept=".pem,.crt,.cer,.cert,application/x-pem-file"
              read="text"
              value={draft.cert}
              onChange={(cert) => update({ cert })}
              inputRef={connection.certInput}
            />
            <FileField
              label="Client key file"
              hint={`The certificate's private key (PEM). ${keychain}`}
              accept=".pem,.key,application/x-pem-file"
              read="text"
              value={draft.key}
              onChange={(key) => update({ key })}
            />
          </>
        ) : (
          <FileField
            label="PKCS#12 file"
            hint={`The certificate and its key in one file. The key is ${keychain.charAt(0).toLowerCase()}${keychain.slice(1)}`}
            accept=".p12,.pfx,application/x-pkcs12"
            read="base64"
            value={draft.p12}
            onChange={(p12) => update({ p12 })}
            inputRef={connection.certInput}
          />
        )}
        <Field
          label={pem ? "Key password (optional)" : "PKCS#12 password (optional)"}
          hint={`${pem ? "Only for an encrypted key" : "The password the file was exported with"}: it opens the key once and is not kept.`}
        >
          {(props) => (
            <input
              {...props}
              type="password"
              value={draft.certPassword}
              onChange={(event) => update({ certPassword: event.target.value })}
              autoComplete="off"
            />
          )}
        </Field>
      </fieldset>
    );
  }
  return null;
}

/** A file read in the window: PEM as text, a binary file (PKCS#12) as base64. */
function FileField({
  label,
  hint,
  accept,
  read,
  value,
  onChange,
  inputRef,
}: {
  label: string;
  hint: string;
  accept: string;
  read: "text" | "base64";
  value: ChosenFile | undefined;
  onChange: (file: ChosenFile) => void;
  inputRef?: RefObject<HTMLInputElement | null>;
}) {
  return (
    <Field label={label} hint={value ? `Using ${value.file}.` : hint}>
      {(props) => (
        <input
          {...props}
          ref={inputRef}
          type="file"
          accept={accept}
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (!file) return;
            const content = read === "text" ? file.text() : file.arrayBuffer().then((bytes) => base64Of(new Uint8Array(bytes)));
            void content.then((text) => onChange({ file: file.name, content: text }));
          }}
        />
      )}
    </Field>
  );
}
