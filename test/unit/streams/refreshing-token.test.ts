// The token cache the OAUTHBEARER logins share: early refresh (kafkajs re-authenticates with 10 s
// left, and a token handed out later than that is fatal), one fetch at a time, and failures that
// stay transient only while the kept token can still be handed out.
import { describe, expect, it } from "vitest";
import { NeedsPersonError } from "../../../main/core/exporters/needs-person.js";
import { RefreshingToken, type BearerToken } from "../../../main/core/streams/logins/refreshing-token.js";

function source(lifeMs: number) {
  let now = 1_000_000;
  let fetches = 0;
  let fail: Error | undefined;
  const token = new RefreshingToken({
    now: () => now,
    fetch: async (): Promise<BearerToken> => {
      fetches += 1;
      if (fail) throw fail;
      return { value: `t${fetches}`, expiresAt: now + lifeMs };
    },
    expired: (error) => new NeedsPersonError("sasl", `gone: ${(error as Error).message}`),
  });
  return {
    token,
    advance: (ms: number) => (now += ms),
    fetches: () => fetches,
    failWith: (error: Error | undefined) => (fail = error),
  };
}

describe("RefreshingToken", () => {
  it("keeps a token until a fifth of its life (at least threshold + 10 s) is left", async () => {
    const s = source(300_000);
    expect((await s.token.token()).value).toBe("t1");
    s.advance(239_000); // 61 s left: more than a fifth (60 s)
    expect((await s.token.token()).value).toBe("t1");
    s.advance(2_000); // 59 s left
    expect((await s.token.token()).value).toBe("t2");
    expect(s.fetches()).toBe(2);
  });

  it("refreshes a 30 s token once 20 s are left (threshold + 10 s), never handing out one kafkajs must renew at once", async () => {
    const s = source(30_000);
    await s.token.token();
    s.advance(9_000);
    expect((await s.token.token()).value).toBe("t1");
    s.advance(2_000); // 19 s left
    expect((await s.token.token()).value).toBe("t2");
  });

  it("fetches once for connections that authenticate together", async () => {
    const s = source(300_000);
    const values = await Promise.all([s.token.token(), s.token.token(), s.token.token()]);
    expect(values.map((value) => value.value)).toEqual(["t1", "t1", "t1"]);
    expect(s.fetches()).toBe(1);
  });

  it("serves the kept token while a refresh fails and it is still good; then the failure needs a person", async () => {
    const s = source(60_000);
    await s.token.token();
    s.advance(45_000); // 15 s left: due (margin 20 s), still good to hand out (> 12 s)
    s.failWith(new Error("provider down"));
    expect((await s.token.token()).value).toBe("t1");
    s.advance(4_000); // 11 s left: too little to hand out
    const error = await s.token.token().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NeedsPersonError);
    expect((error as Error).message).toBe("gone: provider down");
    s.failWith(undefined);
    expect((await s.token.token()).value).toMatch(/^t\d+$/);
  });

  it("gives failures that began after the token ran out (waking from sleep) a minute before they need a person", async () => {
    const s = source(60_000);
    await s.token.token();
    s.advance(10 * 60_000); // asleep well past the token's end
    s.failWith(new Error("getaddrinfo ENOTFOUND idp.example"));
    const first = await s.token.token().catch((caught: unknown) => caught);
    expect(first).not.toBeInstanceOf(NeedsPersonError);
    s.advance(30_000);
    await expect(s.token.token()).rejects.not.toBeInstanceOf(NeedsPersonError);
    s.advance(31_000);
    await expect(s.token.token()).rejects.toBeInstanceOf(NeedsPersonError);
    s.failWith(undefined);
    expect((await s.token.token()).value).toMatch(/^t\d+$/);
  });

  it("leaves a first failure transient when it is transient, and says a refusal at once", async () => {
    const s = source(60_000);
    s.failWith(new Error("connection refused"));
    await expect(s.token.token()).rejects.not.toBeInstanceOf(NeedsPersonError);
    s.failWith(new NeedsPersonError("sasl", "the client secret was revoked"));
    await expect(s.token.token()).rejects.toThrow("the client secret was revoked");
  });

  it("refuses tokens too short-lived to renew each session in time", async () => {
    const s = source(20_000);
    await expect(s.token.token()).rejects.toThrow(/live 20 s; a Kafka login needs tokens that live at least 30 s/);
  });

  it("forgets a token the broker refused", async () => {
    const s = source(300_000);
    await s.token.token();
    s.token.forget();
    expect((await s.token.token()).value).toBe("t2");
  });
});
