// Folders by time between the prefix and the files (the wizard's exporter step and the exporter's
// settings): a few common layouts, or the person's own, checked as they type by the same rules
// the core applies, with an example of where a file cut now would go.
import { useState } from "react";
import { checkPathTemplate, renderPathTemplate, tokenList } from "../../../common/path-template";
import { Field } from "./ui";

const layouts = [
  { template: "", label: "None: every file in the prefix itself" },
  { template: "dt={date}/hour={hour}", label: "By day and hour, Hive style (dt=…/hour=…)" },
  { template: "dt={date}", label: "By day, Hive style (dt=…)" },
  { template: "{yyyy}/{MM}/{dd}/{HH}", label: "By year, month, day and hour (2026/12/02/04)" },
] as const;
const own = "own";

/** The problem with `template`, if any, in the window's words ("" is no folders). */
export function pathTemplateProblem(template: string): string | undefined {
  if (template === "") return undefined;
  const checked = checkPathTemplate(template);
  return checked.ok ? undefined : checked.problem;
}

export function PathTemplateField({ value, onChange, topic }: { value: string; onChange: (value: string) => void; topic?: string }) {
  const preset = layouts.some((layout) => layout.template === value);
  const [choosingOwn, setChoosingOwn] = useState(!preset);
  const checked = value === "" ? undefined : checkPathTemplate(value);
  const example = checked?.ok ? `${renderPathTemplate(checked.segments, Math.floor(Date.now() / 1000), topic ?? "topic")}/` : undefined;
  return (
    <>
      <Field
        label="Folders by time"
        hint="Query engines read only the folders a query asks for. The time is each file's own cut time, in UTC, so a late event goes in the hour it was exported."
      >
        {(props) => (
          <select
            {...props}
            value={choosingOwn ? own : value}
            onChange={(event) => {
              const picked = event.target.value;
              setChoosingOwn(picked === own);
              if (picked !== own) onChange(picked);
            }}
          >
            {layouts.map((layout) => (
              <option key={layout.template} value={layout.template}>
                {layout.label}
              </option>
            ))}
            <option value={own}>My own folders…</option>
          </select>
        )}
      </Field>
      {choosingOwn && (
        <Field label="Folders" hint={`Use ${tokenList()}, separated by /.`} {...(checked && !checked.ok ? { error: checked.problem } : {})}>
          {(props) => (
            <input
              {...props}
              value={value}
              onChange={(event) => onChange(event.target.value)}
              autoComplete="off"
              spellCheck={false}
              placeholder="dt={date}/hour={hour}"
            />
          )}
        </Field>
      )}
      {example && <p className="muted">A file cut now goes in {example}</p>}
    </>
  );
}
