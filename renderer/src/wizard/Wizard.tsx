// The guided setup: pick a starting point (the product page's three), get a sink, then an exporter.
import type { Results } from "../../../preload/contract";
import { BackToDashboard, Warnings } from "../components/ui";
import { useStore } from "../store";
import type { WizardPath } from "../store/wizard-slice";
import { CreateResources } from "./CreateResources";
import { ExporterStep } from "./ExporterStep";
import { HaveCredentials } from "./HaveCredentials";
import { lineWarningText } from "./LineSettings";
import { SomeoneElse } from "./SomeoneElse";

const paths: Array<{ path: WizardPath; title: string; text: string }> = [
  {
    path: "have-credentials",
    title: "I have a bucket and credentials",
    text: "Use an access key file (the accessKeys.csv the AWS console downloads, or the output of aws iam create-access-key), S3-compatible credentials, or a Google Cloud service-account key.",
  },
  {
    path: "create",
    title: "I can create them",
    text: "Streamdrop creates the bucket, a least-privilege IAM user and its key with your admin credentials, used once and never stored.",
  },
  {
    path: "someone-else",
    title: "Someone else sets it up",
    text: "Get a document with the exact AWS or Google Cloud steps to forward to your administrator; come back with the credentials file.",
  },
];

export function Wizard() {
  const { wizard, choosePath, startWizard, startWithSink, wizardBack, markWizardDirty, navigate, sinks } = useStore();
  return (
    // Anything typed makes leaving ask first (navigate in store/index.ts).
    <section aria-labelledby="wizard-heading" className="wizard" onInput={markWizardDirty}>
      <div className="section-head">
        <h2 id="wizard-heading">Set up an export</h2>
        <div className="actions">
          {wizard.step !== "choose" && wizard.step !== "done" && (
            <button type="button" className="button secondary" onClick={wizardBack}>
              Back
            </button>
          )}
          <BackToDashboard />
        </div>
      </div>
      <ol className="steps" aria-label="Progress">
        {["Starting point", "Sink", "Exporter", "Done"].map((label, index) => {
          const current = ["choose", "sink", "exporter", "done"].indexOf(wizard.step);
          return (
            <li key={label} aria-current={index === current ? "step" : undefined} className={index < current ? "done" : index === current ? "current" : ""}>
              {label}
            </li>
          );
        })}
      </ol>
      {wizard.step === "choose" && (
        <fieldset className="choices">
          <legend>Where do you start from?</legend>
          {paths.map((option) => (
            <button key={option.path} type="button" className="choice" onClick={() => choosePath(option.path)}>
              <strong>{option.title}</strong>
              <span>{option.text}</span>
            </button>
          ))}
          {sinks.length > 0 && (
            <button type="button" className="choice" onClick={() => startWithSink()}>
              <strong>Use a sink I already have</strong>
              <span>
                Another exporter into {sinks.length === 1 ? `your sink ${sinks[0]!.name}` : `one of your ${sinks.length} sinks`}: no new bucket, credentials or
                IAM user.
              </span>
            </button>
          )}
        </fieldset>
      )}
      {wizard.step === "sink" && wizard.path === "have-credentials" && <HaveCredentials />}
      {wizard.step === "sink" && wizard.path === "create" && <CreateResources />}
      {wizard.step === "sink" && wizard.path === "someone-else" && <SomeoneElse />}
      {wizard.step === "exporter" && <ExporterStep />}
      {wizard.step === "done" && wizard.exporter.state === "done" && (
        <div className="message success" role="status">
          <p>
            Exporter <strong>{wizard.exporter.value.name}</strong> is created and starts exporting {wizard.exporter.value.streamName} to{" "}
            {wizard.exporter.value.sinkName}, a file every {wizard.exporter.value.intervalSeconds} s
            {wizard.exporter.value.format === "parquet" && wizard.exporter.value.columnsFromRegistry
              ? ", as Parquet with each event's registered schema's columns"
              : wizard.exporter.value.format === "parquet" && wizard.exporter.value.columns
                ? `, as Parquet with columns version ${wizard.exporter.value.columns.version}`
                : ""}
            .
          </p>
          <CreatedWarnings exporter={wizard.exporter.value} />
          <div className="actions">
            <button type="button" className="button primary" onClick={() => navigate({ name: "dashboard" })}>
              Go to the dashboard
            </button>
            <button
              type="button"
              className="button secondary"
              onClick={() => navigate({ name: "files", exporter: wizard.exporter.state === "done" ? wizard.exporter.value.name : "" })}
            >
              See its output files
            </button>
            <button type="button" className="button secondary" onClick={() => startWizard()}>
              Set up another
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

/** What to know about the exporter just made (lines without values), in the window's words. */
function CreatedWarnings({ exporter }: { exporter: Results["exporters:create"] }) {
  return <Warnings items={exporter.warnings.map((warning) => lineWarningText(warning, exporter.fields))} />;
}
