// The IAM statements an MSK IAM login needs: per refused step, and the whole least-privilege policy.
import { describe, expect, it } from "vitest";
import { mskNeedOf, mskPolicy, mskStatementFor, type MskNeed } from "../../../main/core/streams/logins/msk-iam-policy.js";

const ctx = { region: "eu-west-1", topic: "orders.v1", groupId: "streamdrop-orders" };

describe("statements", () => {
  it.each([
    ["connect", ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"], "arn:aws:kafka:eu-west-1:*:cluster/*"],
    ["cluster", ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"], "arn:aws:kafka:eu-west-1:*:cluster/*"],
    [
      "topic",
      ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData", "kafka-cluster:DescribeTopicDynamicConfiguration"],
      "arn:aws:kafka:eu-west-1:*:topic/*/*/orders.v1",
    ],
    ["group", ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"], "arn:aws:kafka:eu-west-1:*:group/*/*/streamdrop-orders"],
  ] as [MskNeed, string[], string][])("%s", (need, actions, resource) => {
    const text = mskStatementFor(need, ctx);
    expect(text).toContain("\n  ");
    expect(JSON.parse(text)).toEqual({ Effect: "Allow", Action: actions, Resource: resource });
  });

  it("the whole policy: one statement per resource, every action an exporter needs", () => {
    const policy = JSON.parse(mskPolicy(ctx));
    expect(policy.Version).toBe("2012-10-17");
    expect(policy.Statement).toEqual([
      { Effect: "Allow", Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"], Resource: "arn:aws:kafka:eu-west-1:*:cluster/*" },
      {
        Effect: "Allow",
        Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData", "kafka-cluster:DescribeTopicDynamicConfiguration"],
        Resource: "arn:aws:kafka:eu-west-1:*:topic/*/*/orders.v1",
      },
      {
        Effect: "Allow",
        Action: ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"],
        Resource: "arn:aws:kafka:eu-west-1:*:group/*/*/streamdrop-orders",
      },
    ]);
    // ReadData needs AlterGroup, and everything needs Connect: all in the policy (AWS's "required actions").
    const actions = policy.Statement.flatMap((s: { Action: string[] }) => s.Action);
    expect(actions).toEqual(expect.arrayContaining(["kafka-cluster:Connect", "kafka-cluster:AlterGroup", "kafka-cluster:DescribeTopic"]));
  });
});

describe("which step MSK refused", () => {
  const kafkaError = (name: string, type?: string, message = "") => Object.assign(new Error(message), { name, ...(type ? { type } : {}) });

  it("from the Kafka error types, also when wrapped", () => {
    expect(mskNeedOf(kafkaError("KafkaJSProtocolError", "TOPIC_AUTHORIZATION_FAILED"))).toBe("topic");
    expect(mskNeedOf(kafkaError("KafkaJSProtocolError", "GROUP_AUTHORIZATION_FAILED"))).toBe("group");
    expect(mskNeedOf(kafkaError("KafkaJSProtocolError", "CLUSTER_AUTHORIZATION_FAILED"))).toBe("cluster");
    expect(mskNeedOf(kafkaError("KafkaJSSASLAuthenticationError", undefined, "SASL OAUTHBEARER authentication failed: Access denied"))).toBe("connect");
    expect(mskNeedOf(kafkaError("KafkaJSNonRetriableError", "ILLEGAL_SASL_STATE"))).toBe("connect");
    const wrapped = Object.assign(new Error("retries exceeded"), {
      name: "KafkaJSNumberOfRetriesExceeded",
      originalError: kafkaError("KafkaJSProtocolError", "GROUP_AUTHORIZATION_FAILED"),
    });
    expect(mskNeedOf(wrapped)).toBe("group");
    expect(mskNeedOf(kafkaError("KafkaJSConnectionError", undefined, "Connection timeout"))).toBeUndefined();
  });
});
