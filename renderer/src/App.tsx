import { useEffect } from "react";
import { ConfirmDialog } from "./components/ConfirmDialog";
import { Dashboard } from "./components/Dashboard";
import { ExporterView } from "./components/ExporterView";
import { FilesView } from "./components/FilesView";
import { SettingsView } from "./components/SettingsView";
import { SinksView } from "./components/SinksView";
import { StreamsView } from "./components/StreamsView";
import { useStore, type View } from "./store";
import { Wizard } from "./wizard/Wizard";

const sections: Array<{ view: View["name"]; label: string }> = [
  { view: "dashboard", label: "Dashboard" },
  { view: "sinks", label: "Sinks" },
  { view: "streams", label: "Streams" },
  { view: "settings", label: "Settings" },
];

export function App() {
  const {
    view,
    navigate,
    info,
    loadInfo,
    refresh,
    subscribe,
    notice,
    dismissNotice,
    startWizard,
    leaving,
    confirmLeave,
    stayInWizard,
    settings,
    loadSettings,
  } = useStore();
  useEffect(() => {
    void loadInfo();
    void refresh();
    void loadSettings();
    const unsubscribe = subscribe();
    // Sinks, streams and exporters made elsewhere (the CLI) show up too; statuses come by push.
    const timer = window.setInterval(() => void refresh(), 5000);
    return () => {
      unsubscribe();
      window.clearInterval(timer);
    };
  }, [loadInfo, refresh, subscribe, loadSettings]);
  useEffect(() => {
    if (settings) document.documentElement.dataset.theme = settings.theme;
  }, [settings]);

  return (
    <div className="app">
      <header className="app-header">
        <div>
          <h1>Streamdrop</h1>
          <p className="tagline">Kafka topics to S3, Cloud Storage and Azure Blob Storage, as JSON Lines or Parquet, exactly once.</p>
        </div>
        <nav aria-label="Main">
          {sections.map((section) => (
            <button
              key={section.view}
              type="button"
              className="nav"
              aria-current={
                view.name === section.view || (section.view === "dashboard" && (view.name === "files" || view.name === "exporter")) ? "page" : undefined
              }
              onClick={() => navigate({ name: section.view } as View)}
            >
              {section.label}
            </button>
          ))}
          <button type="button" className="nav" aria-current={view.name === "wizard" ? "page" : undefined} onClick={() => startWizard()}>
            Set up an export
          </button>
        </nav>
      </header>
      {notice && (
        <div className={`message ${notice.kind} notice`} role={notice.kind === "error" ? "alert" : "status"}>
          <span>{notice.text}</span>
          <button type="button" className="button secondary small" onClick={dismissNotice}>
            Dismiss
          </button>
        </div>
      )}
      <main>
        {view.name === "dashboard" && <Dashboard />}
        {view.name === "wizard" && <Wizard />}
        {view.name === "files" && <FilesView exporter={view.exporter} />}
        {view.name === "exporter" && <ExporterView name={view.exporter} />}
        {view.name === "sinks" && <SinksView />}
        {view.name === "streams" && <StreamsView />}
        {view.name === "settings" && <SettingsView />}
      </main>
      {leaving && (
        <ConfirmDialog title="Leave the setup?" confirmLabel="Leave and discard" onCancel={stayInWizard} onConfirm={confirmLeave}>
          <p>What you typed in the setup is not saved yet and will be lost. Sinks and streams it already created stay.</p>
        </ConfirmDialog>
      )}
      <footer className="app-footer">
        {info.state === "ready" && (
          <p data-testid="app-info">
            Version {info.value.version}, data in <code>{info.value.dataDir}</code>
          </p>
        )}
        {info.state === "failed" && <p role="alert">{info.message}</p>}
      </footer>
    </div>
  );
}
