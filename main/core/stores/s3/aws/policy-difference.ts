// The difference between two IAM policy documents as a person reads it: one line per effect,
// action and resource ("Allow s3:PutObject on arn:aws:s3:::b/events/*.jsonl.gz"), added or
// removed. What does not change what is allowed (statement order, Sids, a list of one written as a
// string) makes no difference.

export interface PolicyDifference {
  /** What the new document allows (or denies) that the current one does not. */
  added: string[];
  /** What the current document allows (or denies) that the new one no longer does. */
  removed: string[];
}

export function policyDifference(current: unknown, proposed: unknown): PolicyDifference {
  const [before, after] = [new Set(policyLines(current)), new Set(policyLines(proposed))];
  return { added: [...after].filter((line) => !before.has(line)), removed: [...before].filter((line) => !after.has(line)) };
}

export const isSamePolicy = (difference: PolicyDifference) => difference.added.length === 0 && difference.removed.length === 0;

/** A document's permissions, one line each, sorted; nothing for no document. */
export function policyLines(document: unknown): string[] {
  if (document === undefined) return [];
  const statements = (document as { Statement?: unknown }).Statement;
  const lines = [statements ?? []].flat().flatMap(statementLines);
  return [...new Set(lines)].sort();
}

const listOf = (value: unknown): unknown[] => [value ?? []].flat();

/**
 * A plain statement (Effect, Action, Resource) is a line per action and resource. Any other
 * (NotAction, NotResource, Condition, Principal: what a person may have added in the console) is
 * one line of its own JSON, so it is never lost from sight when the document is replaced.
 */
function statementLines(statement: unknown): string[] {
  if (statement === null || typeof statement !== "object") return [`(not a statement) ${JSON.stringify(statement)}`];
  const { Sid: _sid, Effect: effect, Action: actions, Resource: resources, ...rest } = statement as Record<string, unknown>;
  const plain = Object.keys(rest).length === 0 && actions !== undefined && resources !== undefined;
  if (!plain)
    return [
      `${String(effect)} ${JSON.stringify({ ...(actions !== undefined ? { Action: actions } : {}), ...(resources !== undefined ? { Resource: resources } : {}), ...rest })}`,
    ];
  return listOf(actions).flatMap((action) => listOf(resources).map((resource) => `${String(effect)} ${String(action)} on ${String(resource)}`));
}
