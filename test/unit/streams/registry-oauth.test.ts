// A registry that logs in with the stream's OIDC client: only when the stream's login is OAuth,
// never beside a user and password, never over http to another computer (the token is the Kafka
// login's too), and with Confluent's logical cluster and identity pool when given.
import { describe, expect, it } from "vitest";
import type { KafkaLogin } from "../../../main/core/streams/logins/kafka-login.js";
import { registryConnection } from "../../../main/core/streams/stream-service.js";

const oauth: KafkaLogin = {
  mechanism: "oauthbearer",
  oidc: {
    tokenEndpoint: "https://idp.example/token",
    clientId: "exporter",
    clientSecret: "s",
    extensions: { logicalCluster: "lkc-1", identityPoolId: "pool-1" },
  },
};

describe("registryConnection with the stream's OAuth client", () => {
  it("carries the client, the registry's logical cluster and the login's identity pool", () => {
    expect(registryConnection({ url: "https://psrc-1.example", oauth: { logicalCluster: "lsrc-9" } }, oauth)).toEqual({
      url: "https://psrc-1.example",
      oauth: { client: oauth.mechanism === "oauthbearer" ? oauth.oidc : undefined, logicalCluster: "lsrc-9", identityPoolId: "pool-1" },
    });
  });

  it("refuses it without an OAuth login, beside a user, or over http to another computer", () => {
    const password: KafkaLogin = { mechanism: "scram-sha-512", username: "u", password: "p" };
    expect(() => registryConnection({ url: "https://psrc-1.example", oauth: {} }, password)).toThrow("the stream does not log in with OAuth");
    expect(() => registryConnection({ url: "https://psrc-1.example", oauth: {}, username: "u", password: { from: "value", value: "p" } }, oauth)).toThrow(
      "give one of them",
    );
    expect(() => registryConnection({ url: "http://registry.example:8081", oauth: {} }, oauth)).toThrow("its address is not https");
    expect(registryConnection({ url: "http://127.0.0.1:8081", oauth: {} }, oauth).oauth?.client.clientId).toBe("exporter");
  });
});
