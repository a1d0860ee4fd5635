// Admin credentials for one AWS setup step (create the IAM user and key, rotate the key): an AWS
// profile or the environment, or a key typed now. Used once, never stored.
import { useState } from "react";
import type { Input } from "../../../preload/contract";
import { Field } from "./ui";

export type AdminChoice = Input<"aws:setupS3">["admin"];

export function useAdminCredentials() {
  const [from, setFrom] = useState<"chain" | "key">("chain");
  const [profile, setProfile] = useState("");
  const [accessKeyId, setAccessKeyId] = useState("");
  const [secretAccessKey, setSecret] = useState("");
  const value: AdminChoice =
    from === "key" ? { from: "key", accessKeyId, secretAccessKey } : { from: "chain", ...(profile.trim() ? { profile: profile.trim() } : {}) };
  return {
    from,
    setFrom,
    profile,
    setProfile,
    accessKeyId,
    setAccessKeyId,
    secretAccessKey,
    setSecret,
    value,
    complete: from === "chain" || (accessKeyId.trim() !== "" && secretAccessKey !== ""),
  };
}

export function AdminCredentialsFields({ admin, name }: { admin: ReturnType<typeof useAdminCredentials>; name: string }) {
  return (
    <>
      <fieldset className="radios">
        <legend>Where do the admin credentials come from?</legend>
        <label>
          <input type="radio" name={name} checked={admin.from === "chain"} onChange={() => admin.setFrom("chain")} /> An AWS profile (or the environment, SSO)
        </label>
        <label>
          <input type="radio" name={name} checked={admin.from === "key"} onChange={() => admin.setFrom("key")} /> Paste an admin access key
        </label>
      </fieldset>
      {admin.from === "chain" ? (
        <Field label="AWS profile (optional)" hint="Empty uses the default profile or the environment.">
          {(props) => <input {...props} value={admin.profile} onChange={(event) => admin.setProfile(event.target.value)} autoComplete="off" />}
        </Field>
      ) : (
        <>
          <Field label="Admin access key ID">
            {(props) => (
              <input {...props} value={admin.accessKeyId} onChange={(event) => admin.setAccessKeyId(event.target.value)} autoComplete="off" required />
            )}
          </Field>
          <Field label="Admin secret access key" hint="Used for this step only, never stored.">
            {(props) => (
              <input
                {...props}
                type="password"
                value={admin.secretAccessKey}
                onChange={(event) => admin.setSecret(event.target.value)}
                autoComplete="off"
                required
              />
            )}
          </Field>
        </>
      )}
    </>
  );
}
