// The IAM policy an MSK IAM login needs to export a topic, and the one statement to add when MSK
// refuses one step. MSK's authorization failures reach kafkajs as Kafka error codes: a refused
// Connect fails the SASL authentication, the rest are TOPIC_, GROUP_ and CLUSTER_AUTHORIZATION_FAILED.
//
// Actions and resources, from AWS's MSK developer guide, "Semantics of IAM authorization policy
// actions and resources" (docs.aws.amazon.com/msk/latest/developerguide/kafka-actions.html) and the
// Service Authorization Reference for kafka-cluster (list_apachekafkaapisforamazonmskclusters.html):
// - kafka-cluster:Connect (no prerequisite) and DescribeCluster (needs Connect) on the cluster,
//   arn:aws:kafka:<region>:<account>:cluster/<cluster-name>/<cluster-uuid>;
// - DescribeTopic (needs Connect), ReadData (needs Connect, DescribeTopic and AlterGroup) and
//   DescribeTopicDynamicConfiguration (needs Connect; the exporter reads the topic's retention.ms for
//   its lag warning) on the topic, arn:aws:kafka:<region>:<account>:topic/<cluster-name>/<cluster-uuid>/<topic>;
// - DescribeGroup (needs Connect) and AlterGroup (joining the group and committing; needs Connect
//   and DescribeGroup) on the group, arn:aws:kafka:<region>:<account>:group/<cluster-name>/<cluster-uuid>/<group>.
// The account, cluster name and uuid are not known from a bootstrap address, so they are wildcards:
// the statements allow the topic and group by name on any cluster in the region.
import type { PolicyStatement } from "../../../../common/fixes.js";

export type MskNeed = "connect" | "topic" | "group" | "cluster";

export interface MskPolicyContext {
  region: string;
  topic: string;
  groupId: string;
}

export interface MskPolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

const arn = (region: string, resource: string) => `arn:aws:kafka:${region}:*:${resource}`;

/** The statement that grants one step, as an object. */
export function mskStatement(need: MskNeed, ctx: MskPolicyContext): PolicyStatement {
  switch (need) {
    case "connect":
    case "cluster":
      return { Effect: "Allow", Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"], Resource: arn(ctx.region, "cluster/*") };
    case "topic":
      return {
        Effect: "Allow",
        Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData", "kafka-cluster:DescribeTopicDynamicConfiguration"],
        Resource: arn(ctx.region, `topic/*/*/${ctx.topic}`),
      };
    case "group":
      return { Effect: "Allow", Action: ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"], Resource: arn(ctx.region, `group/*/*/${ctx.groupId}`) };
  }
}

/** The statement the person should add for one refused step, as pretty-printed JSON. */
export function mskStatementFor(need: MskNeed, ctx: MskPolicyContext): string {
  return JSON.stringify(mskStatement(need, ctx), null, 2);
}

/** The whole least-privilege policy an exporter's MSK login needs: one statement per resource. */
export function mskPolicyDocument(ctx: MskPolicyContext): MskPolicyDocument {
  const byResource = new Map<string, PolicyStatement>();
  for (const need of ["connect", "cluster", "topic", "group"] as const) {
    const statement = mskStatement(need, ctx);
    const key = JSON.stringify(statement.Resource);
    const kept = byResource.get(key);
    if (kept) kept.Action = [...new Set([...kept.Action, ...statement.Action])];
    else byResource.set(key, { ...statement, Action: [...statement.Action] });
  }
  return { Version: "2012-10-17", Statement: [...byResource.values()] };
}

/** The whole policy, as pretty-printed JSON. */
export function mskPolicy(ctx: MskPolicyContext): string {
  return JSON.stringify(mskPolicyDocument(ctx), null, 2);
}

interface KafkaErrorShape {
  name?: string;
  type?: string;
  message?: string;
  cause?: unknown;
  originalError?: unknown;
}

/**
 * Which step MSK refused, from a kafkajs error (or one it wraps): undefined when it is no
 * authorization failure. ILLEGAL_SASL_STATE counts as a refused login: kafkajs 2.2.4 does not read
 * an OAUTHBEARER error challenge and fails the next request so (docs/research/managed-logins.md §3).
 */
export function mskNeedOf(error: unknown): MskNeed | undefined {
  const seen = new Set<unknown>();
  let link = error as KafkaErrorShape | undefined;
  while (link && typeof link === "object" && !seen.has(link) && seen.size < 10) {
    seen.add(link);
    const text = `${link.name ?? ""} ${link.type ?? ""} ${link.message ?? ""}`;
    if (/TOPIC_AUTHORIZATION_FAILED/.test(text)) return "topic";
    if (/GROUP_AUTHORIZATION_FAILED/.test(text)) return "group";
    if (/CLUSTER_AUTHORIZATION_FAILED/.test(text)) return "cluster";
    if (link.name === "KafkaJSSASLAuthenticationError" || /SASL_AUTHENTICATION_FAILED|ILLEGAL_SASL_STATE/.test(text)) return "connect";
    link = (link.cause ?? link.originalError) as KafkaErrorShape | undefined;
  }
  return undefined;
}
