// A problem's repairs at the place it is shown: for each fix of the core's (common/fixes.ts) that
// the window can carry out, a button that opens the repair right there (the card, the sink, the
// exporter's settings). The words of fixes the window cannot carry out are in the message itself
// (fix-text.ts).
import { useState } from "react";
import type { Fix } from "../../../common/fixes";
import type { SinkInfo } from "../../../preload/contract";
import { useStore } from "../store";
import { ReplaceCredentials, RotateKey, UpdatePolicy } from "./SinkRepairs";

type Repair = "rotate" | "replace" | "policy";

const labels: Record<Repair, string> = { rotate: "Rotate the key", replace: "Replace the credentials", policy: "Update the policy" };

/** The repairs `fixes` name that this sink can take: the app's own IAM user for a key or a policy, keychain credentials to replace. */
function repairsOf(fixes: readonly Fix[], sink: SinkInfo): Array<{ repair: Repair; fix: Fix }> {
  return fixes.flatMap((fix): Array<{ repair: Repair; fix: Fix }> => {
    if (fix.id === "rotate-key" && sink.iamUser) return [{ repair: "rotate", fix }];
    if (fix.id === "update-policy" && sink.iamUser) return [{ repair: "policy", fix }];
    if (fix.id === "replace-credentials" && sink.credentials === "keychain") return [{ repair: "replace", fix }];
    return [];
  });
}

export function Repairs({ fixes, sink, context }: { fixes: readonly Fix[] | undefined; sink: SinkInfo | undefined; context: string }) {
  const { navigate } = useStore();
  const [open, setOpen] = useState<Repair>();
  if (!fixes) return null;
  // The cluster's CA is chosen in the stream's connection form, where the connection is tested too.
  const needsCa = fixes.some((fix) => fix.id === "set" && fix.setting === "ca-file");
  const repairs = sink ? repairsOf(fixes, sink) : [];
  if (repairs.length === 0 && !needsCa) return null;
  const policyFix = repairs.find((entry) => entry.repair === "policy")?.fix;
  const compression = policyFix?.id === "update-policy" ? policyFix.compression : undefined;
  return (
    <div className="repairs">
      <div className="actions" role="group" aria-label={`Repairs for ${context}`}>
        {repairs.map(({ repair }) => (
          <button
            key={repair}
            type="button"
            className={`button ${open === repair ? "primary" : "secondary"}`}
            aria-expanded={open === repair}
            onClick={() => setOpen(open === repair ? undefined : repair)}
          >
            {labels[repair]}
          </button>
        ))}
        {needsCa && (
          <button type="button" className="button secondary" onClick={() => navigate({ name: "streams" })}>
            Choose the CA file (in Streams)
          </button>
        )}
      </div>
      {sink && open === "rotate" && <RotateKey sink={sink} />}
      {sink && open === "replace" && <ReplaceCredentials sink={sink} />}
      {sink && open === "policy" && <UpdatePolicy sink={sink} {...(compression ? { compression } : {})} />}
    </div>
  );
}
