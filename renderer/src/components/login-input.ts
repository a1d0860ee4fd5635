// A stream's login as the provider form holds it (a draft of every field), and the contract's input
// it makes: what each provider hands out comes from common/kafka-providers.ts alone; here only how
// the fields of each login become its input. No React, so the rules are tested on their own.
import { kafkaProviders, offers, providerIds, type LoginKind, type ProviderId } from "../../../common/kafka-providers";
import type { Input, StreamInfo } from "../../../preload/contract";

export type SaslIn = NonNullable<Input<"streams:topics">["sasl"]>;
export type CertificateIn = NonNullable<Input<"streams:topics">["clientCertificate"]>;

/** A chosen file: its name, and its content as text (PEM) or as base64 (PKCS#12). */
export interface ChosenFile {
  file: string;
  content: string;
}

export interface LoginDraft {
  provider: ProviderId;
  login: LoginKind;
  username: string;
  password: string;
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
  scope: string;
  /** The provider's named extensions (its `oauthExtensions`). */
  extensions: Record<string, string>;
  /** Any provider's other extensions, one name=value a line. */
  extensionLines: string;
  region: string;
  awsCredentials: "default" | "key";
  profile: string;
  accessKeyId: string;
  secretAccessKey: string;
  roleArn: string;
  certFormat: "pem" | "pkcs12";
  cert?: ChosenFile;
  key?: ChosenFile;
  p12?: ChosenFile;
  certPassword: string;
}

export const emptyDraft = (provider: ProviderId, login: LoginKind = kafkaProviders[provider].logins[0]!): LoginDraft => ({
  provider,
  login,
  username: "",
  password: "",
  tokenEndpoint: "",
  clientId: "",
  clientSecret: "",
  scope: "",
  extensions: {},
  extensionLines: "",
  region: "",
  awsCredentials: "default",
  profile: "",
  accessKeyId: "",
  secretAccessKey: "",
  roleArn: "",
  certFormat: "pem",
  certPassword: "",
});

export const isPasswordLogin = (login: LoginKind): login is "plain" | "scram-sha-256" | "scram-sha-512" =>
  login === "plain" || login === "scram-sha-256" || login === "scram-sha-512";

/** name=value lines: the extensions, or the first line that is not one. */
export function parseExtensionLines(text: string): { extensions: Record<string, string>; problem?: string } {
  const extensions: Record<string, string> = {};
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    const at = line.indexOf("=");
    if (at <= 0 || at === line.length - 1)
      return { extensions, problem: `“${line.slice(0, 60)}” is not name=value: write one extension a line, such as logicalCluster=lkc-abc123.` };
    extensions[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return { extensions };
}

export interface LoginInput {
  sasl?: SaslIn;
  clientCertificate?: CertificateIn;
  /** Every field the login needs is given. */
  complete: boolean;
  /** Something of the login was typed or chosen (a stored login is kept while nothing is). */
  touched: boolean;
  /** Why the given fields make no login (a line of extensions that is not name=value). */
  problem?: string;
}

const text = (value: string) => value.trim();
const optional = <K extends string>(key: K, value: string): { [P in K]?: string } => (value.trim() ? ({ [key]: value.trim() } as { [P in K]?: string }) : {});

/** The login the draft gives, as streams:create, streams:update and streams:topics take it. */
export function loginInput(draft: LoginDraft): LoginInput {
  const provider = kafkaProviders[draft.provider];
  const login = draft.login;
  if (isPasswordLogin(login)) {
    const username = provider.fixedUsername ?? text(draft.username);
    const complete = username !== "" && draft.password !== "";
    return {
      ...(complete ? { sasl: { mechanism: login, username, password: draft.password } } : {}),
      complete,
      touched: draft.password !== "" || (provider.fixedUsername === undefined && text(draft.username) !== ""),
    };
  }
  if (login === "oauthbearer") {
    const named = provider.oauthExtensions;
    const free = named ? { extensions: {} } : parseExtensionLines(draft.extensionLines);
    const extensions: Record<string, string> = { ...free.extensions };
    for (const { name } of named ?? []) if (draft.extensions[name]?.trim()) extensions[name] = draft.extensions[name].trim();
    const namedComplete = (named ?? []).every(({ name, optional }) => optional || extensions[name] !== undefined);
    const complete = text(draft.tokenEndpoint) !== "" && text(draft.clientId) !== "" && draft.clientSecret !== "" && namedComplete && !free.problem;
    const touched = [draft.tokenEndpoint, draft.clientId, draft.clientSecret, draft.scope, draft.extensionLines, ...Object.values(draft.extensions)].some(
      (value) => value.trim() !== "",
    );
    return {
      ...(complete
        ? {
            sasl: {
              mechanism: "oauthbearer",
              tokenEndpoint: text(draft.tokenEndpoint),
              clientId: text(draft.clientId),
              clientSecret: draft.clientSecret,
              ...optional("scope", draft.scope),
              ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
            },
          }
        : {}),
      complete,
      touched,
      ...(free.problem ? { problem: free.problem } : {}),
    };
  }
  if (login === "aws-msk-iam") {
    const key = draft.awsCredentials === "key";
    const complete = text(draft.region) !== "" && (!key || (text(draft.accessKeyId) !== "" && draft.secretAccessKey !== ""));
    const touched = [draft.region, draft.profile, draft.accessKeyId, draft.secretAccessKey, draft.roleArn].some((value) => value.trim() !== "");
    return {
      ...(complete
        ? {
            sasl: {
              mechanism: "aws-msk-iam",
              region: text(draft.region),
              ...(key ? { accessKey: { accessKeyId: text(draft.accessKeyId), secretAccessKey: draft.secretAccessKey } } : optional("profile", draft.profile)),
              ...optional("assumeRoleArn", draft.roleArn),
            },
          }
        : {}),
      complete,
      touched,
    };
  }
  if (login === "mtls") {
    const touched = draft.cert !== undefined || draft.key !== undefined || draft.p12 !== undefined || draft.certPassword !== "";
    if (draft.certFormat === "pkcs12") {
      const complete = draft.p12 !== undefined;
      return {
        ...(draft.p12 ? { clientCertificate: { format: "pkcs12", p12Base64: draft.p12.content, password: draft.certPassword } } : {}),
        complete,
        touched,
      };
    }
    const complete = draft.cert !== undefined && draft.key !== undefined;
    return {
      ...(draft.cert && draft.key
        ? {
            clientCertificate: {
              format: "pem",
              cert: draft.cert.content,
              privateKey: draft.key.content,
              ...(draft.certPassword ? { password: draft.certPassword } : {}),
            },
          }
        : {}),
      complete,
      touched,
    };
  }
  return { complete: true, touched: false };
}

/** How a saved stream logs in, as a login of the form. */
export const loginOfStream = (stream: { sasl?: StreamInfo["sasl"]; clientCertificate?: StreamInfo["clientCertificate"] }): LoginKind =>
  stream.sasl?.mechanism ?? (stream.clientCertificate ? "mtls" : "none");

/** The domain of a provider's bootstrap hint (its last two labels): a host there is most likely that provider's. */
const domainOf = (hint: string) => hint.split(",")[0]!.replace(/:\d+$/, "").split(".").slice(-2).join(".").toLowerCase();

/**
 * The provider a cluster's servers most likely belong to (the form's first choice, changed at will),
 * among those that offer `login`; "other" when none does.
 */
export function providerFor(servers: string | undefined, login: LoginKind = "none"): ProviderId {
  const host = (servers ?? "").split(",")[0]!.trim().replace(/:\d+$/, "").toLowerCase();
  if (!host) return "other";
  const found = providerIds.find((id) => id !== "other" && host.endsWith(`.${domainOf(kafkaProviders[id].bootstrapHint)}`));
  return found && (login === "none" || offers(found, login)) ? found : "other";
}

/** A file's bytes as base64 (a PKCS#12 file is binary, and IPC carries text). */
export function base64Of(bytes: Uint8Array): string {
  let binary = "";
  for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(binary);
}
