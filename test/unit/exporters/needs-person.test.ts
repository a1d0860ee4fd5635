// Which failures need a person, found through kafkajs's wrapping, and the words they get.
import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, KafkaJSSASLAuthenticationError } from "kafkajs";
import { expect, it } from "vitest";
import { kafkaProblem, NeedsPersonError, topicDeleted } from "../../../main/core/exporters/needs-person.js";
import { CodecError } from "../../../main/core/streams/codecs.js";

const context = {
  topic: "orders",
  brokers: ["b1:9092", "b2:9092"],
  groupId: "streamdrop-123",
  login: { mechanism: "scram-sha-512" as const, who: "user exporter" },
};
const protocolError = (type: string) => Object.assign(new KafkaJSProtocolError(new Error(`${type} happened`)), { type });

it("names refused SASL credentials and the user", () => {
  // kafkajs's types omit the constructor's message, which its code takes.
  const refused = new (KafkaJSSASLAuthenticationError as unknown as new (message: string) => Error)("SASL SCRAM SHA512 authentication failed");
  const problem = kafkaProblem(refused, context);
  expect(problem).toBeInstanceOf(NeedsPersonError);
  expect(problem).toMatchObject({ problem: "sasl", code: "credentials" });
  expect(problem!.message).toBe(
    "Kafka at b1:9092,b2:9092 refused the SASL credentials of user exporter (SASL SCRAM SHA512 authentication failed). The password may have changed or the user been removed: update the stream's credentials.",
  );
});

it("finds an authorization refusal under kafkajs's retry wrapper", () => {
  const wrapped = new KafkaJSNumberOfRetriesExceeded(protocolError("TOPIC_AUTHORIZATION_FAILED"), { retryCount: 5, retryTime: 1000 });
  expect(kafkaProblem(wrapped, context)).toMatchObject({
    problem: "kafka-authorization",
    message: "Kafka refused access to topic orders (not authorized). Grant the stream's user Read and Describe on the topic.",
  });
  expect(kafkaProblem(protocolError("GROUP_AUTHORIZATION_FAILED"), context)!.message).toContain("consumer group streamdrop-123");
});

it("names a batch no codec can read", () => {
  const problem = kafkaProblem(new Error("decode failed", { cause: new CodecError("zstd: Unknown frame descriptor") }), context);
  expect(problem).toMatchObject({ problem: "codec" });
  expect(problem!.message).toContain("A record batch in orders could not be decompressed (zstd: Unknown frame descriptor).");
});

it("names a certificate the client cannot verify in its own words (never Node's advice), with the stream's CA file when it has one", () => {
  // As kafkajs wraps Node's TLS failure: the code kept, the message Node's.
  const nodeSays = "unable to verify the first certificate; if the root CA is installed locally, try running Node.js with --use-system-ca";
  const connection = (code: string) =>
    new (KafkaJSConnectionError as unknown as new (message: string, properties: { code: string }) => Error)(`Connection error: ${nodeSays}`, { code });
  const wrapped = new KafkaJSNumberOfRetriesExceeded(connection("UNABLE_TO_VERIFY_LEAF_SIGNATURE"), { retryCount: 5, retryTime: 100 });
  const problem = kafkaProblem(wrapped, context)!;
  expect(problem).toMatchObject({ problem: "tls", code: "config", fixes: [{ id: "set", setting: "ca-file" }] });
  expect(problem.message).toBe(
    "Kafka at b1:9092,b2:9092 presented a certificate that the system's trusted authorities (the stream has no CA certificate of its own for the cluster) cannot verify. Choose the cluster's CA certificate file for the stream (often ca.pem or ca.crt, from the cluster's provider).",
  );
  expect(kafkaProblem(connection("SELF_SIGNED_CERT_IN_CHAIN"), { ...context, caFile: "/etc/kafka/ca.pem" })!.message).toContain(
    "the CA certificate the stream uses for the cluster (/etc/kafka/ca.pem) cannot verify",
  );
  expect(kafkaProblem(connection("CERT_HAS_EXPIRED"), context)!.message).toContain("presented a certificate that has expired");
  expect(kafkaProblem(connection("ERR_TLS_CERT_ALTNAME_INVALID"), context)!.message).toContain("a certificate for another host name");
  expect(kafkaProblem(connection("ERR_SSL_WRONG_VERSION_NUMBER"), context)!.message).toContain("does not speak TLS there. Use the cluster's TLS address");
  for (const code of ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "CERT_HAS_EXPIRED", "ERR_TLS_CERT_ALTNAME_INVALID"])
    expect(kafkaProblem(connection(code), context)!.message).not.toMatch(/--[a-z]/);
  // A refused connection is no certificate problem: it stays transient.
  expect(kafkaProblem(connection("ECONNREFUSED"), context)).toBeUndefined();
});

it("leaves transient failures to the retries", () => {
  expect(kafkaProblem(protocolError("REBALANCE_IN_PROGRESS"), context)).toBeUndefined();
  expect(kafkaProblem(new Error("Connection timeout"), context)).toBeUndefined();
  expect(kafkaProblem(new KafkaJSNumberOfRetriesExceeded(new Error("ECONNREFUSED"), { retryCount: 5, retryTime: 100 }), context)).toBeUndefined();
});

it("says what to do about a deleted topic", () => {
  expect(topicDeleted(context).message).toBe(
    "Topic orders no longer exists on b1:9092,b2:9092: it was deleted. Re-create it (the exporter then exports what is produced to it) or delete the exporter.",
  );
});

it("gives an MSK IAM login's authorization refusal as the policy statement to add", () => {
  const msk = { ...context, login: { mechanism: "aws-msk-iam" as const, who: "role arn:aws:iam::123456789012:role/exporter", region: "eu-west-1" } };
  const problem = kafkaProblem(protocolError("TOPIC_AUTHORIZATION_FAILED"), msk)!;
  expect(problem.problem).toBe("kafka-authorization");
  expect(problem.message).toContain("Amazon MSK refused role arn:aws:iam::123456789012:role/exporter access to topic orders");
  expect(problem.fixes).toEqual([
    {
      id: "add-policy-statement",
      statement: expect.objectContaining({
        Effect: "Allow",
        Action: expect.arrayContaining(["kafka-cluster:ReadData"]),
        Resource: "arn:aws:kafka:eu-west-1:*:topic/*/*/orders",
      }),
    },
  ]);
  expect(kafkaProblem(protocolError("GROUP_AUTHORIZATION_FAILED"), msk)!.fixes[0]).toMatchObject({
    statement: { Resource: "arn:aws:kafka:eu-west-1:*:group/*/*/streamdrop-123" },
  });
});

it("names each login's refusal in its own words, with the setting that mends it", () => {
  const refused = new (KafkaJSSASLAuthenticationError as unknown as new (message: string) => Error)('the broker refused the token: {"status":"invalid_token"}');
  const oauth = kafkaProblem(refused, {
    ...context,
    login: { mechanism: "oauthbearer", who: "OIDC client exporter", tokenEndpoint: "https://idp.example/token" },
  })!;
  expect(oauth.message).toContain("refused the token of OIDC client exporter");
  expect(oauth.message).toContain("https://idp.example/token");
  expect(oauth.fixes).toEqual([{ id: "set", setting: "oidc-client" }]);
  const iam = kafkaProblem(refused, { ...context, login: { mechanism: "aws-msk-iam", who: "the AWS credentials", region: "us-east-1" } })!;
  expect(iam.message).toContain("refused the MSK IAM login of the AWS credentials");
  expect(iam.fixes).toEqual([
    { id: "set", setting: "aws-credentials" },
    {
      id: "add-policy-statement",
      statement: { Effect: "Allow", Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"], Resource: "arn:aws:kafka:us-east-1:*:cluster/*" },
    },
  ]);
});

it("passes on a token source's own refusal (a revoked client secret) as it is", () => {
  const own = new NeedsPersonError("sasl", "The identity provider refused OIDC client exporter.");
  expect(kafkaProblem(new KafkaJSNumberOfRetriesExceeded(own, { retryCount: 1, retryTime: 100 }), context)).toBe(own);
});
