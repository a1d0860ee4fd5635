// MSK IAM tokens from AWS's signer (aws-msk-iam-sasl-signer-js), with made-up credentials: their
// structure, the SigV4 signature recomputed independently, 72 hours of kafkajs asking for tokens
// while the credentials expire hourly, the guard against the signer's fractional and negative
// X-Amz-Expires, and how credential failures are told.
import { generateAuthTokenFromCredentialsProvider } from "aws-msk-iam-sasl-signer-js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { NeedsPersonError } from "../../../main/core/exporters/needs-person.js";
import { recomputedSignature } from "../../support/msk-signature.js";
import {
  awsCredentialsFor,
  cachedCredentials,
  credentialsRefreshMs,
  decodeMskToken,
  mskIamTokenSource,
  type AwsCredentials,
  type AwsCredentialsProvider,
  type MskSigner,
} from "../../../main/core/streams/logins/msk-iam-token.js";

const region = "eu-west-1";
const session: AwsCredentials = {
  accessKeyId: "ASIATESTTESTTESTTEST",
  secretAccessKey: "test-secret-not-real-0000000000000000000",
  sessionToken: "IQoJb3JpZ2luX2VjEPz//////////test-session-token",
  expiration: new Date(Date.UTC(2026, 0, 1, 13)),
};
const start = Date.UTC(2026, 0, 1, 12);

/** A SHA-256 (keyed: HMAC) for SignatureV4, from node:crypto. */
/** A token as the signer writes one, with the given X-Amz-Expires (unsigned: for the guard only). */
function madeToken(date: Date, expires: string, accessKeyId = "ASIAMADEMADEMADEMADE"): string {
  const stamp = date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  const params = new URLSearchParams({
    Action: "kafka-cluster:Connect",
    "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
    "X-Amz-Credential": `${accessKeyId}/${stamp.slice(0, 8)}/${region}/kafka-cluster/aws4_request`,
    "X-Amz-Date": stamp,
    "X-Amz-Expires": expires,
    "X-Amz-SignedHeaders": "host",
    "X-Amz-Signature": "0".repeat(64),
  });
  return Buffer.from(`https://kafka.${region}.amazonaws.com/?${params}`).toString("base64url");
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(start);
});
afterEach(() => {
  vi.useRealTimers();
});

describe("the token", () => {
  it("is a presigned kafka-cluster:Connect for the region, with the session token", async () => {
    const { token } = await mskIamTokenSource({ region, aws: {} }, { credentials: async () => ({ ...session }) })
      .token()
      .then((t) => ({ token: t.value }));
    const decoded = decodeMskToken(token);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decoded.url.protocol).toBe("https:");
    expect(decoded.url.hostname).toBe(`kafka.${region}.amazonaws.com`);
    expect(decoded.params.get("Action")).toBe("kafka-cluster:Connect");
    expect(decoded.params.get("X-Amz-Algorithm")).toBe("AWS4-HMAC-SHA256");
    expect(decoded.params.get("X-Amz-Credential")).toBe(`${session.accessKeyId}/20260101/${region}/kafka-cluster/aws4_request`);
    expect(decoded.params.get("X-Amz-SignedHeaders")).toBe("host");
    expect(decoded.params.get("X-Amz-Security-Token")).toBe(session.sessionToken);
    expect(decoded.params.get("User-Agent")).toBe("aws-msk-iam-sasl-signer-js/1.0.3");
    expect(decoded.region).toBe(region);
    expect(decoded.accessKeyId).toBe(session.accessKeyId);
    expect(decoded.date.getTime()).toBe(start);
    expect(decoded.expiresSeconds).toBe(900);
    // No secret anywhere in it.
    expect(Buffer.from(token, "base64url").toString()).not.toContain(session.secretAccessKey);
  });

  it("from a long-term key: no session token, and 900 s", async () => {
    const key = { accessKeyId: "AKIATESTTESTTESTTEST", secretAccessKey: "key-secret-not-real" };
    const source = mskIamTokenSource({ region, aws: { accessKey: key } });
    const token = await source.token();
    const decoded = decodeMskToken(token.value);
    expect(decoded.accessKeyId).toBe(key.accessKeyId);
    expect(decoded.params.has("X-Amz-Security-Token")).toBe(false);
    expect(token.expiresAt).toBe(start + 900_000);
    expect(await recomputedSignature(token.value, key)).toBe(decoded.params.get("X-Amz-Signature"));
  });

  it("has the signature @smithy/signature-v4 computes with the same key, and not with another secret", async () => {
    const token = (await mskIamTokenSource({ region, aws: {} }, { credentials: async () => ({ ...session }) }).token()).value;
    const signature = decodeMskToken(token).params.get("X-Amz-Signature");
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(await recomputedSignature(token, session)).toBe(signature);
    expect(await recomputedSignature(token, { ...session, secretAccessKey: `${session.secretAccessKey}x` })).not.toBe(signature);
    expect(await recomputedSignature(token, { ...session, sessionToken: "another-session" })).not.toBe(signature);
  });

  it("refuses what is not an MSK token", () => {
    expect(() => decodeMskToken(Buffer.from("https://example.com/?Action=kafka-cluster:Connect").toString("base64url"))).toThrow(/not one Streamdrop can read/);
    expect(() => decodeMskToken("not a token")).toThrow(/not one Streamdrop can read/);
  });
});

describe("72 hours of re-authentication with credentials that expire hourly", () => {
  it("hands out only whole, long-enough tokens from credentials far from expiry, and refreshes at a steady pace", async () => {
    const hourMs = 3_600_000;
    const expirations = new Map<string, number>();
    let sourceCalls = 0;
    let issued = 0;
    let current: AwsCredentials | undefined;
    // Like the SDK's default chain: keeps its credentials until 5 min before expiry, unless forced.
    const source: AwsCredentialsProvider = async (options) => {
      sourceCalls++;
      if (!current || options?.forceRefresh || current.expiration!.getTime() - Date.now() < 300_000) {
        issued++;
        const accessKeyId = `ASIAFAKE${String(issued).padStart(12, "0")}`;
        current = { accessKeyId, secretAccessKey: `secret-${issued}`, sessionToken: `session-${issued}`, expiration: new Date(Date.now() + hourMs) };
        expirations.set(accessKeyId, current.expiration!.getTime());
      }
      return { ...current };
    };
    let signerCalls = 0;
    const sign: MskSigner = (signRegion, provider) => {
      signerCalls++;
      return generateAuthTokenFromCredentialsProvider({ region: signRegion, awsCredentialsProvider: provider });
    };
    const thresholdMs = 10_000;
    const tokens = mskIamTokenSource({ region, aws: {} }, { credentials: source, sign, thresholdMs });
    const seen = new Set<string>();
    const horizon = start + 72 * hourMs;
    let asked = 0;
    for (let now = start, step = 0; now < horizon; step++, now += 1000 + ((step * 7919) % 6000)) {
      vi.setSystemTime(now);
      const token = await tokens.token();
      asked++;
      expect(token.expiresAt - now).toBeGreaterThanOrEqual(thresholdMs + 2000);
      if (seen.has(token.value)) continue;
      seen.add(token.value);
      const decoded = decodeMskToken(token.value);
      expect(Number.isInteger(decoded.expiresSeconds)).toBe(true);
      expect(decoded.expiresSeconds).toBeGreaterThan(0);
      expect(decoded.expiresSeconds).toBeLessThanOrEqual(900);
      expect(token.expiresAt).toBe(decoded.date.getTime() + decoded.expiresSeconds * 1000);
      // Signed with credentials that had at least 15 minutes left.
      expect(expirations.get(decoded.accessKeyId)! - decoded.date.getTime()).toBeGreaterThanOrEqual(credentialsRefreshMs);
    }
    expect(asked).toBeGreaterThan(50_000);
    // A token lives 900 s and is replaced with a fifth of that left: every 720 s, 360 in 72 h.
    expect(seen.size).toBe(signerCalls);
    expect(signerCalls).toBeGreaterThanOrEqual(355);
    expect(signerCalls).toBeLessThanOrEqual(370);
    // Credentials live an hour and are replaced with 15 min left: about every 45 min, 96 in 72 h.
    expect(issued).toBeGreaterThanOrEqual(85);
    expect(issued).toBeLessThanOrEqual(100);
    expect(sourceCalls).toBe(issued);
  });
});

describe("the X-Amz-Expires guard", () => {
  const stepSigner = (expires: string[]) => {
    const calls: string[] = [];
    const sign: MskSigner = async (_region, provider) => {
      await provider();
      const value = expires[Math.min(calls.length, expires.length - 1)]!;
      calls.push(value);
      return { token: madeToken(new Date(Date.now()), value), expiryTime: 0 };
    };
    return { sign, calls };
  };

  it("fetches fresh credentials once after a fractional X-Amz-Expires, and takes the whole one that follows", async () => {
    const forced: boolean[] = [];
    const { sign, calls } = stepSigner(["600.5", "900"]);
    const source = mskIamTokenSource(
      { region, aws: {} },
      {
        sign,
        credentials: async (options) => {
          forced.push(options?.forceRefresh ?? false);
          return { ...session, expiration: new Date(Date.now() + 2 * 3_600_000) };
        },
      },
    );
    const token = await source.token();
    expect(calls).toEqual(["600.5", "900"]);
    expect(decodeMskToken(token.value).expiresSeconds).toBe(900);
    expect(forced).toEqual([true, true]);
  });

  it.each([["600.5"], ["-5"], ["0"], [""], ["abc"]])(
    "never hands out a token whose X-Amz-Expires stays %j (transient: the chain may renew)",
    async (expires) => {
      const { sign, calls } = stepSigner([expires]);
      const source = mskIamTokenSource({ region, aws: { profile: "analytics" } }, { sign, credentials: async () => ({ ...session }) });
      const failure = await source.token().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(Error);
      expect(failure).not.toBeInstanceOf(NeedsPersonError);
      expect((failure as Error).message).toMatch(/AWS profile analytics .*X-Amz-Expires.*whole number of seconds.*sign in to it again/);
      expect((failure as Error).message).not.toContain(session.secretAccessKey);
      expect(calls).toHaveLength(2);
    },
  );

  it("catches the signer's own fractional and negative values from credentials that cannot be renewed", async () => {
    for (const [leftMs, said] of [
      [600_500, /expire in 601 s/],
      [-5_000, /have expired/],
    ] as const) {
      const stuck = { ...session, expiration: new Date(Date.now() + leftMs) };
      const seen: number[] = [];
      const sign: MskSigner = async (signRegion, provider) => {
        const signed = await generateAuthTokenFromCredentialsProvider({ region: signRegion, awsCredentialsProvider: provider });
        seen.push(decodeMskToken(signed.token).expiresSeconds);
        return signed;
      };
      const source = mskIamTokenSource({ region, aws: {} }, { sign, credentials: async () => ({ ...stuck }) });
      await expect(source.token()).rejects.toThrow(said);
      // The signer's bug, reproduced: 600.5 and -5, where a whole positive number belongs.
      expect(seen).toEqual([leftMs / 1000, leftMs / 1000]);
    }
  });
});

describe("credentials", () => {
  it("a long-term key is kept for good; credentials that expire are renewed, forced, with 15 min left", async () => {
    const key = awsCredentialsFor({ accessKey: { accessKeyId: "AKIATESTTESTTESTTEST", secretAccessKey: "s" } }, "test");
    expect(await key()).toEqual({ accessKeyId: "AKIATESTTESTTESTTEST", secretAccessKey: "s" });
    vi.setSystemTime(start + 365 * 86_400_000);
    expect((await key()).accessKeyId).toBe("AKIATESTTESTTESTTEST");

    vi.setSystemTime(start);
    const calls: (boolean | undefined)[] = [];
    const cached = cachedCredentials(async (options) => {
      calls.push(options?.forceRefresh);
      return { ...session, accessKeyId: `ASIA${calls.length}`, expiration: new Date(Date.now() + 3_600_000) };
    });
    expect((await cached()).accessKeyId).toBe("ASIA1");
    vi.setSystemTime(start + 45 * 60_000 - 1);
    expect((await cached()).accessKeyId).toBe("ASIA1");
    vi.setSystemTime(start + 45 * 60_000 + 1);
    expect((await cached()).accessKeyId).toBe("ASIA2");
    cached.renew();
    expect((await cached()).accessKeyId).toBe("ASIA3");
    expect(calls).toEqual([true, true, true]);
    // One fetch at a time.
    cached.renew();
    const both = await Promise.all([cached(), cached()]);
    expect(both.map((c) => c.accessKeyId)).toEqual(["ASIA4", "ASIA4"]);
  });

  const failing = (error: Error) => async (): Promise<AwsCredentials> => {
    throw error;
  };
  const named = (name: string, message: string, extra: object = {}) => Object.assign(new Error(message), { name, ...extra });

  it.each([
    [
      "no credentials in the chain",
      {},
      named("CredentialsProviderError", "Could not load credentials from any providers"),
      /No AWS credentials were found for the MSK login in the AWS default credential chain/,
    ],
    [
      "an unknown key",
      { accessKey: { accessKeyId: "AKIAGONEGONEGONEGONE", secretAccessKey: "gone-secret" } },
      named("InvalidClientTokenId", "The security token included in the request is invalid.", { $metadata: { httpStatusCode: 403 } }),
      /AWS does not accept the credentials from access key AKIAGONEGONEGONEGONE .*Give the stream a current access key/,
    ],
    [
      "expired session credentials",
      { profile: "dev" },
      named("ExpiredToken", "The security token included in the request is expired", { $metadata: { httpStatusCode: 400 } }),
      /The session credentials from AWS profile dev have expired.*sign in to it again/,
    ],
    [
      "a role it may not assume",
      { accessKey: { accessKeyId: "AKIAUSERUSERUSERUSER", secretAccessKey: "user-secret" }, assumeRoleArn: "arn:aws:iam::123456789012:role/msk-reader" },
      named("AccessDenied", "User is not authorized to perform: sts:AssumeRole", { $metadata: { httpStatusCode: 403 } }),
      /AWS refused to let access key AKIAUSERUSERUSERUSER assume role arn:aws:iam::123456789012:role\/msk-reader .*sts:AssumeRole on the role/,
    ],
  ])("needs a person for %s", async (_case, aws, error, message) => {
    const failure = await mskIamTokenSource({ region, aws }, { credentials: failing(error) })
      .token()
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(NeedsPersonError);
    expect((failure as NeedsPersonError).problem).toBe("sasl");
    expect((failure as Error).message).toMatch(message);
    expect((failure as Error).message).not.toMatch(/gone-secret|user-secret/);
  });

  it("is transient when AWS cannot be reached", async () => {
    const unreachable = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:443"), { code: "ECONNREFUSED" });
    const failure = await mskIamTokenSource(
      { region, aws: { assumeRoleArn: "arn:aws:iam::123456789012:role/msk-reader" } },
      { credentials: failing(unreachable) },
    )
      .token()
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(NeedsPersonError);
    expect((failure as Error).message).toMatch(
      /AWS could not be reached for the credentials from role arn:aws:iam::123456789012:role\/msk-reader .*ECONNREFUSED/,
    );
  });

  it("keeps handing out the good token while renewing fails, then needs a person", async () => {
    let fail = false;
    const source = mskIamTokenSource(
      { region, aws: {} },
      {
        credentials: async () => {
          if (fail) throw Object.assign(new Error("connect ETIMEDOUT"), { code: "ETIMEDOUT" });
          // Due for renewal 700 s on (15 min before they expire).
          return { ...session, expiration: new Date(start + 1_600_000) };
        },
      },
    );
    const first = await source.token();
    fail = true;
    vi.setSystemTime(start + 800_000);
    expect((await source.token()).value).toBe(first.value);
    vi.setSystemTime(start + 890_000);
    await expect(source.token()).rejects.toThrow(/The MSK login's token has expired and no new one could be signed.*ETIMEDOUT/);
  });
});
