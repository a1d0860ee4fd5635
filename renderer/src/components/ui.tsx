// Small building blocks: fields with labels and hints, buttons that show progress, copy and save.
import { useId, useState, type ReactNode } from "react";
import { useStore } from "../store";

export function Field({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: ReactNode;
  error?: string;
  children: (props: { id: string; "aria-describedby"?: string; "aria-invalid"?: boolean }) => ReactNode;
}) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, ...(describedBy ? { "aria-describedby": describedBy } : {}), ...(error ? { "aria-invalid": true } : {}) })}
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** A submit button that says what is happening and cannot be pressed twice. */
export function ActionButton({
  busy,
  busyLabel,
  children,
  disabled,
  kind = "primary",
  ...rest
}: {
  busy: boolean;
  busyLabel: string;
  children: ReactNode;
  disabled?: boolean;
  kind?: "primary" | "secondary" | "danger";
  type?: "button" | "submit";
  onClick?: () => void;
}) {
  return (
    <button className={`button ${kind}`} disabled={busy || disabled} aria-busy={busy} type={rest.type ?? "button"} onClick={rest.onClick}>
      {busy ? (
        <>
          <span className="spinner" aria-hidden="true" /> {busyLabel}
        </>
      ) : (
        children
      )}
    </button>
  );
}

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
  };
  return (
    <button type="button" className="button secondary small" onClick={() => void copy()} aria-label={label}>
      {state === "copied" ? "Copied" : state === "failed" ? "Copy failed: select the text instead" : "Copy"}
    </button>
  );
}

export function SaveButton({ text, fileName, type }: { text: string; fileName: string; type: string }) {
  const save = () => {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const link = document.createElement("a");
    link.href = url;
    link.download = fileName;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <button type="button" className="button secondary small" onClick={save}>
      Save as {fileName}
    </button>
  );
}

export function ErrorMessage({ children }: { children: ReactNode }) {
  return (
    <div className="message error" role="alert">
      {children}
    </div>
  );
}

export function Success({ children }: { children: ReactNode }) {
  return (
    <div className="message success" role="status">
      {children}
    </div>
  );
}

/** Something to know that does not stop anything (credentials that grant too much, or expire soon). */
export function Warnings({ items }: { items: string[] }) {
  if (items.length === 0) return null;
  return (
    <div className="message info" role="status">
      {items.map((item) => (
        <p key={item}>{item}</p>
      ))}
    </div>
  );
}

/** The way back from a view inside the dashboard (an exporter, its files, the wizard). */
export function BackToDashboard() {
  const navigate = useStore((state) => state.navigate);
  return (
    <button type="button" className="button secondary" onClick={() => navigate({ name: "dashboard" })}>
      Back to the dashboard
    </button>
  );
}

export const formatBytes = (bytes: number) =>
  bytes < 1024 ? `${bytes} B` : bytes < 1024 ** 2 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
