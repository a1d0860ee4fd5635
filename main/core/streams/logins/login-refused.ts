// A cluster's refusal of a login, in words for each kind of login: what the broker said, who was
// refused, and what a person changes. Used where a connection is tested (stream-service.ts) and where
// a worker's failures are sorted (exporters/needs-person.ts), so both say the same.
import type { Fix } from "../../../../common/fixes.js";
import type { KafkaLogin, LoginMechanism } from "./kafka-login.js";
import { loginWho } from "./kafka-login.js";
import { mskStatement } from "./msk-iam-policy.js";

/** What messages need of a login: never its secret. */
export interface LoginSummary {
  mechanism: LoginMechanism;
  who: string;
  /** OAUTHBEARER: where tokens come from. */
  tokenEndpoint?: string;
  /** MSK IAM: the cluster's region (its policy statements name it). */
  region?: string;
}

export function loginSummary(login: KafkaLogin | undefined): LoginSummary | undefined {
  if (!login) return undefined;
  return {
    mechanism: login.mechanism,
    who: loginWho(login)!,
    ...(login.mechanism === "oauthbearer" ? { tokenEndpoint: login.oidc.tokenEndpoint } : {}),
    ...(login.mechanism === "aws-msk-iam" ? { region: login.region } : {}),
  };
}

/** Kafka at `where` refused the login; `said` is the broker's (or kafkajs's) reason. */
export function loginRefused(where: string, login: LoginSummary | undefined, said: string): { message: string; fixes: Fix[] } {
  switch (login?.mechanism) {
    case "oauthbearer":
      return {
        message: `Kafka at ${where} refused the token of ${login.who} (${said}). Check that the cluster trusts tokens from the identity provider at ${login.tokenEndpoint ?? "the token endpoint"} and that the client, its scope and the token's audience are the ones the cluster expects.`,
        fixes: [{ id: "set", setting: "oidc-client" }],
      };
    case "aws-msk-iam":
      return {
        message: `Kafka at ${where} refused the MSK IAM login of ${login.who} (${said}). Check that the cluster has IAM access control on at this address (port 9098, or 9198 for public access) and that the credentials' policy allows kafka-cluster:Connect on the cluster.`,
        fixes: [
          { id: "set", setting: "aws-credentials" },
          ...(login.region
            ? [{ id: "add-policy-statement" as const, statement: mskStatement("connect", { region: login.region, topic: "*", groupId: "*" }) }]
            : []),
        ],
      };
    default:
      return {
        message: `Kafka at ${where} refused the SASL credentials${login ? ` of ${login.who}` : ""} (${said}). The password may have changed or the user been removed: update the stream's credentials.`,
        fixes: [{ id: "set", setting: "password-env" }],
      };
  }
}
